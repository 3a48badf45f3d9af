// Soak: minutes of mixed traffic through the real `specter proxy` process on loopback (GET and
// POST, 5% upstream errors, 1% hostile bodies, a stream of new random paths), sampling the
// proxy's own RSS, event-loop delay p99, DB size and drops from its /metrics. Every response is
// checked against what the upstream sent: any other status, a cut connection or a changed body
// is a client-visible error caused by Specter (must be 0).
// Run: npm run bench:soak   (DURATION_S=600 CONNECTIONS=8 SAMPLE_S=10, or --duration-s=180)
import { type ChildProcess, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const flag = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
const DURATION_S = Number(flag('duration-s') ?? process.env['DURATION_S'] ?? 600)
const CONNECTIONS = Math.min(64, Math.max(1, Number(flag('connections') ?? process.env['CONNECTIONS'] ?? 8)))
const SAMPLE_S = Math.max(1, Number(process.env['SAMPLE_S'] ?? 10))
const RSS_LIMIT_MB = 150

const BIN = fileURLToPath(new URL('../../bin/specter.js', import.meta.url))

// --- the upstream: deterministic bodies, so the client can check every byte ---------------------

const userBody = (id: string): string =>
  JSON.stringify({ id: Number(id), name: 'ada', email: 'ada@example.com', roles: ['a'] })
const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex')

function upstreamHandler(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    const url = req.url ?? '/'
    res.setHeader('x-soak-upstream', '1')
    res.setHeader('content-type', 'application/json')
    if (url.startsWith('/fail/')) {
      res.statusCode = url.endsWith('/404') ? 404 : 500
      res.end('{"error":"planned"}')
      return
    }
    if (req.method === 'POST') {
      // Echo: the client compares the hash of what it sent with what it gets back.
      res.statusCode = 201
      res.end(Buffer.concat(chunks))
      return
    }
    const id = /^\/users\/([0-9]+)/.exec(url)?.[1]
    res.end(id !== undefined ? userBody(id) : `{"path":${JSON.stringify(url.split('?')[0])}}`)
  })
}

// --- the traffic mix ------------------------------------------------------------------------------

interface Planned {
  method: string
  path: string
  headers: Record<string, string>
  body?: Buffer
  expectStatus: number
  /** hash of the body the upstream sends */
  expectBody: string
}

let counter = 0
const randomWord = (): string => Math.random().toString(36).slice(2, 10)
const hostile = [
  () => Buffer.from('['.repeat(20_000) + ']'.repeat(20_000)),
  () => Buffer.from(`{${Array.from({ length: 20_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`),
  () => Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0x22, 0x7d]),
  () => Buffer.from('{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}}}'),
]
const gzipBomb = gzipSync(Buffer.alloc(16 * 1024 * 1024, 0x20))

function plan(): Planned {
  const i = counter++
  const r = Math.random()
  const auth = { authorization: `Bearer soak-${i % 97}` }
  if (r < 0.05) {
    const status = r < 0.025 ? 404 : 500
    return {
      method: 'GET',
      path: `/fail/${i}/${status}`,
      headers: auth,
      expectStatus: status,
      expectBody: sha('{"error":"planned"}'),
    }
  }
  if (r < 0.06) {
    const pick = i % (hostile.length + 1)
    const body = pick === hostile.length ? gzipBomb : (hostile[pick] as () => Buffer)()
    const headers: Record<string, string> = { ...auth, 'content-type': 'application/json' }
    if (pick === hostile.length) headers['content-encoding'] = 'gzip'
    return { method: 'POST', path: '/uploads', headers, body, expectStatus: 201, expectBody: sha(body) }
  }
  if (r < 0.16) {
    const path = `/${randomWord()}/${randomWord()}?${randomWord()}=1`
    return {
      method: 'GET',
      path,
      headers: auth,
      expectStatus: 200,
      expectBody: sha(`{"path":${JSON.stringify(path.split('?')[0])}}`),
    }
  }
  if (r < 0.36) {
    const body = Buffer.from(JSON.stringify({ sku: `s${i % 40}`, qty: i % 7, password: `pw-${i}`, note: randomWord() }))
    return {
      method: 'POST',
      path: `/orders?trace=${i}`,
      headers: { ...auth, 'content-type': 'application/json' },
      body,
      expectStatus: 201,
      expectBody: sha(body),
    }
  }
  const id = String(i % 5000)
  return { method: 'GET', path: `/users/${id}`, headers: auth, expectStatus: 200, expectBody: sha(userBody(id)) }
}

/** Resolves with '' when the response is exactly what the upstream sent, else with what went wrong. */
function exchange(agent: Agent, base: URL, p: Planned): Promise<string> {
  return new Promise((resolve) => {
    const req = request(
      { agent, host: base.hostname, port: base.port, method: p.method, path: p.path, headers: p.headers },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          if (!res.complete) resolve('cut')
          else if (res.statusCode !== p.expectStatus) resolve(`status ${res.statusCode}`)
          else if (res.headers['x-soak-upstream'] !== '1') resolve('not from upstream')
          else if (sha(Buffer.concat(chunks)) !== p.expectBody) resolve('body changed')
          else resolve('')
        })
        res.on('error', (err) => resolve(`response ${err.message}`))
      },
    )
    req.on('error', (err) => resolve(`request ${(err as { code?: string }).code ?? err.message}`))
    req.end(p.body)
  })
}

// --- the Specter process and its metrics ------------------------------------------------------------

