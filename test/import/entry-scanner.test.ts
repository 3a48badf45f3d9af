import { describe, expect, test } from 'vitest'
import { EntryScanner, type ScannedEntry } from '../../src/import/index.js'

function scanAll(text: string | Buffer, chunkBytes: number): ScannedEntry[] & { jumped?: number } {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text)
  const scanner = new EntryScanner({ source: 'test.har' })
  const out: ScannedEntry[] & { jumped?: number } = []
  for (let i = 0; i < bytes.length; i += chunkBytes) out.push(...scanner.push(bytes.subarray(i, i + chunkBytes)))
  out.push(...scanner.end())
  out.jumped = scanner.entriesJumped
  return out
}

const parsed = (entries: ScannedEntry[]): unknown[] =>
  entries.map((e) => ('value' in e ? e.value : { problem: e.problem }))

// Strings built to stress the scanner: escaped quotes, backslash runs, braces and brackets inside
// strings, keys named like the path to the entries in other places, multi-byte UTF-8.
const tricky = {
  pages: [{ id: 'p', entries: [{ fake: true }], log: { entries: ['not these'] } }],
  log: {
    version: '1.2',
    creator: { name: 'x"}]{[', version: '\\' },
    comment: 'a \\"quoted\\" \\\\ run \\\\\\" {"entries": []}',
    entries: [
      { request: { url: 'https://x.test/a?q="}]', headers: [{ name: 'n', value: '\\\\' }] }, n: 1 },
      { request: { url: 'https://x.test/ü/😀' }, log: { entries: [1, 2, 3] }, entries: [] },
      { text: '\\', more: '\\\\\\\\', quote: '"', both: '\\"' },
      [1, 2],
      'a string entry',
      12.5e3,
      null,
    ],
    after: { entries: 'ignored' },
  },
  trailer: [{ '{': '}' }],
}

