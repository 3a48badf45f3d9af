import { describe, expect, test } from 'vitest'
import { EntryScanner, type ScannedEntry } from '../../src/import/index.js'

function scanAll(text: string | Buffer, chunkBytes: number): ScannedEntry[] {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text)
  const scanner = new EntryScanner({ source: 'test.har' })
  const out: ScannedEntry[] = []
  for (let i = 0; i < bytes.length; i += chunkBytes) out.push(...scanner.push(bytes.subarray(i, i + chunkBytes)))
  out.push(...scanner.end())
  return out
}

const parsed = (entries: ScannedEntry[]): unknown[] =>
  entries.map((e) => ('bytes' in e ? JSON.parse(e.bytes.toString('utf8')) : { problem: e.problem }))

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

  test('hands out an entry that is not valid JSON inside, for the caller to report by index', () => {
    const entries = scanAll('{"log":{"entries":[{"a":1},{"b":nope},{"c":3}]}}', 4)
    expect(entries.map((e) => e.index)).toEqual([0, 1, 2])
    const second = entries[1] as { bytes: Buffer }
    expect(() => JSON.parse(second.bytes.toString())).toThrow(SyntaxError)
  })

  test('reports an oversized entry and keeps going', () => {
    const scanner = new EntryScanner({ source: 't.har', maxEntryBytes: 20 })
    const out = [
      ...scanner.push(Buffer.from(`{"log":{"entries":[{"small":1},{"big":"${'x'.repeat(100)}"},{"small":3}]}}`)),
      ...scanner.end(),
    ]
    expect(out.map((e) => ('problem' in e ? `${e.index}:${e.problem}` : `${e.index}:ok`))).toEqual([
      '0:ok',
      '1:the entry is larger than 20 bytes',
      '2:ok',
    ])
  })

  test('reports a file cut inside an entry as that entry, after the complete ones', () => {
    const entries = scanAll('{"log":{"entries":[{"a":1},{"b":"cut he', 3)
    expect(entries.map((e) => ('problem' in e ? `${e.index}:truncated` : `${e.index}:ok`))).toEqual([
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
})
