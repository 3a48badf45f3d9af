// Soak: minutes of mixed traffic through the real `specter proxy` process on loopback (GET and
// POST, 5% upstream errors, 1% hostile bodies, a stream of new random paths), sampling the
// proxy's own RSS, event-loop delay p99, DB size and drops from its /metrics. Every response is
// checked against what the upstream sent: any other status, a cut connection or a changed body
// is a client-visible error caused by Specter (must be 0).
// RSS is read from /proc every second (Linux; else from /metrics at each sample) and summarised
// after a warm-up as min/median/max, with the steady-state breakdown of where it goes.
// Run: npm run bench:soak   (DURATION_S=600 CONNECTIONS=8 SAMPLE_S=10 WARMUP_S=60, or --duration-s=180;
// Specter is started as users start it, the `specter` program (bin/specter.js with its memory settings);
// SOAK_NODE_ARGS="--max-semi-space-size=16" runs `node <flags> bin/specter.js` instead, skipping them)
import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const flag = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
const DURATION_S = Number(flag('duration-s') ?? process.env['DURATION_S'] ?? 600)
const CONNECTIONS = Math.min(64, Math.max(1, Number(flag('connections') ?? process.env['CONNECTIONS'] ?? 8)))
const SAMPLE_S = Math.max(1, Number(process.env['SAMPLE_S'] ?? 10))
// RSS before the end of the warm-up (start-up, first JIT, the semi-space growing) is not steady state.
const WARMUP_S = Math.max(0, Number(process.env['WARMUP_S'] ?? Math.min(60, Math.round(DURATION_S / 5))))
const NODE_ARGS = (process.env['SOAK_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== '')
const RSS_LIMIT_MB = 150
// Past this the run is stopped and fails: a hung request or scrape never keeps the bench going.
const HARD_LIMIT_MS = (DURATION_S + 120) * 1000
const REQUEST_TIMEOUT_MS = 30_000

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
    req.setTimeout(REQUEST_TIMEOUT_MS, () => {
      req.destroy()
      resolve('timeout')
    })
    req.end(p.body)
  })
}

// --- the Specter process and its metrics ------------------------------------------------------------

async function startSpecter(
  upstream: string,
  dbPath: string,
): Promise<{ child: ChildProcess; proxy: URL; admin: string }> {
  const args = [
    'proxy',
    '--upstream',
    upstream,
    '--port',
    '0',
    '--admin-port',
    '0',
    '--db',
    dbPath,
    '--log-level',
    'info',
  ]
  const stdio: StdioOptions = ['ignore', 'pipe', 'inherit']
  // The PATH's `node` runs the program; put this Node first so both ways run the same version.
  const env = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env['PATH'] ?? ''}` }
  const child =
    NODE_ARGS.length === 0
      ? spawn(BIN, args, { stdio, env })
      : spawn(process.execPath, [...NODE_ARGS, BIN, ...args], { stdio })
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

const MB = 2 ** 20

/** Resident memory of a process from /proc (Linux): total, anonymous (heap, malloc) and file-backed (code). */
function procRss(pid: number): { rssMb: number; anonMb: number; fileMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)
    return { rssMb: kb('VmRSS') / 1024, anonMb: kb('RssAnon') / 1024, fileMb: kb('RssFile') / 1024 }
  } catch {
    return undefined
  }
}

/** CPU time (user + system) of a process in ms, from /proc (Linux). */
function procCpuMs(pid: number): number | undefined {
  try {
    // Fields after the command name, which is in parentheses and may hold spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
  } catch {
    return undefined
  }
}

async function scrape(admin: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${admin}/metrics`, { signal: AbortSignal.timeout(10_000) })).text()
  const value = (name: string, labels = ''): number => {
    let sum = 0
    for (const line of text.split('\n')) {
      if (line.startsWith(`${name} `) || line.startsWith(`${name}{${labels}`))
        sum += Number(line.slice(line.lastIndexOf(' ') + 1))
    }
    return sum
  }
  return {
    rssMb: value('process_resident_memory_bytes') / MB,
    heapMb: value('nodejs_heap_size_used_bytes') / MB,
    heapTotalMb: value('nodejs_heap_size_total_bytes') / MB,
    newSpaceMb: value('nodejs_heap_space_size_total_bytes', 'space="new"') / MB,
    oldSpaceMb: value('nodejs_heap_space_size_total_bytes', 'space="old"') / MB,
    oldUsedMb: value('nodejs_heap_space_size_used_bytes', 'space="old"') / MB,
    largeObjectMb: value('nodejs_heap_space_size_total_bytes', 'space="large_object"') / MB,
    externalMb: value('nodejs_external_memory_bytes') / MB,
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

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length === 0
    ? Number.NaN
    : s.length % 2 === 1
      ? (s[mid] as number)
      : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}
