// Import throughput: generates a HAR file of realistic Chrome "Save all as HAR" entries (pretty-printed;
// 15 endpoints with varied bodies, HTTP/2 pseudo-headers, initiator stacks, cookies, images in base64,
// preflights, 304s, failed requests; JSON stored decoded under content-encoding, and one JSON body in
// ten kept gzip+base64 as mitmproxy does) in os.tmpdir(), imports it through the capture pipeline into
// a fresh store and prints entries per second (wall and CPU), the importer alone, and peak RSS.
// Run: npm run bench:import (ENTRIES=N to change the size, ROUNDS=N to repeat, BENCH_HAR=FILE to keep
// or reuse the generated file, THREADS=N for the threads reading it; each round also imports with
// one thread). Target: >= 20,000 entries/s.
import { once } from 'node:events'
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { createCapture, DEFAULT_CAPTURE_OPTIONS } from '../src/capture/index.js'
import { importCaptureOptions, importFile } from '../src/import/index.js'
import { createRandom } from '../src/demo/sample-api/random.js'
import { classifyValue } from '../src/security/index.js'
import { openStore } from '../src/store/index.js'

const ENTRIES = Number(process.env['ENTRIES'] ?? 40_000)
const ROUNDS = Math.max(1, Number(process.env['ROUNDS'] ?? 1))
/** Threads reading the file, as `specter import` chooses them (THREADS=N to override). */
const THREADS = Math.max(1, Number(process.env['THREADS'] ?? Math.min(availableParallelism(), 8)))

type Rnd = ReturnType<typeof createRandom>
type Pair = { name: string; value: string }

const API = 'https://api.shop.example.com'
const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Ken', 'Margaret', 'Linus', 'Radia', 'Donald', 'Frances']
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Thompson', 'Hamilton', 'Torvalds', 'Perlman']
const CITIES = ['Berlin', 'Lyon', 'Porto', 'Kraków', 'Zürich', 'Oslo', 'Gent', 'Bologna', 'Tallinn']
const CATEGORIES = ['audio', 'home', 'books', 'garden', 'toys', 'kitchen', 'sport']
const WORDS = ['desk', 'lamp', 'oak', 'steel', 'wireless', 'mini', 'pro', 'eco', 'classic', 'travel', 'kit', 'set']
const PAGES = ['/account', '/orders', '/products', '/checkout', '/search']

/** A browser session: its bearer token and cookies (values are never stored by Specter). */
interface Session {
  token: string
  cookie: string
  customerId: number
}

const words = (r: Rnd, n: number) => Array.from({ length: n }, () => r.pick(WORDS)).join(' ')
const money = (r: Rnd, max: number) => Math.round(r.next() * max * 100) / 100

function customer(r: Rnd, id: number, iso: string) {
  const first = r.pick(FIRST)
  const last = r.pick(LAST)
  return {
    id,
    email: `${first.toLowerCase()}.${last.toLowerCase()}${r.int(1, 99)}@example.com`,
    firstName: first,
    lastName: last,
    phone: r.chance(0.6) ? `+49 30 ${r.int(1000000, 9999999)}` : null,
    address: {
      street: `${words(r, 1)}str. ${r.int(1, 200)}`,
      city: r.pick(CITIES),
      zip: String(r.int(10000, 99999)),
      line2: r.chance(0.2) ? `Apt ${r.int(1, 40)}` : null,
    },
    tags: Array.from({ length: r.int(0, 3) }, () => r.pick(['vip', 'b2b', 'newsletter', 'beta'])),
    loyalty: r.chance(0.7) ? { points: r.int(0, 20000), tier: r.pick(['bronze', 'silver', 'gold']) } : null,
    createdAt: iso,
  }
}

function product(r: Rnd) {
  return {
    id: r.int(1001, 1400),
    sku: `SKU-${r.hex(6).toUpperCase()}`,
    name: words(r, r.int(2, 4)),
    price: money(r, 300),
    currency: 'EUR',
    rating: r.chance(0.8) ? Math.round(r.next() * 50) / 10 : null,
    stock: r.int(0, 500),
    category: r.pick(CATEGORIES),
    imageUrl: `https://cdn.shop.example.com/img/p${r.int(1001, 1400)}.webp`,
  }
}

