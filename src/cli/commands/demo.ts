// `specter demo`: the five-minute tour. Starts the embedded sample API and Specter in front of it
// on loopback, drives a few seconds of traffic, then writes the inferred OpenAPI document and the
// reports into a folder and prints what Specter found. `--upstream-only` just serves the sample API.
import { once } from 'node:events'
import { relative, resolve } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { adminListenerLines, type DemoRun, publishedSpecPath, runDemo, startSampleApi } from '../../demo/index.js'
import { usageError } from '../../errors.js'
import type { CliIo, Command } from '../command.js'
import { intFlag, noArguments, parseFlags, stringFlag } from '../flags.js'
import { createProgress, formatCount } from '../progress.js'

const help = `Usage: specter demo [options]

Runs Specter end to end on this machine, on loopback only, no Docker: starts an embedded sample
API (a small bank and shop, "Lumen Pay") and Specter in front of it, drives a few seconds of
realistic traffic from several clients, then compares what it saw with the API's published
OpenAPI file (examples/shop/openapi.yaml), which, like real ones, is out of date. It writes the
inferred OpenAPI document, the findings and the HTML and Markdown reports into a folder and
prints a summary: operations seen, shadow and zombie operations, drift and the top risks.

Options:
  --out DIR            output folder (default ./specter-demo-<UTC timestamp>)
  --db FILE            the store (default DIR/specter.db)
  --duration SECONDS   how long to drive traffic (default 4, at most 600)
  --requests N         stop traffic after N requests (default 2500; the partner client's
                       walk over every account comes on top)
  --linger SECONDS     keep the admin listener (metrics, admin API) up this long after the
                       run, so you can look (default 0; Ctrl-C ends it early)
  --admin-port N       admin listener port on 127.0.0.1 (default: any free port)
  --seed N             seed of the sample data and traffic (default 7)
  --json               print the summary as JSON on stdout
  -q, --quiet          no progress indicator
  --upstream-only      only serve the sample API (on 127.0.0.1, --port) until stopped;
                       for docker-compose or to put your own \`specter proxy\` in front
  --port N             the sample API's port with --upstream-only (default 3000)
  -h, --help           this help

Examples:
  specter demo
  specter demo --duration 10 --linger 120      # then open the printed metrics URL
  specter demo --out /tmp/demo --json
  specter demo --upstream-only --port 3000     # and elsewhere: specter proxy --upstream http://127.0.0.1:3000

Exit codes: 0 done, 2 usage error. The demo's findings never fail it.
`

function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
}

/** An AbortSignal that Ctrl-C or SIGTERM aborts; dispose() stops listening for them. */
function stopSignal(): { signal: AbortSignal; dispose: () => void } {
  const signals = ['SIGINT', 'SIGTERM'] as const
  const stop = new AbortController()
  const onSignal = (): void => stop.abort()
  for (const s of signals) process.once(s, onSignal)
  return {
    signal: stop.signal,
    dispose: () => {
      for (const s of signals) process.removeListener(s, onSignal)
    },
  }
}

async function serveUpstreamOnly(port: number, io: CliIo): Promise<number> {
  // Listening before the start: a signal during it stops the API as soon as it runs.
  const stop = stopSignal()
  let api: Awaited<ReturnType<typeof startSampleApi>> | undefined
  try {
    api = await startSampleApi({ port })
    io.stdout.write(`Lumen Pay sample API listening on ${api.url} (Ctrl-C to stop)\n`)
    if (!stop.signal.aborted) await once(stop.signal, 'abort')
  } finally {
    stop.dispose()
    await api?.close()
  }
  return 0
}