const mb = (x: number): number => Math.round(x * 10) / 10
const spread = (xs: number[]): { min: number; median: number; max: number } => ({
  min: mb(Math.min(...xs)),
  median: mb(median(xs)),
  max: mb(Math.max(...xs)),
})

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'specter-soak-'))
  const upstream = createServer(upstreamHandler)
  upstream.listen(0, '127.0.0.1')
  await once(upstream, 'listening')
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
  const specter = await startSpecter(upstreamUrl, join(dir, 'soak.db'))
  const pid = specter.child.pid as number
  const watchdog = setTimeout(() => {
    console.error(`soak: still running after ${HARD_LIMIT_MS / 1000} s, stopping`)
    specter.child.kill('SIGKILL')
    process.exit(1)
  }, HARD_LIMIT_MS)
  watchdog.unref()
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS })
  console.log(
    `soak: ${DURATION_S} s (warm-up ${WARMUP_S} s), ${CONNECTIONS} connections, sampling every ${SAMPLE_S} s` +
      (NODE_ARGS.length > 0 ? `, specter node args: ${NODE_ARGS.join(' ')}` : ''),
  )
  const started = Date.now()
  const endAt = started + DURATION_S * 1000
  const warmAt = started + WARMUP_S * 1000
  let requests = 0
  // CPU per request after the warm-up: what a flag that trades memory for GC work costs.
  let warmCpu: { ms: number; requests: number } | undefined
  const specterErrors = new Map<string, number>()
  const samples: Array<Record<string, number>> = []
  // Once a second from /proc: the peaks between two scrapes are what an OOM killer sees.
  const rssSteady: Array<{ rssMb: number; anonMb: number; fileMb: number }> = []
  const rssTimer = setInterval(() => {
    const r = procRss(pid)
    if (r !== undefined && Date.now() >= warmAt) rssSteady.push(r)
    if (warmCpu === undefined && Date.now() >= warmAt) warmCpu = { ms: procCpuMs(pid) ?? Number.NaN, requests }
  }, 1000)
  const sample = async (): Promise<void> => {
    const m: Record<string, number> = {
      t: Math.round((Date.now() - started) / 1000),
      requests,
      ...(await scrape(specter.admin)),
      ...procRss(pid),
    }
    samples.push(m)
    console.log(
      `t=${m.t}s req=${m.requests} rss=${m.rssMb?.toFixed(1)}MB (anon ${m.anonMb?.toFixed(1)} file ${m.fileMb?.toFixed(1)}) ` +
        `heap=${m.heapMb?.toFixed(1)}/${m.heapTotalMb?.toFixed(1)}MB (new ${m.newSpaceMb?.toFixed(1)} old ${m.oldSpaceMb?.toFixed(1)}) ` +
        `ext=${m.externalMb?.toFixed(1)}MB loopP99=${m.loopP99Ms?.toFixed(1)}ms db=${m.dbKb?.toFixed(0)}KB ` +
        `written=${m.written} dropped=${m.dropped} queue=${m.queue} series=${m.series}`,
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
  clearInterval(rssTimer)
  const cpuMs = procCpuMs(pid) ?? Number.NaN
  agent.destroy()
  // A last sample that fails (Specter gone, scrape timed out) must not leave the process running.
  await sample().catch((err) => console.error('last sample failed', err))
  const exited = specter.child.exitCode !== null || specter.child.signalCode !== null
  if (!exited) specter.child.kill('SIGTERM')
  const code = exited ? specter.child.exitCode : ((await once(specter.child, 'exit')) as [number | null])[0]
  clearTimeout(watchdog)
  upstream.close()
  const steadySamples = samples.filter((s) => (s.t ?? 0) >= WARMUP_S)
  const steady = steadySamples.length > 0 ? steadySamples : samples
  // Without /proc, the scraped RSS is all there is.
  const rss = rssSteady.length > 0 ? rssSteady.map((r) => r.rssMb) : steady.map((s) => s.rssMb ?? 0)
  const pick = (key: string): number[] => steady.map((s) => s[key] ?? Number.NaN).filter((x) => !Number.isNaN(x))
  const first = samples[0] as Record<string, number>
  const last = samples[samples.length - 1] as Record<string, number>
  const durationS = Math.round((Date.now() - started) / 1000)
  const summary = {
    durationS,
    warmupS: WARMUP_S,
    connections: CONNECTIONS,
    nodeArgs: NODE_ARGS.join(' '),
    requests,
    requestsPerS: Math.round(requests / DURATION_S),
    cpuUsPerRequest:
      warmCpu === undefined ? null : Math.round(((cpuMs - warmCpu.ms) * 1000) / (requests - warmCpu.requests)),
    rssMbStartup: mb(first.rssMb ?? 0),
    rssMbSteady: spread(rss),
    rssMbMaxOverall: mb(Math.max(...rss, ...samples.map((s) => s.rssMb ?? 0))),
    rssWithinLimit: Math.max(...rss) <= RSS_LIMIT_MB,
    // Medians after warm-up: where the resident memory goes.
    steadyBreakdownMb: {
      anon: mb(median(rssSteady.map((r) => r.anonMb))),
      file: mb(median(rssSteady.map((r) => r.fileMb))),
      heapTotal: mb(median(pick('heapTotalMb'))),
      heapUsed: mb(median(pick('heapMb'))),
      newSpace: mb(median(pick('newSpaceMb'))),
      oldSpace: mb(median(pick('oldSpaceMb'))),
      oldUsed: mb(median(pick('oldUsedMb'))),
      largeObject: mb(median(pick('largeObjectMb'))),
      external: mb(median(pick('externalMb'))),
    },
    loopP99MsMax: mb(Math.max(...samples.map((s) => s.loopP99Ms ?? 0))),
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
