// Micro-benchmark of `observe`: CPU time per exchange for typical and hostile bodies.
// Run: npm run --silent build && node dist/bench/observe.js [iterations] [--stack-only]
// (STACK_CASES=post,get to choose and order the stack rows)
// The next rows run the whole pipeline (queue, observe, batched SQLite writes) on a temp store;
// the `stack` rows all of Specter's per-exchange work as `specter proxy` wires it (capture,
// enumeration tracking, store, traffic metrics) on the exchanges of bench/proxy-overhead.ts.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { BodyCache } from '../src/capture/body-cache.js'
import { startSpecterStack } from '../src/cli/commands/proxy.js'
import { loadConfig } from '../src/config.js'
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
const stackOnly = process.argv.includes('--stack-only')
if (!stackOnly)
  console.log(`observe: CPU µs per exchange (${iterations} iterations after warm-up), node ${process.version}`)
if (!stackOnly)
  console.log(
    `body: ${oneKb.length} B of JSON; 'cold' parses every body, 'repeat' hits the digest cache (identical bytes)`,
  )
for (const [name, ex] of stackOnly ? [] : cases) {
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
if (!stackOnly) {
  await pipeline('pipeline GET 1 KB, distinct bodies', varied, pipelineN)
  await pipeline('pipeline GET 1 KB, repeated body', repeated, pipelineN)
  await pipeline('pipeline POST 1 KB both ways, distinct', posts, pipelineN)
}

/** The ~1 KB document of bench/proxy-overhead.ts; `n` varies every value but not the shape. */
function kilobyteJson(seed: string, n = 0): string {
  const items = Array.from({ length: 15 }, (_, i) => ({
    id: n * 15 + i + 1,
    name: n === 0 ? `${seed}-item-${i}` : `${seed}-${(n * 7919 + i * 104729) % 1_000_003}`,
    price: 9.5 + i + (n % 400) / 1000,
    ok: n % 2 === 0,
  }))
  const createdAt = new Date(Date.UTC(2026, 10, 23, 12) + n * 1000).toISOString()
  return JSON.stringify({ id: n === 0 ? 42 : n, kind: seed, createdAt, items })
}

/** An exchange as the proxy hands it over under bench/proxy-overhead.ts (n = 0: the fixed one). */
function benchExchange(post: boolean, n: number): Exchange {
  const req = post ? Buffer.from(kilobyteJson('request', n)) : Buffer.alloc(0)
  const res = Buffer.from(kilobyteJson('response', n))
  const now = Date.now()
  return {
    startMs: now,
    endMs: now + 1,
    method: post ? 'POST' : 'GET',
    url: n === 0 ? '/api/orders/42?expand=items' : `/api/orders/${1000 + (n % 5000)}?expand=items&vary=1`,
    requestHeaders: {
      host: '127.0.0.1:8080',
      ...(post
        ? { 'content-type': 'application/json', 'content-length': String(req.length) }
        : { accept: 'application/json' }),
      authorization: 'Bearer bench-token',
    },
    requestBody: post ? copy(req) : { chunks: [], copiedBytes: 0, totalBytes: 0, truncated: false },
    status: 200,
    responseHeaders: {
      'content-type': 'application/json',
      'content-length': String(res.length),
      date: 'Mon, 23 Nov 2026 15:00:00 GMT',
      connection: 'keep-alive',
      'keep-alive': 'timeout=60',
    },
    responseBody: copy(res),
    outcome: 'ok',
    clientAddress: '127.0.0.1',
  }
}

// The whole stack, in process: every exchange submitted to the capture and to the metrics hook,
// as the proxy does; CPU counted until the capture has written it.
const stackDir = mkdtempSync(join(tmpdir(), 'specter-bench-stack-'))
try {
  const config = loadConfig({
    overrides: {
      proxy: { host: '127.0.0.1', port: 0, upstream: 'http://127.0.0.1:9' },
      admin: { host: '127.0.0.1', port: 0 },
      store: { path: join(stackDir, 'bench.db') },
      capture: { sampleRate: 1 },
      log: { level: 'warn' },
    },
  })
  const stack = await startSpecterStack(config, { cwd: stackDir })
  const timing = { upstreamMs: 0.8, totalMs: 1, addedMs: 0.2, upstreamError: undefined }
  const n = Math.max(1_000, iterations)
  for (const scenario of (process.env['STACK_CASES'] ?? 'get,post,get-varied,post-varied').split(',')) {
    const post = scenario.startsWith('post')
    const make = (i: number) => benchExchange(post, scenario.endsWith('-varied') ? i + 1 : 0)
    const feed = async (exchanges: Exchange[]) => {
      for (let done = 0; done < exchanges.length; ) {
        const burst = Math.min(2_000, exchanges.length - done)
        for (let i = 0; i < burst; i++) {
          const e = exchanges[done + i] as Exchange
          stack.capture.submit(e)
          stack.metrics.onExchangeEnd(e, timing)
        }
        done += burst
        await stack.capture.drain()
      }
    }
    await feed(Array.from({ length: 3_000 }, (_, i) => make(i)))
    const exchanges = Array.from({ length: n }, (_, i) => make(3_000 + i))
    const cpu = process.cpuUsage()
    await feed(exchanges)
    const used = process.cpuUsage(cpu)
    console.log(
      `${`stack ${scenario}`.padEnd(38)} ${((used.user + used.system) / n).toFixed(1).padStart(8)} µs CPU  (dropped ${stack.capture.stats().dropped})`,
    )
  }
  await stack.close()
} finally {
  rmSync(stackDir, { recursive: true, force: true })
}