function printSummary(run: DemoRun, lingerS: number, io: CliIo): void {
  const s = run.summary
  const t = s.traffic
  const classes: Record<string, number> = {}
  for (const [status, n] of Object.entries(t.byStatus)) {
    const c = status === '0' ? 'failed' : `${status[0]}xx`
    classes[c] = (classes[c] ?? 0) + n
  }
  const rel = (p: string): string => {
    const r = relative(io.cwd, p)
    return r.startsWith('..') ? p : r
  }
  const bold = (x: string): string => (io.color ? `\x1b[1m${x}\x1b[0m` : x)
  const sev = (x: string): string => {
    if (!io.color) return x
    const score = Number(x)
    const code = score >= 60 ? 31 : score >= 30 ? 33 : 36
    return `\x1b[${code}m${x}\x1b[0m`
  }
  const list = (items: string[], max = 6): string =>
    items.length === 0
      ? 'none'
      : `${items.length}: ${items.slice(0, max).join(', ')}${items.length > max ? `, +${items.length - max} more` : ''}`
  const drift = Object.entries(s.drift)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([rule, n]) => `${n} ${rule}`)
  const lines = [
    '',
    bold('Specter demo: what the traffic says about the published spec'),
    `  Traffic             ${formatCount(t.requests)} requests from ${Object.keys(t.byClient).length} clients in ${(t.durationMs / 1000).toFixed(1)} s (${Object.entries(
      classes,
    )
      .sort()
      .map(([c, n]) => `${c} ${formatCount(n)}`)
      .join(', ')})`,
    `  Operations seen     ${s.operationsSeen} (the published spec documents ${s.documentedOperations})`,
    `  Shadow operations   ${list(s.shadowOperations)}`,
    `  Zombie operations   ${list(s.zombieOperations)}`,
    `  Drift               ${drift.length === 0 ? 'none' : drift.join(', ')}`,
    `  Findings            ${['critical', 'high', 'medium', 'low', 'info']
      .filter((x) => (s.findingsBySeverity[x] ?? 0) > 0)
      .map((x) => `${s.findingsBySeverity[x]} ${x}`)
      .join(', ')}`,
    '  Top risks (score 0-100, by the documented risk factors)',
    ...s.topRisks.map(
      (r) =>
        `    ${sev(String(r.score).padStart(3))}  ${`${r.method} ${r.path}`.padEnd(44)} ${r.components.map((c) => c.factor).join(', ')}`,
    ),
    '',
    bold('Written'),
    ...[run.files.reportHtml, run.files.reportMarkdown, run.files.openapi, run.files.findings, run.dbPath]
      .filter((f): f is string => f !== undefined)
      .map((f) => `  ${rel(f)}`),
    '',
    ...adminListenerLines(run.adminUrl, lingerS),
    `Next: specter report --db ${rel(run.dbPath)} --spec ${rel(publishedSpecPath())} --format html --out report.html`,
    '',
  ]
  io.stdout.write(lines.join('\n'))
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'run Specter against an embedded sample API and show what it finds',
  help,
  run: async (argv, io) => {
    const flags = parseFlags('demo', argv, {
      out: { type: 'string' },
      db: { type: 'string' },
      duration: { type: 'string' },
      requests: { type: 'string' },
      linger: { type: 'string' },
      'admin-port': { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
      'upstream-only': { type: 'boolean' },
      port: { type: 'string' },
    })
    noArguments('demo', flags)
    const port = intFlag('demo', flags, 'port', 65535)
    if (flags.values['upstream-only'] === true) return serveUpstreamOnly(port ?? 3000, io)
    if (port !== undefined) throw usageError('--port goes with --upstream-only; the demo itself picks free ports')
    const durationS = intFlag('demo', flags, 'duration', 600) ?? 4
    const maxRequests = intFlag('demo', flags, 'requests', 1_000_000) ?? 2500
    const lingerS = intFlag('demo', flags, 'linger', 86_400) ?? 0
    const adminPort = intFlag('demo', flags, 'admin-port', 65535)
    const seed = intFlag('demo', flags, 'seed', 2 ** 31) ?? 7
    const json = flags.values['json'] === true
    const outDir = resolve(io.cwd, stringFlag(flags, 'out') ?? `specter-demo-${timestamp(Date.now())}`)
    const db = stringFlag(flags, 'db')

    const progress =
      flags.values['quiet'] === true ? undefined : createProgress({ stream: io.stderr, env: io.env, title: 'traffic' })
    const run = await runDemo({
      outDir,
      ...(db !== undefined ? { dbPath: resolve(io.cwd, db) } : {}),
      ...(adminPort !== undefined ? { adminPort } : {}),
      durationMs: durationS * 1000,
      maxRequests,
      seed,
      ...(progress === undefined
        ? {}
        : {
            onProgress: (p) =>
              progress.update(
                Math.max(p.sent / p.maxRequests, p.elapsedMs / p.durationMs),
                `${formatCount(p.sent)} requests`,
              ),
          }),
      onStage: (stage) => {
        if (stage === 'captured') progress?.done()
      },
    })
    try {
      if (json) {
        io.stdout.write(
          `${JSON.stringify({ outDir: run.outDir, db: run.dbPath, ...(lingerS > 0 ? { adminUrl: run.adminUrl } : {}), files: run.files, summary: run.summary }, null, 2)}\n`,
        )
      } else {
        printSummary(run, lingerS, io)
      }
      if (lingerS > 0) {
        io.stderr.write(`Keeping the admin listener at ${run.adminUrl} up for ${lingerS} s (Ctrl-C to stop).\n`)
        const stop = stopSignal()
        try {
          await delay(lingerS * 1000, undefined, { signal: stop.signal }).catch(() => undefined)
        } finally {
          stop.dispose()
        }
      }
    } finally {
      await run.close()
    }
    return 0
  },
}
