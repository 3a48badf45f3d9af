// The demo end to end, on loopback only: the sample API, Specter in front of it (the stack of
// `specter proxy`: proxy, capture, store, metrics, admin listener), the traffic driver, then the
// inferred OpenAPI document, the diff against the published spec and the reports, in one folder.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type SpecterStack, startSpecterStack } from '../cli/index.js'
import { loadConfig } from '../config.js'
import { compareSeverity, type DiffResult, type Finding, rules } from '../diff/index.js'
import { toYaml } from '../infer/index.js'
import { renderHtml, renderJson, renderMarkdown } from '../report/index.js'
import { type OperationRisk, rankRisks } from '../security/index.js'
import { publishedSpecPath } from './published-spec.js'
import { type SampleApi, startSampleApi } from './sample-api/server.js'
import { driveTraffic, type TrafficOptions, type TrafficProgress, type TrafficSummary } from './traffic.js'

export interface DemoOptions {
  /** folder for the outputs; created when missing */
  outDir: string
  /** the store; default `<outDir>/specter.db` */
  dbPath?: string
  /** admin listener port on 127.0.0.1 (default 0: any free port) */
  adminPort?: number
  durationMs?: number
  maxRequests?: number
  seed?: number
  /** accounts the partner client walks (default: all of them) */
  enumerateAccounts?: number
  /** the traffic clients' bearer tokens (default: random per run) */
  tokens?: TrafficOptions['tokens']
  /** the clock (default Date.now) */
  now?: () => number
  onProgress?: (progress: TrafficProgress) => void
  /** called after each stage, for the CLI's status lines */
  onStage?: (stage: string) => void
}

export interface DemoSummary {
  traffic: TrafficSummary
  /** observed operations (method + inferred path template) */
  operationsSeen: number
  documentedOperations: number
  shadowOperations: string[]
  zombieOperations: string[]
  /** drift findings (schemas, statuses, content types), by rule id */
  drift: Record<string, number>
  findingsBySeverity: Record<string, number>
  /** operations ranked by the security module's risk score, highest first */
  topRisks: OperationRisk[]
  /** the most severe findings first */
  topFindings: Finding[]
}

export interface DemoFiles {
  openapi: string
  /** the report as JSON (versioned schema, see the report module) */
  findings: string
  reportHtml: string
  reportMarkdown: string
}

export interface DemoRun {
  outDir: string
  dbPath: string
  adminUrl: string
  summary: DemoSummary
  findings: Finding[]
  files: DemoFiles
  /** stops the admin listener, the proxy and the sample API, closes the store */
  close: () => Promise<void>
}

interface Running {
  api?: SampleApi
  stack?: SpecterStack
}

// In order: Specter (proxy, capture queue, enumeration suspects, admin, store), then the sample API.
async function stopAll(r: Running): Promise<void> {
  await r.stack?.close().catch(() => undefined)
  await r.api?.close().catch(() => undefined)
}

/** The summary of a run; `open`: its findings less the acknowledged ones (they rank nothing). */
function summarize(result: DiffResult, traffic: TrafficSummary, operationsSeen: number, open: Finding[]): DemoSummary {
  const of = (rule: string): string[] =>
    result.findings.filter((f) => f.rule === rule).map((f) => `${f.method} ${f.path}`)
  const drift: Record<string, number> = {}
  const bySeverity: Record<string, number> = {}
  for (const f of result.findings) {
    bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1
    const kind = rules.find((r) => r.id === f.rule)?.kind
    if (kind === 'drift') drift[f.rule] = (drift[f.rule] ?? 0) + 1
  }
  return {
    traffic,
    operationsSeen,
    documentedOperations: result.stats.documentedOperations,
    shadowOperations: [
      ...of('shadow-operation'),
      ...result.findings.filter((f) => f.rule === 'shadow-service').flatMap((f) => f.operations ?? []),
    ],
    zombieOperations: of('zombie-operation'),
    drift,
    findingsBySeverity: bySeverity,
    topRisks: rankRisks({ matches: result.matches, findings: open }).slice(0, 5),
    topFindings: [...open].sort((a, b) => compareSeverity(b.severity, a.severity)).slice(0, 5),
  }
}

