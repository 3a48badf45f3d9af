// Importing a file in parts on worker threads gives the store, counts and skipped entries that
// one thread reading it all gives: HAR laid out by devtools and NDJSON, broken entries in every
// part, a truncated end, and a file whose layout fools the cut (the first part then reads on).
import { once } from 'node:events'
import { createWriteStream, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import { beforeAll, describe, expect, onTestFinished, test } from 'vitest'
import { main } from '../../src/cli/main.js'
import { createCapture, DEFAULT_CAPTURE_OPTIONS } from '../../src/capture/index.js'
import type { SpecterError } from '../../src/errors.js'
import { type ImportProgress, importCaptureOptions, importFile, splitPoints } from '../../src/import/index.js'
import { classifyValue } from '../../src/security/index.js'
import { openStore } from '../../src/store/index.js'
import { ensureBuilt } from '../faults/specter-process.js'
import { testIo } from '../helpers/cli-io.js'
import { tempDbPath } from '../helpers/temp-db.js'

// Workers run the compiled module (dist/), as the installed program does.
beforeAll(() => ensureBuilt(), 180_000)

const T0 = Date.UTC(2026, 10, 20)

/** A devtools-like entry: a few endpoints, statuses, bodies with PII, a bearer token, base64 now and then. */
function entryValue(i: number): Record<string, unknown> {
  const kind = i % 4
  const url =
    kind === 0
      ? `https://api.example.com/v2/customers/${1000 + (i % 97)}`
      : kind === 1
        ? `https://api.example.com/v2/orders?page=${i % 5}&limit=20`
        : kind === 2
          ? `https://api.example.com/v2/products/sku-${i % 13}`
          : 'https://api.example.com/v2/orders'
  const body = JSON.stringify({
    id: i,
    email: `user${i % 31}@example.com`,
    note: `say "hi" \\ ${'é'.repeat(i % 5)}`,
    items: Array.from({ length: i % 4 }, (_, k) => ({ sku: `s${k}`, qty: k + 1, price: k + 0.5 })),
    ...(i % 50 === 0 ? { added: { at: new Date(T0).toISOString() } } : {}),
  })
  const status = i % 23 === 0 ? 404 : kind === 3 ? 201 : 200
  return {
    _initiator: { type: 'script', stack: { callFrames: [{ functionName: 'load', lineNumber: i % 9 }] } },
    startedDateTime: new Date(T0 + i * 1000).toISOString(),
    time: 2 + (i % 7),
    request: {
      method: kind === 3 ? 'POST' : 'GET',
      url,
      headers: [
        { name: 'accept', value: 'application/json' },
        { name: 'authorization', value: `Bearer token-${i % 3}` },
        ...(kind === 3 ? [{ name: 'content-type', value: 'application/json' }] : []),
      ],
      ...(kind === 3 ? { postData: { mimeType: 'application/json', text: body } } : {}),
    },
    response: {
      status,
      headers: [{ name: 'content-type', value: 'application/json' }],
      content:
        i % 10 === 0
          ? { mimeType: 'application/json', text: Buffer.from(body).toString('base64'), encoding: 'base64' }
          : { mimeType: 'application/json', text: body },
    },
  }
}

/** An entry as Chrome lays it out: two spaces a level, entries three levels deep. */
const indented = (value: unknown): string => `      ${JSON.stringify(value, null, 2).replaceAll('\n', '\n      ')}`

const BROKEN = '      {\n        "request": {\n          "method": "GET"\n        }\n      }'

async function writeLines(file: string, head: string, lines: Iterable<string>, tail: string): Promise<void> {
  const out = createWriteStream(file)
  out.write(head)
  for (const line of lines) if (!out.write(line)) await once(out, 'drain')
  out.end(tail)
  await once(out, 'finish')
}

function* harEntries(n: number, broken: Set<number>): Iterable<string> {
  for (let i = 0; i < n; i++) yield `${i === 0 ? '' : ',\n'}${broken.has(i) ? BROKEN : indented(entryValue(i))}`
}

const HAR_HEAD =
  '{\n  "log": {\n    "version": "1.2",\n    "creator": {\n      "name": "test"\n    },\n    "pages": [\n      {\n        "id": "page_1",\n        "title": "shop"\n      }\n    ],\n    "entries": [\n'

/** Every row of every table but meta (ids left out: they number rows in write order). */
function rowsOf(path: string): Record<string, string[]> {
  const db = new Database(path, { readonly: true })
  try {
    const out: Record<string, string[]> = {}
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'meta'")
      .all() as Array<{ name: string }>
    for (const { name } of tables) {
      out[name] = (db.prepare(`SELECT * FROM "${name}"`).all() as Array<Record<string, unknown>>)
        .map((r) => {
          const { id: _id, endpoint_id: _endpoint, ...rest } = r
          return JSON.stringify(rest)
        })
        .sort()
    }
    return out
  } finally {
    db.close()
  }
}

/** Imports `file` into a fresh store with `workers` worker threads (0: this thread alone). */
async function importWith(file: string, workers: number) {
  const path = tempDbPath()
  const store = openStore({ path })
  onTestFinished(() => store.close())
  const settings = importCaptureOptions({ batchSize: 500, queueSize: 10_000, maxQueueBytes: 32 * 1024 * 1024 })
  const capture = createCapture({
    store,
    options: {
      ...settings,
      clientKeySalt: store.salt,
      wantExample: (m, p, s) => store.wantsExample(m, p, s),
      classify: classifyValue,
    },
  })
  const skips: number[] = []
  const progress: ImportProgress[] = []
  const result = await importFile({
    file,
    sink: capture,
    nowMs: T0,
    onSkip: (s) => skips.push(s.at),
    onProgress: (p) => progress.push(p),
    parallel: {
      workers,
      minBytes: 0,
      capture: { ...settings, clientKeySalt: store.salt },
      limits: store.limits,
      apply: (aggs) => store.apply(aggs),
    },
  })
  await capture.close()
  expect(capture.stats().dropped + result.workerDropped).toBe(0)
  store.close()
  return { result, skips, last: progress.at(-1), rows: rowsOf(path) }
}

describe('parallel import', () => {
  test('a devtools HAR read in three parts fills the store exactly as one thread does', async () => {
    const file = join(dirname(tempDbPath()), 'shop.har')
    const n = 3000
    // Broken entries early, in the middle and late: each part skips some, numbered as in the whole file.
    const broken = new Set([7, 1499, 1500, 2990])
    await writeLines(file, HAR_HEAD, harEntries(n, broken), '\n    ]\n  }\n}\n')
    const one = await importWith(file, 0)
    const three = await importWith(file, 2)
    expect(one.result.workers).toBe(0)
    expect(three.result.workers).toBe(2)
    for (const r of [one.result, three.result]) {
      expect(r).toMatchObject({ entries: n, imported: n - broken.size, skipped: broken.size })
    }
    expect(three.result.skippedEntries).toEqual(one.result.skippedEntries)
    // The last progress line is the whole file, whichever threads read it.
    for (const r of [one, three]) {
      expect(r.last).toEqual({
        bytesRead: statSync(file).size,
        totalBytes: statSync(file).size,
        entries: n,
        imported: n - broken.size,
        skipped: broken.size,
      })
    }
    expect(three.skips).toEqual([...broken])
    expect(one.skips).toEqual([...broken])
    expect(three.rows).toEqual(one.rows)
    expect(three.rows['endpoint']?.length).toBeGreaterThan(3)
    expect(three.rows['example']?.length).toBeGreaterThan(3)
  })

  test('a truncated HAR reports its cut entry with the same index whichever thread reads the end', async () => {
    const file = join(dirname(tempDbPath()), 'cut.har')
    const n = 1200
    await writeLines(file, HAR_HEAD, harEntries(n, new Set()), ',\n      {\n        "request": {\n')
    const one = await importWith(file, 0)
    const two = await importWith(file, 1)
    expect(two.result.workers).toBe(1)
    expect(one.result.skippedEntries).toEqual([{ at: n, kind: 'entry', reason: expect.stringContaining('truncated') }])
    expect(two.result.skippedEntries).toEqual(one.result.skippedEntries)
    expect(two.rows).toEqual(one.rows)
  })

  test('an NDJSON log read in two parts: same store, same line numbers for broken lines', async () => {
    const file = join(dirname(tempDbPath()), 'gateway.ndjson')
    const n = 2000
    function* lines(): Iterable<string> {
      for (let i = 0; i < n; i++) {
        const e = entryValue(i)
        const request = e['request'] as { method: string; url: string }
        const response = e['response'] as { status: number }
        yield i === 1500
          ? '{"method": "GET", "url": \n'
          : i === 400
            ? '\n'
            : `${JSON.stringify({ method: request.method, url: request.url, status: response.status, startedAt: new Date(T0 + i * 1000).toISOString(), responseHeaders: { 'content-type': 'application/json' }, responseBody: JSON.stringify({ id: i, email: `u${i % 7}@example.com` }) })}\n`
      }
    }
    await writeLines(file, '', lines(), '')
    const one = await importWith(file, 0)
    const two = await importWith(file, 1)
    expect(two.result.workers).toBe(1)
    expect(one.skips).toEqual([1501])
    expect(two.skips).toEqual(one.skips)
    expect(two.result).toMatchObject({ entries: one.result.entries, imported: one.result.imported })
    expect(two.rows).toEqual(one.rows)
  })

  test('a HAR laid out so that the cut lands inside an entry: the first part reads on, nothing is counted twice', async () => {
    const file = join(dirname(tempDbPath()), 'trap.har')
    // The last entry carries an array indented like the entries themselves, longer than the rest
    // of the file: the cut is found between two of its elements (each "parses as an entry").
    const trapItems = Array.from(
      { length: 1500 },
      (_, k) =>
        `      {\n        "request": {\n          "method": "GET",\n          "url": "https://api.example.com/trap/${k}"\n        }\n      }`,
    )
    const trap = `      {\n        "startedDateTime": "2026-11-20T00:00:00.000Z",\n        "request": {\n          "method": "GET",\n          "url": "https://api.example.com/v2/last"\n        },\n        "response": {\n          "status": 200\n        },\n        "_trap": [\n${trapItems.join(',\n')}\n        ]\n      }`
    await writeLines(file, HAR_HEAD, [...harEntries(50, new Set()), `,\n${trap}`], '\n    ]\n  }\n}\n')
    const points = await splitPoints({ file, size: statSync(file).size, format: 'har', parts: 2 })
    expect(points).toHaveLength(1)
    const one = await importWith(file, 0)
    const two = await importWith(file, 1)
    expect(two.result.workers).toBe(0)
    expect(two.result).toMatchObject({ entries: 51, imported: 51, skipped: 0 })
    expect(two.last).toMatchObject({ bytesRead: statSync(file).size, entries: 51 })
    expect(two.rows).toEqual(one.rows)
    expect(two.rows['endpoint']?.some((r) => r.includes('/trap/'))).toBe(false)
  })

  test('damage after the entries, read by a worker: what came before is written, then the same coded error', async () => {
    const file = join(dirname(tempDbPath()), 'tail.har')
    await writeLines(file, HAR_HEAD, harEntries(1200, new Set()), '\n    ]\n  }\n}\n{"again": 1}\n')
    const errors: unknown[] = []
    const counts: number[] = []
    for (const workers of [0, 1]) {
      const path = tempDbPath()
      const store = openStore({ path })
      const capture = createCapture({ store, options: { clientKeySalt: store.salt } })
      await importFile({
        file,
        sink: capture,
        parallel: {
          workers,
          minBytes: 0,
          capture: { ...importCaptureOptions(DEFAULT_CAPTURE_OPTIONS), clientKeySalt: store.salt },
          limits: store.limits,
          apply: (aggs) => store.apply(aggs),
        },
      }).catch((err: unknown) => errors.push(err))
      await capture.close()
      counts.push(store.inventory().endpoints.reduce((sum, e) => sum + e.count, 0))
      store.close()
    }
    expect(counts).toEqual([1200, 1200])
    expect(errors).toHaveLength(2)
    const [a, b] = errors as [SpecterError, SpecterError]
    expect(b.code).toBe('SPECTER_ERR_HAR_INVALID')
    expect(b.message).toBe(a.message)
    expect(a.message).toContain('unexpected data after the HAR document at byte')
  })

  test('a HAR on one line is not cut', async () => {
    const file = join(dirname(tempDbPath()), 'compact.har')
    writeFileSync(
      file,
      JSON.stringify({ log: { version: '1.2', entries: Array.from({ length: 300 }, (_, i) => entryValue(i)) } }),
    )
    const two = await importWith(file, 1)
    expect(two.result).toMatchObject({ workers: 0, entries: 300, imported: 300 })
  })
})

test('specter import --threads 2 on a 33 MiB HAR: one worker, the same inventory as --threads 1', async () => {
  const dir = dirname(tempDbPath())
  const file = join(dir, 'big.har')
  let bytes = 0
  let n = 0
  function* entries(): Iterable<string> {
    while (bytes < 33 * 1024 * 1024) {
      const text = `${n === 0 ? '' : ',\n'}${indented(entryValue(n))}`
      bytes += text.length
      n++
      yield text
    }
  }
  await writeLines(file, HAR_HEAD, entries(), '\n    ]\n  }\n}\n')
  const results = []
  for (const threads of ['1', '2']) {
    const db = join(dir, `t${threads}.db`)
    const io = testIo({}, dir)
    const code = await main(['import', file, '--db', db, '--threads', threads, '--json', '-q'], io)
    expect(code, io.stderr.text).toBe(0)
    results.push({ out: JSON.parse(io.stdout.text) as { workers: number; imported: number }, rows: rowsOf(db) })
  }
  const [one, two] = results as [(typeof results)[0], (typeof results)[0]]
  expect(one.out).toMatchObject({ workers: 0, imported: n })
  expect(two.out).toMatchObject({ workers: 1, imported: n })
  expect(two.rows).toEqual(one.rows)
}, 120_000)

test('specter import --threads must be a whole number', async () => {
  const io = testIo()
  expect(await main(['import', 'x.har', '--threads', 'many'], io)).toBe(2)
  expect(io.stderr.text).toContain('--threads must be a whole number')
})
