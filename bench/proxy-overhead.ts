// Proxy overhead: autocannon on loopback, same run, same connections, against the upstream
// directly, a plain @fastify/http-proxy, Specter's proxy with a no-op sink (the tap alone) and
// Specter as `specter proxy` runs it (capture at 100% into SQLite, metrics, admin listener).
// Every server runs in its own child process, so the proxy's CPU time (process.cpuUsage over
// IPC) and RSS are its own. Reports req/s, p50/p99 latency, CPU µs per request, RSS, and the
// ratios to the plain proxy.
// Cases: get and post send one identical body every time (Specter's body digest cache always hits);
// get-varied and post-varied vary every value (ids in the path, numbers, strings, dates) while the
// shape stays the same, as real traffic does.
// Run: npm run bench   (DURATION_S=10 WARMUP_S=3 CONNECTIONS=10 CASES=get,post,get-varied,post-varied ROUNDS=1
// RATE=0 to change them; PROFILE=specter,plain PROFILE_DIR=/tmp/prof writes a V8 CPU profile of those children;
// the Specter child runs with the memory options the `specter` program gives `proxy`
// (--max-semi-space-size=8, MALLOC_ARENA_MAX=2); SPECTER_NODE_ARGS= (empty) runs it with Node's defaults)
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

interface AutocannonResult {
  requests: { average: number; total: number }
  latency: { p50: number; p99: number; average: number }
  errors: number
  timeouts: number
  non2xx: number
}
type Autocannon = (options: {
  url: string
  connections: number
  duration: number
  method?: string
  headers?: Record<string, string>
  body?: string
  requests?: Array<{ setupRequest: (req: { path?: string; body?: string }) => { path?: string; body?: string } }>
  pipelining?: number
  overallRate?: number
}) => Promise<AutocannonResult>

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon

const DURATION_S = Number(process.env['DURATION_S'] ?? 10)
const WARMUP_S = Number(process.env['WARMUP_S'] ?? 3)
const CONNECTIONS = Number(process.env['CONNECTIONS'] ?? 10)
const CASES = (process.env['CASES'] ?? 'get,post').split(',')
/** requests per second across all connections; 0: as fast as the target goes */
const RATE = Number(process.env['RATE'] ?? 0)
const ROUNDS = Math.min(Math.max(1, Number(process.env['ROUNDS'] ?? 1)), 10)
const MAX_DURATION_S = 60
const PROFILE = new Set((process.env['PROFILE'] ?? '').split(',').filter((r) => r !== ''))
const PROFILE_DIR = process.env['PROFILE_DIR'] ?? tmpdir()
/** Node flags for the Specter child only; by default those bin/specter.js gives `specter proxy` */
const SPECTER_NODE_ARGS = (process.env['SPECTER_NODE_ARGS'] ?? '--max-semi-space-size=8')
  .split(' ')
  .filter((a) => a !== '')
const SPECTER_ENV =
  SPECTER_NODE_ARGS.length > 0
    ? { ...process.env, MALLOC_ARENA_MAX: process.env['MALLOC_ARENA_MAX'] ?? '2' }
    : process.env

type Role = 'upstream' | 'plain' | 'specter-tap' | 'specter'
type Stats = { cpuUs: number; rss: number; maxRss: number; dropped: number }
type ChildMessage = { kind: 'ready'; url: string } | { kind: 'settled' } | ({ kind: 'stats' } & Stats)
/** a started server, how to wait until it has no work left (the capture queue written out), exchanges it dropped */
type Started = { url: string; settle: () => Promise<void>; dropped?: () => number }
const idle = async (): Promise<void> => {}

/** ~1 KB JSON document, the body used in both directions; `n` varies every value but not the shape. */
function kilobyteJson(seed: string, n = 0): string {
  const items = Array.from({ length: 15 }, (_, i) => ({
    id: n * 15 + i + 1,
    name: n === 0 ? `${seed}-item-${i}` : `${seed}-${(n * 7919 + i * 104729) % 1_000_003}`,
    // Never a whole number, so the type stays `number` whatever n is.
    price: 9.5 + i + (n % 400) / 1000,
    ok: n % 2 === 0,
  }))
  const createdAt = new Date(Date.UTC(2026, 10, 23, 12) + n * 1000).toISOString()
  return JSON.stringify({ id: n === 0 ? 42 : n, kind: seed, createdAt, items })
}

