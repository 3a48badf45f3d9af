// Micro-benchmark of `observe`: CPU time per exchange for typical and hostile bodies.
// Run: npm run --silent build && node dist/bench/observe.js [iterations]
// The last rows run the whole pipeline (queue, observe, batched SQLite writes) on a temp store.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { BodyCache } from '../src/capture/body-cache.js'
import { createCapture, type Exchange, observe } from '../src/capture/index.js'
import { loadMigrations, openStore } from '../src/store/index.js'

function copy(bytes: Buffer) {
  return { chunks: [bytes], copiedBytes: bytes.length, totalBytes: bytes.length, truncated: false }
}

function exchangeWith(method: string, url: string, reqBody: Buffer, resBody: Buffer, resEncoding?: string): Exchange {
  const responseHeaders: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(resBody.length),
    date: 'Mon, 23 Nov 2026 15:00:00 GMT',
    connection: 'keep-alive',
  }
  if (resEncoding !== undefined) responseHeaders['content-encoding'] = resEncoding
  return {
    startMs: 1_700_000_000_000,
    endMs: 1_700_000_000_003,
    method,
    url,
    requestHeaders: {
      host: '127.0.0.1:8080',
      'user-agent': 'autocannon',
      accept: 'application/json',
      authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl',
      ...(reqBody.length > 0 ? { 'content-type': 'application/json', 'content-length': String(reqBody.length) } : {}),
    },
    requestBody: copy(reqBody),
    status: 200,
    responseHeaders,
    responseBody: copy(resBody),
    outcome: 'ok',
    clientAddress: '127.0.0.1',
  }
}

// About 1 KB of JSON: a small list of users, as in the proxy benchmark.
const oneKb = Buffer.from(
  JSON.stringify({
    items: Array.from({ length: 8 }, (_, i) => ({
      id: 1000 + i,
      name: `User ${i}`,
      email: `user${i}@example.com`,
      created: '2024-05-01T10:00:00Z',
      active: i % 2 === 0,
      role: i % 3 === 0 ? 'admin' : 'member',
    })),
    total: 6,
    page: 1,
  }),
)

const cases: Array<[string, Exchange]> = [
  ['GET, 1 KB JSON response', exchangeWith('GET', '/users/42/orders?limit=10&sort=asc', Buffer.alloc(0), oneKb)],
  ['POST, 1 KB JSON both ways', exchangeWith('POST', '/users', oneKb, oneKb)],
  ['GET, 1 KB JSON gzip', exchangeWith('GET', '/users?page=2', Buffer.alloc(0), gzipSync(oneKb), 'gzip')],
  [
    'GET, 10,000-level nesting',
    exchangeWith('GET', '/x', Buffer.alloc(0), Buffer.from('['.repeat(10_000) + ']'.repeat(10_000))),
  ],
]

const iterations = Number(process.argv[2] ?? 20_000)
console.log(`observe: CPU µs per exchange (${iterations} iterations after warm-up), node ${process.version}`)
console.log(
  `body: ${oneKb.length} B of JSON; 'cold' parses every body, 'repeat' hits the digest cache (identical bytes)`,
)
for (const [name, ex] of cases) {
  for (const mode of ['cold', 'repeat'] as const) {
    const n = name.includes('nesting') ? Math.max(1, Math.floor(iterations / 100)) : iterations
    const cache = mode === 'repeat' ? new BodyCache() : undefined
    for (let i = 0; i < Math.min(n, 2_000); i++) observe(ex, {}, cache)
    const cpu = process.cpuUsage()
    const started = process.hrtime.bigint()
    for (let i = 0; i < n; i++) observe(ex, {}, cache)
    const used = process.cpuUsage(cpu)
    const wallUs = Number(process.hrtime.bigint() - started) / 1e3 / n
    const cpuUs = (used.user + used.system) / n
    console.log(
      `${`${name}, ${mode}`.padEnd(38)} ${cpuUs.toFixed(1).padStart(8)} µs CPU ${wallUs.toFixed(1).padStart(8)} µs wall`,
    )
  }
}

// The pipeline: submit, observe in the flush loop, write batches into a real SQLite store.
async function pipeline(label: string, make: (i: number) => Exchange, n: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'specter-bench-'))
  try {
    const migrations = loadMigrations(join(process.cwd(), 'migrations'))
    const store = openStore({ path: join(dir, 'bench.db'), migrations })
    const capture = createCapture({
      store,
      options: { clientKeySalt: store.salt, wantExample: (m, p, s) => store.wantsExample(m, p, s) },
    })
    for (let i = 0; i < 2_000; i++) capture.submit(make(i))
    await capture.drain()
    // Exchanges are built before the reading: what the proxy hands over costs the capture nothing.
    const exchanges = Array.from({ length: n }, (_, i) => make(2_000 + i))
    const cpu = process.cpuUsage()
    for (let done = 0; done < n; ) {
      // Submit in bursts the queue can hold, as a proxy under load would.
      const burst = Math.min(5_000, n - done)
      for (let i = 0; i < burst; i++) capture.submit(exchanges[done + i] as Exchange)
      done += burst
      await capture.drain()
    }
    const used = process.cpuUsage(cpu)
    await capture.close()
    store.close()
    const stats = capture.stats()
    console.log(
      `${label.padEnd(38)} ${((used.user + used.system) / n).toFixed(1).padStart(8)} µs CPU  (dropped ${stats.dropped})`,
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const varied = (i: number): Exchange => {
  // A different id in every body: nothing repeats byte for byte, the cache never hits.
  const body = Buffer.from(oneKb.toString().replace('"total":6', `"total":${i}`))
  return exchangeWith('GET', `/users/${i % 50}/orders?limit=10`, Buffer.alloc(0), body)
}
const repeated = (i: number): Exchange =>
  exchangeWith('GET', `/users/${i % 50}/orders?limit=10`, Buffer.alloc(0), oneKb)
const posts = (i: number): Exchange => {
  const body = Buffer.from(oneKb.toString().replace('"total":6', `"total":${i}`))
  return exchangeWith('POST', '/users', body, body)
}
const pipelineN = Math.max(1_000, Math.floor(iterations / 2))
await pipeline('pipeline GET 1 KB, distinct bodies', varied, pipelineN)
await pipeline('pipeline GET 1 KB, repeated body', repeated, pipelineN)
await pipeline('pipeline POST 1 KB both ways, distinct', posts, pipelineN)