function transaction(r: Rnd, iso: string) {
  return {
    id: r.uuid(),
    amount: -money(r, 500),
    currency: r.pick(['EUR', 'EUR', 'USD', 'PLN']),
    bookedAt: iso,
    counterparty: {
      name: `${r.pick(LAST)} GmbH`,
      iban: `DE${r.int(10, 99)}${r.int(10000000, 99999999)}${r.int(1000000000, 9999999999)}`,
    },
    category: r.chance(0.7) ? r.pick(['groceries', 'rent', 'travel', 'salary']) : null,
    reference: `RF${r.int(10, 99)} ${r.hex(8)}`,
  }
}

/** One exchange: method, url, request body, status, response body (undefined: none). */
interface Call {
  method: string
  url: string
  status: number
  requestJson?: unknown
  requestForm?: Pair[]
  response?: unknown
  /** a binary response (image), exported as base64 */
  binary?: Buffer
  /** the body was not saved (304, preflight, failed request) */
  noBody?: boolean
  error?: string
}

function call(r: Rnd, s: Session, iso: string): Call {
  const roll = r.next()
  const id = r.chance(0.5) ? s.customerId : r.int(1, 50_000)
  if (roll < 0.18)
    return {
      method: 'GET',
      url: `${API}/v2/customers/${id}`,
      status: r.chance(0.97) ? 200 : 404,
      response: customer(r, id, iso),
    }
  if (roll < 0.28) {
    const limit = r.pick([10, 20, 25])
    const n = r.int(0, limit)
    return {
      method: 'GET',
      url: `${API}/v2/accounts/${id}/transactions?page=${r.int(1, 9)}&limit=${limit}${r.chance(0.3) ? `&from=${iso.slice(0, 10)}` : ''}`,
      status: 200,
      response: {
        data: Array.from({ length: n }, () => transaction(r, iso)),
        page: r.int(1, 9),
        nextPage: n === limit ? r.int(2, 10) : null,
      },
    }
  }
  if (roll < 0.35) {
    const items = Array.from({ length: r.int(1, 4) }, () => ({ productId: r.int(1001, 1400), quantity: r.int(1, 3) }))
    const ok = r.chance(0.9)
    return {
      method: 'POST',
      url: `${API}/v2/orders`,
      status: ok ? 201 : 422,
      requestJson: {
        customerId: s.customerId,
        items,
        couponCode: r.chance(0.2) ? r.hex(8).toUpperCase() : undefined,
        note: r.chance(0.3) ? words(r, 5) : undefined,
      },
      response: ok
        ? { id: r.uuid(), customerId: s.customerId, status: 'pending', items, total: money(r, 400), createdAt: iso }
        : { error: { code: 'validation_failed', message: 'items[0].quantity is out of stock', fields: ['items'] } },
    }
  }
  if (roll < 0.42) {
    const found = r.chance(0.8)
    return {
      method: 'GET',
      url: `${API}/v2/orders/${r.uuid()}`,
      status: found ? 200 : 404,
      response: found
        ? {
            id: r.uuid(),
            status: r.pick(['paid', 'shipped', 'delivered', 'cancelled']),
            total: money(r, 400),
            shippedAt: r.chance(0.5) ? iso : null,
            trackingUrl: r.chance(0.4) ? `https://track.example.net/${r.hex(12)}` : null,
          }
        : { error: { code: 'not_found', message: 'order not found' } },
    }
  }
  if (roll < 0.51) {
    const n = r.int(0, 20)
    return {
      method: 'GET',
      url: `${API}/v2/products?category=${r.pick(CATEGORIES)}&page=${r.int(1, 20)}${r.chance(0.3) ? '&sort=price' : ''}`,
      status: 200,
      response: { data: Array.from({ length: n }, () => product(r)), total: r.int(n, 400) },
    }
  }
  if (roll < 0.56)
    return {
      method: 'GET',
      url: `${API}/v2/products/${r.int(1001, 1400)}`,
      status: 200,
      response: { ...product(r), description: words(r, r.int(8, 30)) },
    }
  if (roll < 0.6) {
    const n = r.int(0, 8)
    return {
      method: 'GET',
      url: `${API}/v2/search?q=${encodeURIComponent(words(r, r.int(1, 3)))}&limit=8`,
      status: 200,
      response: {
        hits: Array.from({ length: n }, () => ({ id: r.int(1001, 1400), title: words(r, 3), score: r.next() })),
        tookMs: r.int(1, 90),
      },
    }
  }
  if (roll < 0.64)
    return {
      method: 'PATCH',
      url: `${API}/v2/cart/items/${r.int(1001, 1400)}`,
      status: 200,
      requestJson: { quantity: r.int(0, 5) },
      response: { items: r.int(1, 9), subtotal: money(r, 900) },
    }
  if (roll < 0.66) {
    return {
      method: 'POST',
      url: `${API}/oauth/token`,
      status: 200,
      requestForm: [
        { name: 'grant_type', value: 'refresh_token' },
        { name: 'refresh_token', value: r.hex(40) },
        { name: 'client_id', value: 'web-shop' },
      ],
      response: { access_token: r.hex(40), token_type: 'Bearer', expires_in: 3600, scope: 'shop:read shop:write' },
    }
  }
  if (roll < 0.71) return { method: 'OPTIONS', url: `${API}/v2/orders`, status: 204, noBody: true }
  if (roll < 0.77)
    return {
      method: 'GET',
      url: `https://cdn.shop.example.com/img/p${r.int(1001, 1400)}.webp`,
      status: 200,
      binary: binaryOf(r),
    }
  if (roll < 0.81)
    return { method: 'GET', url: `${API}/v2/recommendations?customerId=${s.customerId}`, status: 304, noBody: true }
  if (roll < 0.88) {
    const n = r.int(0, 10)
    return {
      method: 'GET',
      url: `${API}/v2/customers/${id}/orders?status=${r.pick(['open', 'all'])}`,
      status: 200,
      response: {
        data: Array.from({ length: n }, () => ({
          id: r.uuid(),
          total: money(r, 400),
          status: r.pick(['paid', 'shipped']),
          createdAt: iso,
        })),
        count: n,
      },
    }
  }
  if (roll < 0.9)
    return {
      method: 'GET',
      url: `${API}/admin/users/${r.int(500, 540)}`,
      status: 200,
      response: {
        id: r.int(500, 540),
        username: `${r.pick(FIRST).toLowerCase()}${r.int(1, 9)}`,
        email: `ops${r.int(1, 9)}@example.com`,
        role: r.pick(['admin', 'support']),
        lastLoginIp: `10.1.${r.int(0, 255)}.${r.int(1, 254)}`,
        mfa: r.chance(0.5),
      },
    }
  if (roll < 0.91)
    return {
      method: 'GET',
      url: `${API}/v2/customers/${id}`,
      status: 0,
      noBody: true,
      error: r.pick(['net::ERR_ABORTED', 'net::ERR_CONNECTION_RESET']),
    }
  return {
    method: 'GET',
    url: `${API}/v2/customers/${id}/addresses`,
    status: 200,
    response: Array.from({ length: r.int(1, 3) }, () => customer(r, id, iso).address),
  }
}