async function startSpecter(
  upstream: string,
  dbPath: string,
): Promise<{ child: ChildProcess; proxy: URL; admin: string }> {
  const child = spawn(
    process.execPath,
    [BIN, 'proxy', '--upstream', upstream, '--port', '0', '--admin-port', '0', '--db', dbPath, '--log-level', 'info'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  let out = ''
  const find = (msg: string): string | undefined => {
    for (const line of out.split('\n')) {
      if (!line.includes(`"msg":"${msg}"`)) continue
      const url = (JSON.parse(line) as { url?: string }).url
      if (url !== undefined) return url
    }
    return undefined
  }
  child.stdout?.on('data', (c: Buffer) => {
    // Keep the log bounded: only the start-up lines are needed, later ones are counted.
    if (out.length < 64 * 1024) out += c.toString()
    logLines += c.toString().split('\n').length - 1
  })
  const deadline = Date.now() + 30_000
  while (find('proxy listening') === undefined || find('admin listening') === undefined) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`specter did not start: ${out}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  return { child, proxy: new URL(find('proxy listening') as string), admin: find('admin listening') as string }
}
let logLines = 0

async function scrape(admin: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${admin}/metrics`)).text()
  const value = (name: string): number => {
    let sum = 0
    for (const line of text.split('\n')) {
      if (line.startsWith(`${name} `) || line.startsWith(`${name}{`))
        sum += Number(line.slice(line.lastIndexOf(' ') + 1))
    }
    return sum
  }
  return {
    rssMb: value('process_resident_memory_bytes') / 2 ** 20,
    heapMb: value('nodejs_heap_size_used_bytes') / 2 ** 20,
    loopP99Ms: value('nodejs_eventloop_lag_p99_seconds') * 1000,
    dbKb: value('specter_store_db_size_bytes') / 1024,
    written: value('specter_capture_observations_written_total'),
    dropped: value('specter_capture_dropped_total'),
    storeErrors: value('specter_capture_store_errors_total'),
    tapErrors: value('specter_capture_tap_errors_total'),
    queue: value('specter_capture_queue_depth'),
    series: text.split('\n').filter((l) => l.startsWith('specter_')).length,
  }
}

// --- the run --------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'specter-soak-'))
  const upstream = createServer(upstreamHandler)
  upstream.listen(0, '127.0.0.1')
  await once(upstream, 'listening')
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
  const specter = await startSpecter(upstreamUrl, join(dir, 'soak.db'))
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS })
  console.log(`soak: ${DURATION_S} s, ${CONNECTIONS} connections, sampling every ${SAMPLE_S} s`)
  const started = Date.now()
  const endAt = started + DURATION_S * 1000
  let requests = 0
  const specterErrors = new Map<string, number>()
  const samples: Array<Record<string, number>> = []
  const sample = async (): Promise<void> => {
    const m: Record<string, number> = {
      t: Math.round((Date.now() - started) / 1000),
      requests,
      ...(await scrape(specter.admin)),
    }
    samples.push(m)
    console.log(
      `t=${m.t}s req=${m.requests} rss=${m.rssMb?.toFixed(1)}MB heap=${m.heapMb?.toFixed(1)}MB ` +
        `loopP99=${m.loopP99Ms?.toFixed(1)}ms db=${m.dbKb?.toFixed(0)}KB written=${m.written} ` +
        `dropped=${m.dropped} queue=${m.queue} series=${m.series}`,
    )
  }
  await sample()
  const timer = setInterval(() => void sample().catch((err) => console.error('sample failed', err)), SAMPLE_S * 1000)
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < endAt) {
        const problem = await exchange(agent, specter.proxy, plan())
        requests++
        if (problem !== '') specterErrors.set(problem, (specterErrors.get(problem) ?? 0) + 1)
      }
    }),
  )
  clearInterval(timer)
  agent.destroy()
  await sample()
  specter.child.kill('SIGTERM')
  const [code] = (await once(specter.child, 'exit')) as [number | null]
  upstream.close()
  const rss = samples.map((s) => s.rssMb ?? 0)
  const steady = rss.slice(Math.floor(rss.length / 3))
  const first = samples[0] as Record<string, number>
  const last = samples[samples.length - 1] as Record<string, number>
  const summary = {
    durationS: Math.round((Date.now() - started) / 1000),
    connections: CONNECTIONS,
    requests,
    requestsPerS: Math.round(requests / DURATION_S),
    rssMbMax: Math.max(...rss).toFixed(1),
    rssMbSteadyMin: Math.min(...steady).toFixed(1),
    rssMbSteadyMax: Math.max(...steady).toFixed(1),
    rssWithinLimit: Math.max(...rss) <= RSS_LIMIT_MB,
    loopP99MsMax: Math.max(...samples.map((s) => s.loopP99Ms ?? 0)).toFixed(1),
    dbKbGrowth: Math.round((last.dbKb ?? 0) - (first.dbKb ?? 0)),
    dbKbFinal: Math.round(last.dbKb ?? 0),
    observationsWritten: last.written,
    observationsDropped: last.dropped,
    storeErrors: last.storeErrors,
    tapErrors: last.tapErrors,
    specterSeries: last.series,
    clientErrorsCausedBySpecter: [...specterErrors.values()].reduce((a, b) => a + b, 0),
    clientErrorKinds: Object.fromEntries(specterErrors),
    logLines,
    exitCode: code,
  }
  console.log(JSON.stringify(summary, null, 2))
  rmSync(dir, { recursive: true, force: true })
  if (summary.clientErrorsCausedBySpecter > 0 || !summary.rssWithinLimit || code !== 0) process.exitCode = 1
}

await main()