/** Requests of a varied case ask the upstream for a varied answer with this query parameter. */
const VARIED_QUERY = 'vary=1'

// ---------------------------------------------------------------- child roles

async function runUpstream(): Promise<Started> {
  const fixed = Buffer.from(kilobyteJson('response'))
  let served = 0
  const server = createServer((req, res) => {
    const body = req.url?.endsWith(VARIED_QUERY) === true ? Buffer.from(kilobyteJson('response', ++served)) : fixed
    if (req.method === 'POST') {
      req.resume()
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length })
        res.end(body)
      })
      return
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length })
    res.end(body)
  })
  server.keepAliveTimeout = 60_000
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, settle: idle }
}

async function runPlain(upstream: string): Promise<Started> {
  const { default: Fastify } = await import('fastify')
  const { default: httpProxy } = await import('@fastify/http-proxy')
  const app = Fastify({ logger: false })
  await app.register(httpProxy, { upstream })
  await app.listen({ host: '127.0.0.1', port: 0 })
  return { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, settle: idle }
}

async function runSpecterTap(upstream: string): Promise<Started> {
  const { startProxy } = await import('../src/proxy/index.js')
  const { loadConfig } = await import('../src/config.js')
  const config = loadConfig({ overrides: { proxy: { host: '127.0.0.1', port: 0, upstream } } })
  // A sink that keeps nothing: measures the proxy and its tap (body copies, Exchange) alone.
  const proxy = await startProxy({
    config: config.proxy,
    capture: config.capture,
    sink: { submit: () => {}, drain: async () => {} },
  })
  return { url: proxy.url, settle: idle }
}

async function runSpecter(upstream: string, dir: string): Promise<Started> {
  const { startSpecterStack } = await import('../src/cli/commands/proxy.js')
  const { loadConfig } = await import('../src/config.js')
  const config = loadConfig({
    overrides: {
      proxy: { host: '127.0.0.1', port: 0, upstream },
      admin: { host: '127.0.0.1', port: 0 },
      store: { path: join(dir, 'bench.db') },
      capture: { sampleRate: 1 },
      log: { level: 'warn' },
    },
  })
  // As `specter proxy` starts: the old generation's growth is set before the stack allocates.
  const { applyHeapGrowth } = await import('../src/cli/heap-growth.js')
  applyHeapGrowth(config.memory.heapGrowthPercent)
  const stack = await startSpecterStack(config, { cwd: dir })
  return { url: stack.proxy.url, settle: () => stack.capture.drain(), dropped: () => stack.capture.stats().dropped }
}

async function child(role: Role, upstream: string, dir: string): Promise<void> {
  const started =
    role === 'upstream'
      ? await runUpstream()
      : role === 'plain'
        ? await runPlain(upstream)
        : role === 'specter-tap'
          ? await runSpecterTap(upstream)
          : await runSpecter(upstream, dir)
  process.on('message', (msg: { kind: string }) => {
    if (msg.kind === 'settle') {
      started.settle().then(
        () => process.send?.({ kind: 'settled' } satisfies ChildMessage),
        () => process.send?.({ kind: 'settled' } satisfies ChildMessage),
      )
    } else if (msg.kind === 'stats') {
      const cpu = process.cpuUsage()
      const reply: ChildMessage = {
        kind: 'stats',
        cpuUs: cpu.user + cpu.system,
        rss: process.memoryUsage().rss,
        maxRss: process.resourceUsage().maxRSS * 1024,
        dropped: started.dropped?.() ?? 0,
      }
      process.send?.(reply)
    } else if (msg.kind === 'exit') {
      process.exit(0)
    }
  })
  process.send?.({ kind: 'ready', url: started.url } satisfies ChildMessage)
}

// ---------------------------------------------------------------- runner

interface Server {
  role: Role
  url: string
  stats: () => Promise<Stats>
  settle: () => Promise<void>
  stop: () => Promise<void>
}

