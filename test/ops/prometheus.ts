// A real Prometheus server (Debian's `prometheus`) for end-to-end tests: its own temp config
// and TSDB, loopback only, scraping every second; always killed in cleanup.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface PrometheusOptions {
  /** host:port of the admin listener to scrape */
  target: string
  ruleFiles?: string[]
  /** bearer token for the scrape (admin.metricsRequireToken) */
  bearerToken?: string
}

export interface VectorSample {
  metric: Record<string, string>
  value: [number, string]
}

export interface PrometheusServer {
  url: string
  /** an instant query; throws unless Prometheus answers status "success" */
  query: (expr: string) => Promise<VectorSample[]>
  /** resolves once a scrape that started after `sinceMs` (epoch ms) succeeded */
  scrapedSince: (sinceMs: number) => Promise<void>
  rules: () => Promise<Array<{ name: string; rules: Array<{ name: string; type: string; health: string }> }>>
  close: () => Promise<void>
}

const STARTUP_DEADLINE_MS = 30_000
const SCRAPE_DEADLINE_MS = 20_000
const POLL_MS = 100

async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

// Prometheus has no "scraped" event to wait on: poll its HTTP API, bounded in time.
async function poll<T>(what: string, deadlineMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + deadlineMs
  let last: unknown
  while (Date.now() < deadline) {
    try {
      const value = await check()
      if (value !== undefined) return value
    } catch (err) {
      last = err
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
  throw new Error(
    `timed out after ${deadlineMs} ms waiting for ${what}${last === undefined ? '' : `: ${String(last)}`}`,
  )
}

const live = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL')
})

/** Starts Prometheus; the caller must call close() (in afterAll or onTestFinished). */
export async function startPrometheus(options: PrometheusOptions): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'specter-prometheus-'))
  const scrape: Record<string, unknown> = {
    job_name: 'specter',
    metrics_path: '/metrics',
    scrape_interval: '1s',
    scrape_timeout: '900ms',
    static_configs: [{ targets: [options.target] }],
  }
  if (options.bearerToken !== undefined) {
    writeFileSync(join(dir, 'token'), options.bearerToken, { mode: 0o600 })
    scrape['authorization'] = { type: 'Bearer', credentials_file: join(dir, 'token') }
  }
  const config = {
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    rule_files: options.ruleFiles ?? [],
    scrape_configs: [scrape],
  }
  writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify(config))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  live.add(child)
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000)
  })
  let exited = false
  child.once('exit', () => {
    exited = true
    live.delete(child)
  })

  const close = async (): Promise<void> => {
    if (!exited) {
      const gone = once(child, 'exit')
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await gone
      clearTimeout(timer)
    }
    rmSync(dir, { recursive: true, force: true })
  }

  try {
    await poll('Prometheus to become ready', STARTUP_DEADLINE_MS, async () => {
      if (exited) throw new Error(`prometheus exited: ${stderr}`)
      const res = await fetch(`${url}/-/ready`)
      return res.ok ? true : undefined
    })
  } catch (err) {
    await close()
    throw new Error(`${String(err)}\n${stderr}`)
  }

  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${url}${path}`)
    const body = (await res.json()) as { status: string; data: T; error?: string }
    if (body.status !== 'success') throw new Error(`Prometheus ${path}: ${body.error ?? res.status}`)
    return body.data
  }

  return {
    url,
    query: async (expr) => {
      const data = await api<{ resultType: string; result: VectorSample[] }>(
        `/api/v1/query?query=${encodeURIComponent(expr)}`,
      )
      return data.resultType === 'vector' ? data.result : []
    },
    scrapedSince: async (sinceMs) => {
      await poll(
        `a scrape of ${options.target} after ${new Date(sinceMs).toISOString()}`,
        SCRAPE_DEADLINE_MS,
        async () => {
          const data = await api<{ activeTargets: Array<{ health: string; lastScrape: string; lastError: string }> }>(
            '/api/v1/targets',
          )
          const target = data.activeTargets[0]
          if (target === undefined || Date.parse(target.lastScrape) <= sinceMs) return undefined
          if (target.health !== 'up') throw new Error(`target is ${target.health}: ${target.lastError}`)
          return true
        },
      )
    },
    rules: async () => (await api<{ groups: Awaited<ReturnType<PrometheusServer['rules']>> }>('/api/v1/rules')).groups,
    close,
  }
}
