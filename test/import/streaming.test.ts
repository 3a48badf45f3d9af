import { createWriteStream, readFileSync, writeFileSync } from 'node:fs'
import { once } from 'node:events'
import { dirname, join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { expect, onTestFinished, test } from 'vitest'
import { createCapture } from '../../src/capture/index.js'
import { importFile, type ImportProgress } from '../../src/import/index.js'
import { openStore } from '../../src/store/index.js'
import { tempDbPath } from '../helpers/temp-db.js'

const ENTRIES = 3000

function entry(i: number, indent?: number): string {
  // Bodies with escaped quotes, backslashes and non-ASCII text, so chunk boundaries fall inside strings.
  const body = JSON.stringify({
    id: i,
    note: `say "hi" \\ ${'é'.repeat(i % 7)}`,
    tags: ['a', 'b'],
    text: 'lorem ipsum '.repeat(40),
  })
  return JSON.stringify(
    {
      startedDateTime: new Date(Date.UTC(2026, 10, 20) + i * 1000).toISOString(),
      time: 3,
      request: {
        method: 'GET',
        url: `https://api.example.com/v2/notes/${i}`,
        headers: [{ name: 'accept', value: 'application/json' }],
      },
      response: { status: 200, headers: [], content: { mimeType: 'application/json', text: body } },
    },
    null,
    indent,
  )
}

/** One compact entry a line, or indented as devtools write it (`indent` spaces a level). */
async function writeHar(file: string, indent?: number): Promise<void> {
  const out = createWriteStream(file)
  out.write('{"log":{"version":"1.2","creator":{"name":"test","version":"1"},"entries":[')
  for (let i = 0; i < ENTRIES; i++) out.write(`${i === 0 ? '' : ',\n'}${entry(i, indent)}`)
  out.end(']}}')
  await once(out, 'finish')
}

async function importCounting(file: string) {
  const store = openStore({ path: tempDbPath() })
  onTestFinished(() => store.close())
  const capture = createCapture({ store, options: { clientKeySalt: store.salt } })
  const progress: ImportProgress[] = []
  // Drains every 500 exchanges, so the capture's queue limits are never what bounds the test.
  const result = await importFile({ file, sink: capture, drainEvery: 500, onProgress: (p) => progress.push(p) })
  await capture.close()
  expect(capture.stats().dropped).toBe(0)
  return { result, progress, endpoint: store.inventory().endpoints.find((e) => e.pathKey === '/v2/notes/{int}') }
}

test('a HAR spanning many read chunks imports every entry, with progress by bytes', async () => {
  const file = join(dirname(tempDbPath()), 'big.har')
  await writeHar(file)
  const size = readFileSync(file).length
  expect(size).toBeGreaterThan(2 * 1024 * 1024)
  const { result, progress, endpoint } = await importCounting(file)
  expect(result).toMatchObject({ entries: ENTRIES, imported: ENTRIES, skipped: 0, bytes: size })
  expect(endpoint?.count).toBe(ENTRIES)
  expect(progress.length).toBeGreaterThan(2)
  expect(progress.at(-1)).toMatchObject({ bytesRead: size, totalBytes: size, imported: ENTRIES })
  expect(endpoint?.firstSeenMs).toBe(Date.UTC(2026, 10, 20))
  expect(endpoint?.lastSeenMs).toBe(Date.UTC(2026, 10, 20) + (ENTRIES - 1) * 1000)
})

test('an indented HAR (as devtools write it) imports every entry exactly, across read chunks', async () => {
  const file = join(dirname(tempDbPath()), 'indented.har')
  await writeHar(file, 2)
  const { result, endpoint } = await importCounting(file)
  expect(result).toMatchObject({ entries: ENTRIES, imported: ENTRIES, skipped: 0 })
  expect(endpoint?.count).toBe(ENTRIES)
  expect(endpoint?.lastSeenMs).toBe(Date.UTC(2026, 10, 20) + (ENTRIES - 1) * 1000)
})

test('a gzip-compressed HAR (.har.gz) and NDJSON (.ndjson.gz) are decompressed on the fly', async () => {
  const dir = dirname(tempDbPath())
  const har = join(dir, 'big.har')
  await writeHar(har)
  writeFileSync(`${har}.gz`, gzipSync(readFileSync(har)))
  const fromHar = await importCounting(`${har}.gz`)
  expect(fromHar.result).toMatchObject({ format: 'har', imported: ENTRIES, skipped: 0 })
  const lines = Array.from({ length: 50 }, (_, i) =>
    JSON.stringify({
      method: 'GET',
      url: `https://api.example.com/v2/notes/${i}`,
      status: 200,
      responseBody: { id: i },
    }),
  )
  writeFileSync(join(dir, 'log.ndjson.gz'), gzipSync(`${lines.join('\n')}\n`))
  const fromNdjson = await importCounting(join(dir, 'log.ndjson.gz'))
  expect(fromNdjson.result).toMatchObject({ format: 'ndjson', imported: 50, skipped: 0 })
  expect(fromNdjson.endpoint?.count).toBe(50)
})