async function spawn(role: Role, upstream: string, dir: string): Promise<Server> {
  const proc = fork(fileURLToPath(import.meta.url), ['--role', role, '--upstream', upstream, '--dir', dir], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: role === 'specter' ? SPECTER_ENV : process.env,
    execArgv: [
      ...(role === 'specter' ? SPECTER_NODE_ARGS : []),
      ...(PROFILE.has(role)
        ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR, '--cpu-prof-name', `${role}.cpuprofile`]
        : []),
    ],
  })
  const [ready] = (await once(proc, 'message')) as [ChildMessage]
  if (ready.kind !== 'ready') throw new Error(`${role} did not start`)
  return {
    role,
    url: ready.url,
    stats: async () => {
      proc.send({ kind: 'stats' })
      const [msg] = (await once(proc, 'message')) as [ChildMessage]
      if (msg.kind !== 'stats') throw new Error('unexpected message')
      return msg
    },
    settle: async () => {
      proc.send({ kind: 'settle' })
      const [msg] = (await once(proc, 'message')) as [ChildMessage]
      if (msg.kind !== 'settled') throw new Error('unexpected message')
    },
    stop: async () => {
      proc.send({ kind: 'exit' })
      await once(proc, 'exit')
    },
  }
}

interface Row {
  scenario: string
  target: string
  reqPerS: number
  p50Ms: number
  p99Ms: number
  cpuUsPerReq: number | undefined
  rssMB: number | undefined
  maxRssMB: number | undefined
  errors: number
  /** exchanges the capture dropped during the reading (a full queue): their work is not in the CPU figure */
  dropped: number
}

async function measure(
  scenario: string,
  target: string,
  url: string,
  server: Server | undefined,
  everyProxy: Server[],
): Promise<Row> {
  const post = scenario.startsWith('post')
  const varied = scenario.endsWith('-varied')
  // Varied: another order id (path segment) and other values in both bodies on every request.
  let sent = 0
  const setupRequest = (req: { path?: string; body?: string }) => {
    const n = ++sent
    return {
      ...req,
      path: `/api/orders/${1000 + (n % 5000)}?expand=items&${VARIED_QUERY}`,
      ...(post ? { body: kilobyteJson('request', n) } : {}),
    }
  }
  const options = {
    url: `${url}/api/orders/42?expand=items`,
    connections: CONNECTIONS,
    method: post ? 'POST' : 'GET',
    headers: post
      ? { 'content-type': 'application/json', authorization: 'Bearer bench-token' }
      : { accept: 'application/json', authorization: 'Bearer bench-token' },
    ...(post ? { body: kilobyteJson('request') } : {}),
    ...(varied ? { requests: [{ setupRequest }] } : {}),
    // At a fixed rate every target gets the same traffic, so CPU per request compares like with like.
    ...(RATE > 0 ? { overallRate: RATE } : {}),
  }
  await autocannon({ ...options, duration: Math.min(WARMUP_S, MAX_DURATION_S) })
  // No backlog from earlier cases competes for the CPU; the capture work this case causes is
  // waited for before the second reading, so it is counted in full.
  for (const other of everyProxy) await other.settle()
  const before = await server?.stats()
  const result = await autocannon({ ...options, duration: Math.min(DURATION_S, MAX_DURATION_S) })
  await server?.settle()
  const after = await server?.stats()
  const total = result.requests.total
  return {
    scenario,
    target,
    reqPerS: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    cpuUsPerReq: before && after && total > 0 ? (after.cpuUs - before.cpuUs) / total : undefined,
    rssMB: after ? after.rss / 2 ** 20 : undefined,
    maxRssMB: after ? after.maxRss / 2 ** 20 : undefined,
    errors: result.errors + result.timeouts + result.non2xx,
    dropped: before && after ? after.dropped - before.dropped : 0,
  }
}

function median(values: Array<number | undefined>): number | undefined {
  const known = values.filter((v): v is number => v !== undefined).sort((a, b) => a - b)
  if (known.length === 0) return undefined
  const mid = Math.floor(known.length / 2)
  return known.length % 2 === 1 ? known[mid] : ((known[mid - 1] as number) + (known[mid] as number)) / 2
}