// Webp-ish bytes: a RIFF header and incompressible noise, 1 to 6 KiB.
const NOISE = Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 2654435761) >>> 24))
function binaryOf(r: Rnd): Buffer {
  const n = r.int(1024, 6144)
  const start = r.int(0, NOISE.length - n)
  return Buffer.concat([Buffer.from('RIFF\0\0\0\0WEBPVP8 '), NOISE.subarray(start, start + n)])
}

const CHROME_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

function queryOf(url: string): Pair[] {
  return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }))
}

/** A Chrome "Save all as HAR" entry (pretty-printed like devtools write it); one JSON body in ten kept gzip+base64 as mitmproxy does. */
function entryJson(r: Rnd, sessions: Session[], i: number): string {
  const iso = new Date(Date.UTC(2026, 10, 20) + i * 37 + r.int(0, 30)).toISOString()
  const s = sessions[Math.floor(i / 200 + r.int(0, 1)) % sessions.length] as Session
  const c = call(r, s, iso)
  const u = new URL(c.url)
  const isCdn = u.host.startsWith('cdn.')
  const requestText = c.requestJson === undefined ? undefined : JSON.stringify(c.requestJson)
  const reqHeaders: Pair[] = [
    { name: ':authority', value: u.host },
    { name: ':method', value: c.method },
    { name: ':path', value: `${u.pathname}${u.search}` },
    { name: ':scheme', value: 'https' },
    {
      name: 'accept',
      value: isCdn ? 'image/avif,image/webp,image/apng,image/*,*/*;q=0.8' : 'application/json, text/plain, */*',
    },
    { name: 'accept-encoding', value: 'gzip, deflate, br, zstd' },
    { name: 'accept-language', value: r.pick(['en-US,en;q=0.9', 'de-DE,de;q=0.9,en;q=0.8', 'fr-FR,fr;q=0.9']) },
    ...(isCdn ? [] : [{ name: 'authorization', value: `Bearer ${s.token}` }]),
    ...(requestText === undefined ? [] : [{ name: 'content-type', value: 'application/json' }]),
    ...(c.requestForm === undefined ? [] : [{ name: 'content-type', value: 'application/x-www-form-urlencoded' }]),
    ...(r.chance(0.4) ? [{ name: 'cookie', value: s.cookie }] : []),
    { name: 'origin', value: 'https://shop.example.com' },
    { name: 'priority', value: 'u=1, i' },
    { name: 'referer', value: `https://shop.example.com${r.pick(PAGES)}` },
    { name: 'sec-ch-ua', value: '"Google Chrome";v="131", "Chromium";v="131", "Not_A Brand";v="24"' },
    { name: 'sec-ch-ua-mobile', value: '?0' },
    { name: 'sec-ch-ua-platform', value: '"Linux"' },
    { name: 'sec-fetch-dest', value: isCdn ? 'image' : 'empty' },
    { name: 'sec-fetch-mode', value: 'cors' },
    { name: 'sec-fetch-site', value: 'same-site' },
    { name: 'user-agent', value: CHROME_UA },
  ]
  let content: Record<string, unknown>
  let encoding = 'br'
  let bodySize = 0
  if (c.binary !== undefined) {
    content = { size: c.binary.length, mimeType: 'image/webp', text: c.binary.toString('base64'), encoding: 'base64' }
    encoding = ''
    bodySize = c.binary.length
  } else if (c.noBody === true || c.response === undefined) {
    content = { size: 0, mimeType: c.status === 0 ? 'x-unknown' : 'application/json' }
    encoding = ''
  } else {
    const text = JSON.stringify(c.response)
    bodySize = Math.round(text.length * 0.3)
    if (r.chance(0.1)) {
      encoding = 'gzip'
      const gz = gzipSync(text)
      bodySize = gz.length
      content = { size: text.length, mimeType: 'application/json', text: gz.toString('base64'), encoding: 'base64' }
    } else {
      encoding = r.chance(0.8) ? 'br' : 'gzip'
      content = { size: text.length, mimeType: 'application/json', compression: text.length - bodySize, text }
    }
  }
  const resHeaders: Pair[] =
    c.status === 0
      ? []
      : [
          { name: 'access-control-allow-origin', value: 'https://shop.example.com' },
          ...(c.method === 'OPTIONS'
            ? [
                { name: 'access-control-allow-methods', value: 'GET, POST, PATCH, DELETE' },
                { name: 'access-control-allow-headers', value: 'authorization, content-type' },
                { name: 'access-control-max-age', value: '600' },
              ]
            : []),
          { name: 'cache-control', value: isCdn ? 'public, max-age=31536000, immutable' : 'private, no-cache' },
          ...(encoding === '' ? [] : [{ name: 'content-encoding', value: encoding }]),
          ...(bodySize > 0 ? [{ name: 'content-length', value: String(bodySize) }] : []),
          ...(c.noBody === true
            ? []
            : [{ name: 'content-type', value: isCdn ? 'image/webp' : 'application/json; charset=utf-8' }]),
          { name: 'date', value: new Date(iso).toUTCString() },
          { name: 'etag', value: `W/"${r.hex(16)}"` },
          { name: 'server', value: 'envoy' },
          { name: 'server-timing', value: `app;dur=${r.int(2, 180)}` },
          { name: 'strict-transport-security', value: 'max-age=63072000; includeSubDomains' },
          { name: 'vary', value: 'Accept-Encoding, Origin' },
          { name: 'x-ratelimit-remaining', value: String(r.int(0, 1000)) },
          { name: 'x-request-id', value: r.uuid() },
        ]
  const time = Math.round((5 + r.next() * 250) * 1000) / 1000
  const postData =
    requestText !== undefined
      ? { mimeType: 'application/json', text: requestText }
      : c.requestForm !== undefined
        ? {
            mimeType: 'application/x-www-form-urlencoded',
            text: new URLSearchParams(c.requestForm.map((p): [string, string] => [p.name, p.value])).toString(),
            params: c.requestForm,
          }
        : undefined
  const entry = {
    _initiator: {
      type: 'script',
      stack: {
        callFrames: Array.from({ length: r.int(1, 5) }, () => ({
          functionName: r.pick(['fetchJson', 'request', 'loadPage', 'dispatch', '']),
          scriptId: String(r.int(10, 400)),
          url: `https://shop.example.com/assets/app-${r.hex(8)}.js`,
          lineNumber: r.int(0, 2),
          columnNumber: r.int(100, 90000),
        })),
      },
    },
    _priority: isCdn ? 'Low' : 'High',
    _resourceType: isCdn ? 'image' : c.method === 'OPTIONS' ? 'preflight' : 'fetch',
    cache: {},
    connection: String(r.int(100, 999)),
    pageref: `page_${1 + Math.floor(i / 500)}`,
    request: {
      method: c.method,
      url: c.url,
      httpVersion: 'h2',
      headers: reqHeaders,
      queryString: queryOf(c.url),
      cookies: reqHeaders.some((h) => h.name === 'cookie')
        ? s.cookie.split('; ').map((kv) => ({ name: kv.split('=')[0], value: kv.split('=')[1] }))
        : [],
      headersSize: -1,
      bodySize: postData === undefined ? 0 : postData.text.length,
      ...(postData === undefined ? {} : { postData }),
    },
    response: {
      status: c.status,
      statusText: '',
      httpVersion: c.status === 0 ? '' : 'h2',
      headers: resHeaders,
      cookies: [],
      content,
      redirectURL: '',
      headersSize: -1,
      bodySize: c.status === 304 ? 0 : bodySize,
      _transferSize: bodySize + 300,
      _error: c.error ?? null,
      _fetchedViaServiceWorker: false,
    },
    serverIPAddress: c.status === 0 ? '' : '203.0.113.10',
    startedDateTime: iso,
    time,
    timings: {
      blocked: 0.8,
      dns: -1,
      ssl: -1,
      connect: -1,
      send: 0.15,
      wait: time - 2,
      receive: 1.05,
      _blocked_queueing: 0.6,
      _workerStart: -1,
      _workerReady: -1,
      _workerFetchStart: -1,
      _workerRespondWithSettled: -1,
    },
  }
  // Chrome writes two-space indentation; entries sit three levels deep.
  return `      ${JSON.stringify(entry, null, 2).replaceAll('\n', '\n      ')}`
}