describe('EntryScanner', () => {
  test.each([1, 2, 3, 7, 64, 4096])('finds exactly the log.entries elements with %i-byte chunks', (chunkBytes) => {
    const text = JSON.stringify(tricky, null, chunkBytes % 2 === 0 ? 2 : undefined)
    expect(parsed(scanAll(text, chunkBytes))).toEqual(tricky.log.entries)
  })

  test('reports indexes and byte offsets of entries', () => {
    const text = '{"log":{"entries":[{"a":1},  {"b":2}]}}'
    const entries = scanAll(text, 5)
    expect(entries.map((e) => [e.index, e.offset])).toEqual([
      [0, text.indexOf('{"a"')],
      [1, text.indexOf('{"b"')],
    ])
  })

  test('skips a UTF-8 byte order mark', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"log":{"entries":[{"a":1}]}}')])
    expect(parsed(scanAll(bytes, 2))).toEqual([{ a: 1 }])
  })

  test('reports an entry that is not valid JSON inside by its index, without quoting it', () => {
    const entries = scanAll('{"log":{"entries":[{"a":1},{"b":nope},{"c":3}]}}', 4)
    expect(entries.map((e) => e.index)).toEqual([0, 1, 2])
    expect(entries[1]).toMatchObject({ problem: expect.stringMatching(/^not valid JSON/) })
    expect(JSON.stringify(entries[1])).not.toContain('nope')
  })

  test('reports an oversized entry and keeps going', () => {
    const scanner = new EntryScanner({ source: 't.har', maxEntryBytes: 20 })
    const out = [
      ...scanner.push(Buffer.from(`{"log":{"entries":[{"small":1},{"big":"${'x'.repeat(100)}"},{"small":3}]}}`)),
      ...scanner.end(),
    ]
    expect(out.map((e) => ('value' in e ? `${e.index}:ok` : `${e.index}:${e.problem}`))).toEqual([
      '0:ok',
      '1:the entry is larger than 20 bytes',
      '2:ok',
    ])
  })

  test('reports a file cut inside an entry as that entry, after the complete ones', () => {
    const entries = scanAll('{"log":{"entries":[{"a":1},{"b":"cut he', 3)
    expect(entries.map((e) => ('value' in e ? `${e.index}:ok` : `${e.index}:truncated`))).toEqual([
      '0:ok',
      '1:truncated',
    ])
  })

  test.each([
    ['', 'the file is empty'],
    ['[{"log":1}]', 'does not start with a JSON object'],
    ['id,name\n1,ada\n', 'does not start with a JSON object'],
    ['{"openapi":"3.1.0","paths":{}}', 'no "log" object'],
    ['{"log":{"version":"1.2","pages":[]}}', 'no "entries" array'],
    ['{"log":"text"}', '"log" is not an object'],
    ['{"log":{"entries":{}}}', '"log.entries" is not an array'],
    ['{"log":', 'ends at byte 7 before any "log.entries" array (a truncated file'],
    ['{"log":{"version":"1.2","pag', 'truncated file'],
  ])('refuses %j as not HAR with SPECTER_ERR_HAR_INVALID', (text, message) => {
    let error: unknown
    try {
      scanAll(text, 4)
    } catch (err) {
      error = err
    }
    expect(error).toMatchObject({ code: 'SPECTER_ERR_HAR_INVALID' })
    expect(String((error as Error).message)).toContain(message)
  })

  test('hands out the entries before structural damage, then throws', () => {
    const scanner = new EntryScanner({ source: 't.har' })
    const first = scanner.push(Buffer.from('{"log":{"entries":[{"a":1},{"b":2} {"c":3}]}}'))
    expect(first.map((e) => e.index)).toEqual([0, 1])
    expect(() => scanner.end()).toThrow(expect.objectContaining({ code: 'SPECTER_ERR_HAR_INVALID' }))
  })

  // Devtools indent their files; the scanner then jumps from entry to entry (see entry-scanner.ts).
  // Whatever the layout, the jump must find exactly what the byte walk finds.
  const entryOf = (i: number) => ({
    request: { method: 'GET', url: `https://x.test/items/${i}`, headers: [{ name: 'a', value: '}' }] },
    response: { content: { text: JSON.stringify({ id: i, nested: { deep: [{ x: '\n}' }] } }) } },
  })
  const entries = Array.from({ length: 60 }, (_, i) => entryOf(i))
  const layouts: Array<[string, string]> = [
    ['two-space (Chrome)', JSON.stringify({ log: { version: '1.2', entries } }, null, 2)],
    ['one-space CRLF', JSON.stringify({ log: { entries } }, null, 1).replaceAll('\n', '\r\n')],
    ['tabs', JSON.stringify({ log: { entries } }, null, '\t')],
    ['one entry per line', `{"log":{"entries":[\n${entries.map((e) => JSON.stringify(e)).join(',\n')}\n]}}`],
    ['compact', JSON.stringify({ log: { entries } })],
    [
      // Entry 1 closes a nested object at the entries' own indentation: the first candidate does
      // not parse, and the entry is walked byte by byte.
      'irregular indentation',
      '{"log": {"entries": [\n  {"i": 0\n  },\n  {"a": {\n  },\n  "b": 1\n  },\n  {"i": 2\n  },\n  {"i": 3\n  }\n]}}',
    ],
  ]
  test.each(layouts)('finds the same entries laid out as %s, with every chunk size', (name, text) => {
    const expected = (JSON.parse(text) as { log: { entries: unknown[] } }).log.entries
    for (const chunkBytes of [1, 7, 100, 333, 4096, text.length]) {
      const out = scanAll(text, chunkBytes)
      expect(parsed(out)).toEqual(expected)
      expect(out.map((e) => e.index)).toEqual(expected.map((_e, i) => i))
      // In one chunk, all but the first (walked, to learn the layout) and the last (no comma) are jumped to.
      if (chunkBytes !== text.length) continue
      const walked = name === 'compact' ? expected.length : name === 'irregular indentation' ? 3 : 2
      expect(out.jumped).toBe(expected.length - walked)
    }
  })

  test('a broken entry in an indented file is reported by index and the jumps go on after it', () => {
    const good = JSON.stringify({ log: { entries } }, null, 2)
    const at = good.indexOf('"url": "https://x.test/items/7"')
    const text = `${good.slice(0, at)}"url": nope, ${good.slice(at)}`
    for (const chunkBytes of [64, 4096, text.length]) {
      const out = scanAll(text, chunkBytes)
      expect(out).toHaveLength(60)
      expect(out[7]).toMatchObject({ index: 7, problem: expect.stringMatching(/^not valid JSON/) })
      expect(parsed(out.filter((e) => e.index !== 7))).toEqual(entries.filter((_e, i) => i !== 7))
      // walked: the first, the broken one and the last
      if (chunkBytes === text.length) expect(out.jumped).toBe(57)
    }
  })

  test('an entry too large for the jump is still reported as too large', () => {
    const big = { ...entryOf(1), pad: 'x'.repeat(500) }
    const text = JSON.stringify({ log: { entries: [entryOf(0), big, entryOf(2)] } }, null, 2)
    const scanner = new EntryScanner({ source: 't.har', maxEntryBytes: 400 })
    const out = [...scanner.push(Buffer.from(text)), ...scanner.end()]
    expect(out.map((e) => ('value' in e ? `${e.index}:ok` : `${e.index}:${e.problem}`))).toEqual([
      '0:ok',
      '1:the entry is larger than 400 bytes',
      '2:ok',
    ])
  })
})