/** Runs the demo; the caller closes the returned run (after lingering, if it wants). */
export async function runDemo(options: DemoOptions): Promise<DemoRun> {
  const now = options.now ?? Date.now
  const stage = options.onStage ?? (() => undefined)
  mkdirSync(options.outDir, { recursive: true })
  const dbPath = options.dbPath ?? join(options.outDir, 'specter.db')
  const r: Running = {}
  try {
    r.api = await startSampleApi({ seed: options.seed ?? 7 })
    // Hermetic: no config file, no SPECTER_* variables; loopback and free ports only.
    const config = loadConfig({
      env: {},
      overrides: {
        proxy: { host: '127.0.0.1', port: 0, upstream: r.api.url },
        admin: { host: '127.0.0.1', port: options.adminPort ?? 0 },
        store: { path: dbPath },
        spec: { path: publishedSpecPath() },
        log: { level: 'silent' },
        // The demo's traffic is all the traffic there is: a few seconds are the whole window.
        diff: { minObservationWindowMs: 0, minObservedRequests: 50 },
      },
    })
    // The same wiring as `specter proxy`: store, capture, enumeration tracker, proxy, metrics, admin.
    const stack = await startSpecterStack(config, { cwd: options.outDir, now })
    r.stack = stack
    stage('running')

    const traffic = await driveTraffic({
      baseUrl: stack.proxy.url,
      ...(options.durationMs !== undefined ? { durationMs: options.durationMs } : {}),
      ...(options.maxRequests !== undefined ? { maxRequests: options.maxRequests } : {}),
      seed: options.seed ?? 7,
      enumerateAccounts: options.enumerateAccounts ?? r.api.accountCount,
      ...(options.tokens !== undefined ? { tokens: options.tokens } : {}),
      ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
    })
    await stack.capture.drain()
    stage('captured')

    // The enumeration suspects as the rule reads them, fresh: evaluated and stored now.
    stack.enumeration.persist(now())
    // The diff, the stored findings and the report, as the admin listener's /report makes them.
    const latest = stack.ops.report()
    const document = stack.ops.openApi()
    if (latest === undefined || document === undefined) throw new Error('the demo ran without a store or a spec')
    const { result, report } = latest
    const files: DemoFiles = {
      openapi: join(options.outDir, 'openapi.inferred.yaml'),
      findings: join(options.outDir, 'report.json'),
      reportHtml: join(options.outDir, 'report.html'),
      reportMarkdown: join(options.outDir, 'report.md'),
    }
    writeFileSync(files.openapi, toYaml(document))
    writeFileSync(files.findings, renderJson(report))
    writeFileSync(files.reportHtml, renderHtml(report))
    writeFileSync(files.reportMarkdown, renderMarkdown(report))
    stage('written')
    const operationsSeen = Object.values((document['paths'] ?? {}) as Record<string, Record<string, unknown>>).reduce(
      (n, item) =>
        n + Object.keys(item).filter((k) => /^(get|put|post|delete|patch|head|options|trace)$/.test(k)).length,
      0,
    )
    // Acknowledged findings (a --db with history) are accepted risks, as in the report itself.
    const keyOf = (f: { rule: string; method: string; path: string; pointer: string }) =>
      `${f.rule} ${f.method} ${f.path} ${f.pointer}`
    const acknowledged = new Set(report.findings.filter((f) => f.status === 'acknowledged').map(keyOf))
    const open = result.findings.filter((f) => !acknowledged.has(keyOf(f)))
    const running = r
    return {
      outDir: options.outDir,
      dbPath,
      adminUrl: stack.admin.url,
      summary: summarize(result, traffic, operationsSeen, open),
      findings: result.findings,
      files,
      close: () => stopAll(running),
    }
  } catch (err) {
    await stopAll(r)
    throw err
  }
}
