// Import throughput: generates a HAR file of 100,000 realistic entries (Chrome-like headers,
// JSON bodies, some gzip/base64) in os.tmpdir(), imports it through the capture pipeline into
// a fresh store, and prints entries per second and peak RSS. Run: npm run bench:import
// (ENTRIES=N to change the size, BENCH_HAR=FILE to keep or reuse the generated file). Target: >= 20,000 entries/s.
import { once } from 'node:events'
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { createCapture } from '../src/capture/index.js'
import { importFile } from '../src/import/index.js'
import { createRandom } from '../src/demo/sample-api/random.js'
import { classifyValue } from '../src/security/index.js'
import { openStore } from '../src/store/index.js'

const ENTRIES = Number(process.env['ENTRIES'] ?? 100_000)

function entryJson(r: ReturnType<typeof createRandom>, i: number): string {
  const startedDateTime = new Date(Date.UTC(2026, 10, 20) + i * 37).toISOString()
  const roll = r.next()
  const id = r.int(1, 5000)
  let method = 'GET'
  let url: string
  let body: unknown
  let postData: unknown
  let status = 200
  if (roll < 0.3) {
    url = `https://api.shop.example.com/v2/customers/${id}`
    body = {
      id,
      email: `c${id}@example.com`,
      firstName: 'Ada',
      lastName: 'Lovelace',
      address: { city: 'Berlin', line2: null },
      tags: ['vip'],
      createdAt: startedDateTime,
    }
  } else if (roll < 0.5) {
    url = `https://api.shop.example.com/v2/accounts/${id}/transactions?page=${r.int(1, 5)}&limit=10`
    body = {
      data: Array.from({ length: 3 }, () => ({
        id: r.uuid(),
        amount: -12.5,
        currency: 'EUR',
        bookedAt: startedDateTime,
        category: null,
      })),
      page: 1,
      nextPage: 2,
    }
  } else if (roll < 0.65) {
    method = 'POST'
    status = 201
    url = 'https://api.shop.example.com/v2/orders'
    postData = {
      mimeType: 'application/json',
      text: JSON.stringify({ customerId: id, items: [{ productId: r.int(1001, 1032), quantity: 1 }] }),
    }
    body = { id: r.uuid(), customerId: id, status: 'pending', total: 19.99, createdAt: startedDateTime }
  } else if (roll < 0.8) {
    url = `https://api.shop.example.com/v2/products?category=${r.pick(['audio', 'home', 'books'])}`
    body = { data: [{ id: r.int(1001, 1032), name: 'Desk Lamp', price: 24.99, rating: null }], total: 32 }
  } else if (roll < 0.9) {
    url = `https://api.shop.example.com/v2/orders/${r.uuid()}`
    status = r.chance(0.5) ? 200 : 404
    body =
      status === 200
        ? { id: r.uuid(), status: 'paid', total: 42.1 }
        : { error: { code: 'not_found', message: 'order not found' } }
  } else {
    url = `https://api.shop.example.com/admin/users/${r.int(500, 520)}`
    body = { id: 501, username: 'jkowalski', email: 'jk@example.com', role: 'admin', lastLoginIp: '10.1.2.3' }
  }
  const text = JSON.stringify(body)
  // One entry in ten keeps the compressed bytes as base64 (mitmproxy style).
  const gz = r.chance(0.1)
  const content = gz
    ? { size: text.length, mimeType: 'application/json', text: gzipSync(text).toString('base64'), encoding: 'base64' }
    : { size: text.length, mimeType: 'application/json', text }
  return JSON.stringify({
    _resourceType: 'fetch',
    cache: {},
    request: {
      method,
      url,
      httpVersion: 'h2',
      headers: [
        { name: ':authority', value: 'api.shop.example.com' },
        { name: 'accept', value: 'application/json' },
        { name: 'accept-encoding', value: 'gzip, deflate, br' },
        { name: 'authorization', value: `Bearer bench_${r.hex(24)}` },
        { name: 'user-agent', value: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36' },
      ],
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: postData === undefined ? 0 : 60,
      ...(postData === undefined ? {} : { postData }),
    },
    response: {
      status,
      statusText: '',
      httpVersion: 'h2',
      headers: [
        { name: 'content-type', value: 'application/json; charset=utf-8' },
        { name: 'content-encoding', value: gz ? 'gzip' : 'br' },
        { name: 'date', value: 'Fri, 20 Nov 2026 09:15:02 GMT' },
        { name: 'x-request-id', value: r.hex(16) },
      ],
      cookies: [],
      content,
      redirectURL: '',
      headersSize: -1,
      bodySize: text.length,
    },
    serverIPAddress: '203.0.113.10',
    startedDateTime,
    time: 20 + r.int(0, 200) / 10,
    timings: { blocked: 1, dns: -1, ssl: -1, connect: -1, send: 0.2, wait: 18, receive: 1 },
  })
}

async function writeHar(file: string): Promise<void> {
  const out = createWriteStream(file)
  const r = createRandom(42)
  out.write('{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"pages":[],"entries":[\n')
  for (let i = 0; i < ENTRIES; i++) {
    if (!out.write(`${i === 0 ? '' : ',\n'}${entryJson(r, i)}`)) await once(out, 'drain')
  }
  out.end(']}}\n')
  await once(out, 'finish')
}

const dir = mkdtempSync(join(tmpdir(), 'specter-bench-import-'))
try {
  // BENCH_HAR=path keeps the generated file there (or reuses it), for profiling runs.
  const keep = process.env['BENCH_HAR']
  const file = keep ?? join(dir, 'bench.har')
  if (keep === undefined || !existsSync(keep)) await writeHar(file)
  const size = statSync(file).size
  const store = openStore({ path: join(dir, 'bench.db') })
  const capture = createCapture({
    store,
    options: {
      clientKeySalt: store.salt,
      wantExample: (m, p, s) => store.wantsExample(m, p, s),
      classify: classifyValue,
    },
  })
  let peakRss = process.memoryUsage().rss
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss)
  }, 50)
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  const result = await importFile({ file, sink: capture })
  await capture.close()
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  // On a shared machine wall time depends on the neighbours; CPU time per entry does not.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6
  clearInterval(sampler)
  const stats = capture.stats()
  const endpoints = store.inventory().endpoints.length
  store.close()
  const rate = Math.round(result.imported / seconds)
  console.log(
    JSON.stringify(
      {
        entries: result.imported,
        skipped: result.skipped,
        fileMiB: Math.round((size / 1048576) * 10) / 10,
        seconds: Math.round(seconds * 100) / 100,
        entriesPerSecond: rate,
        cpuSeconds: Math.round(cpuSeconds * 100) / 100,
        entriesPerCpuSecond: Math.round(result.imported / cpuSeconds),
        mibPerSecond: Math.round((size / 1048576 / seconds) * 10) / 10,
        peakRssMiB: Math.round(peakRss / 1048576),
        observationsWritten: stats.observationsWritten,
        dropped: stats.dropped,
        endpoints,
        node: process.version,
      },
      null,
      2,
    ),
  )
  console.log(rate >= 20_000 ? `OK: ${rate} entries/s >= 20,000` : `BELOW TARGET: ${rate} entries/s < 20,000`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