async function writeHar(file: string): Promise<void> {
  const out = createWriteStream(file)
  const r = createRandom(42)
  const sessions: Session[] = Array.from({ length: 12 }, () => ({
    token: `${r.hex(8)}.${r.hex(40)}.${r.hex(24)}`,
    cookie: `sid=${r.hex(32)}; _ga=GA1.2.${r.int(1e8, 9e8)}.${r.int(1e9, 2e9)}; theme=${r.pick(['dark', 'light'])}`,
    customerId: r.int(1, 50_000),
  }))
  out.write(
    '{\n  "log": {\n    "version": "1.2",\n    "creator": {\n      "name": "WebInspector",\n      "version": "537.36"\n    },\n    "pages": [],\n    "entries": [\n',
  )
  for (let i = 0; i < ENTRIES; i++) {
    if (!out.write(`${i === 0 ? '' : ',\n'}${entryJson(r, sessions, i)}`)) await once(out, 'drain')
  }
  out.end('\n    ]\n  }\n}\n')
  await once(out, 'finish')
}

const cpuSecondsSince = (start: NodeJS.CpuUsage): number => {
  const cpu = process.cpuUsage(start)
  return (cpu.user + cpu.system) / 1e6
}

/** The importer alone (scan, parse, convert) into a sink that keeps nothing: the ceiling the pipeline adds to. */
async function parseOnly(file: string) {
  let exchanges = 0
  const sink = { submit: () => void exchanges++, drain: async () => {} }
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  const result = await importFile({ file, sink })
  const seconds = (performance.now() - t0) / 1000
  return {
    exchanges,
    perSecond: Math.round(result.imported / seconds),
    perCpuSecond: Math.round(result.imported / cpuSecondsSince(cpu0)),
  }
}