function medianRow(runs: Row[]): Row {
  const first = runs[0] as Row
  const m = (pick: (r: Row) => number | undefined) => median(runs.map(pick))
  return {
    scenario: first.scenario,
    target: first.target,
    reqPerS: Math.round(m((r) => r.reqPerS) ?? 0),
    p50Ms: m((r) => r.p50Ms) ?? 0,
    p99Ms: m((r) => r.p99Ms) ?? 0,
    cpuUsPerReq: m((r) => r.cpuUsPerReq),
    rssMB: m((r) => r.rssMB),
    maxRssMB: Math.max(...runs.map((r) => r.maxRssMB ?? 0)) || undefined,
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    dropped: runs.reduce((sum, r) => sum + r.dropped, 0),
  }
}

const fmt = (n: number | undefined, digits = 1): string => (n === undefined ? '-' : n.toFixed(digits))

async function runner(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'specter-bench-proxy-'))
  const servers: Server[] = []
  try {
    const upstream = await spawn('upstream', '', dir)
    servers.push(upstream)
    const proxies: Server[] = []
    for (const role of ['plain', 'specter-tap', 'specter'] as const) {
      const server = await spawn(role, upstream.url, dir)
      servers.push(server)
      proxies.push(server)
    }
    console.log(
      `proxy overhead: ${CONNECTIONS} connections, ${WARMUP_S} s warm-up + ${DURATION_S} s per case, ` +
        `${RATE > 0 ? `${RATE} req/s, ` : 'max rate, '}median of ${ROUNDS} round(s), Node ${process.version}, loopback`,
    )
    // Rounds interleave the targets so that a burst of load from elsewhere on the machine hits
    // them all alike; each figure reported is the median over the rounds.
    const runs: Row[] = []
    for (let round = 0; round < ROUNDS; round++) {
      for (const scenario of CASES) {
        runs.push(await measure(scenario, 'direct', upstream.url, undefined, proxies))
        for (const proxy of proxies) runs.push(await measure(scenario, proxy.role, proxy.url, proxy, proxies))
      }
    }
    const rows = CASES.flatMap((scenario) =>
      ['direct', ...proxies.map((p) => p.role)].map((target) =>
        medianRow(runs.filter((r) => r.scenario === scenario && r.target === target)),
      ),
    )
    console.log(
      '\nscenario      target        req/s    p50 ms  p99 ms  CPU µs/req  RSS MB  maxRSS MB  errors  req/s÷plain  CPU÷plain',
    )
    for (const row of rows) {
      const plain = rows.find((r) => r.scenario === row.scenario && r.target === 'plain')
      const cpuRatio =
        plain?.cpuUsPerReq !== undefined && row.cpuUsPerReq !== undefined
          ? row.cpuUsPerReq / plain.cpuUsPerReq
          : undefined
      console.log(
        [
          row.scenario.padEnd(12),
          row.target.padEnd(12),
          String(row.reqPerS).padStart(7),
          fmt(row.p50Ms).padStart(8),
          fmt(row.p99Ms).padStart(7),
          fmt(row.cpuUsPerReq).padStart(11),
          fmt(row.rssMB).padStart(7),
          fmt(row.maxRssMB).padStart(10),
          String(row.errors).padStart(7),
          fmt(plain ? row.reqPerS / plain.reqPerS : undefined, 2).padStart(12),
          fmt(cpuRatio, 2).padStart(10),
        ].join('  '),
      )
    }
    const dropped = rows.filter((r) => r.dropped > 0)
    for (const r of dropped) {
      console.log(
        `${r.scenario} ${r.target}: the capture dropped ${r.dropped} exchanges (queue full); CPU per request leaves their work out`,
      )
    }
    if (process.env['JSON'] === '1') console.log(JSON.stringify(rows, null, 2))
  } finally {
    for (const server of servers.reverse()) await server.stop().catch(() => {})
    rmSync(dir, { recursive: true, force: true })
  }
}

const args = process.argv.slice(2)
const roleAt = args.indexOf('--role')
if (roleAt >= 0) {
  const value = (flag: string): string => args[args.indexOf(flag) + 1] ?? ''
  await child(value('--role') as Role, value('--upstream'), value('--dir'))
} else {
  await runner()
}