/** The whole import: file -> importer -> capture -> a fresh store, read by `threads` threads as `specter import --threads`. */
async function full(file: string, dbPath: string, threads: number) {
  const store = openStore({ path: dbPath })
  const capture = createCapture({
    store,
    // As `specter import` sets it up.
    options: {
      ...importCaptureOptions(DEFAULT_CAPTURE_OPTIONS),
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
  const result = await importFile({
    file,
    sink: capture,
    parallel: {
      workers: threads - 1,
      capture: { ...importCaptureOptions(DEFAULT_CAPTURE_OPTIONS), clientKeySalt: store.salt },
      limits: store.limits,
      apply: (aggs) => store.apply(aggs),
    },
  })
  await capture.close()
  const seconds = (performance.now() - t0) / 1000
  // On a shared machine wall time depends on the neighbours; CPU time per entry much less so.
  const cpuSeconds = cpuSecondsSince(cpu0)
  clearInterval(sampler)
  const stats = capture.stats()
  const inventory = store.inventory().endpoints
  const endpoints = inventory.length
  store.close()
  return {
    threads: result.workers + 1,
    entries: result.imported,
    skipped: result.skipped,
    seconds: Math.round(seconds * 100) / 100,
    entriesPerSecond: Math.round(result.imported / seconds),
    cpuSeconds: Math.round(cpuSeconds * 100) / 100,
    entriesPerCpuSecond: Math.round(result.imported / cpuSeconds),
    peakRssMiB: Math.round(peakRss / 1048576),
    // In the store, whichever thread observed them (the capture's own count is this thread's part only).
    observationsStored: inventory.reduce((sum, e) => sum + e.count, 0),
    dropped: stats.dropped + result.workerDropped,
    endpoints,
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')

const dir = mkdtempSync(join(tmpdir(), 'specter-bench-import-'))
try {
  // BENCH_HAR=path keeps the generated file there (or reuses it), for profiling runs.
  const keep = process.env['BENCH_HAR']
  const file = keep ?? join(dir, 'bench.har')
  if (keep === undefined || !existsSync(keep)) await writeHar(file)
  const size = statSync(file).size
  const runs: Array<Awaited<ReturnType<typeof full>> & { parseOnlyPerCpuSecond: number; load: string }> = []
  const single: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const loadBefore = load()
    const parse = await parseOnly(file)
    // One thread as well, in the same round: what the parts add on this machine.
    const one = await full(file, join(dir, `bench-${round}-1.db`), 1)
    single.push(one.entriesPerSecond)
    const run = await full(file, join(dir, `bench-${round}.db`), THREADS)
    runs.push({ ...run, parseOnlyPerCpuSecond: parse.perCpuSecond, load: loadBefore })
    console.log(
      JSON.stringify({
        round,
        ...runs.at(-1),
        parseOnlyPerSecond: parse.perSecond,
        oneThreadPerSecond: one.entriesPerSecond,
      }),
    )
  }
  const rate = median(runs.map((r) => r.entriesPerSecond))
  console.log(
    JSON.stringify(
      {
        entries: runs[0]?.entries,
        fileMiB: Math.round((size / 1048576) * 10) / 10,
        rounds: ROUNDS,
        threads: runs[0]?.threads,
        entriesPerSecond: rate,
        oneThreadPerSecond: median(single),
        entriesPerCpuSecond: median(runs.map((r) => r.entriesPerCpuSecond)),
        parseOnlyPerCpuSecond: median(runs.map((r) => r.parseOnlyPerCpuSecond)),
        mibPerSecond: Math.round((size / 1048576 / median(runs.map((r) => r.seconds))) * 10) / 10,
        peakRssMiB: Math.max(...runs.map((r) => r.peakRssMiB)),
        load: load(),
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
