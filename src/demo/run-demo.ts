// The demo end to end, on loopback only: the sample API, Specter in front of it (proxy, capture,
// store, metrics, admin listener), the traffic driver, then the inferred OpenAPI document, the
// diff against the published spec and the reports, written into one folder.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Registry } from 'prom-client'
import { type AdminServer, type OperationSummary, startAdminServer } from '../admin/index.js'
import { type Capture, createCapture } from '../capture/index.js'
import { loadConfig } from '../config.js'
import { type DiffResult, diff, type Finding, type Rule, rules as diffRules } from '../diff/index.js'
import { buildOpenApi, toYaml } from '../infer/index.js'
import { createMetrics } from '../metrics/index.js'
import { type SpecterProxy, startProxy } from '../proxy/index.js'
import {
  classifyValue,
  createEnumerationRecorder,
  type EnumerationRecorder,
  EnumerationTracker,
  type OperationRisk,
  rankRisks,
  SECURITY_FACTS_KEY,
  securityRules,
} from '../security/index.js'
import { buildReport, FindingStore, renderHtml, renderJson, renderMarkdown } from '../report/index.js'
import { loadSpec, type SpecModel } from '../spec/index.js'
import { openStore, type Store } from '../store/index.js'
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

const SPECTER_VERSION = '0.1.0'

// Every diff and security rule once (the diff's list may come to include the security rules).
const ALL_RULES: Rule[] = [...new Map([...diffRules, ...securityRules].map((r) => [r.id, r] as const)).values()]

interface Running {
  api?: SampleApi
  proxy?: SpecterProxy
  admin?: AdminServer
  capture?: Capture
  enumeration?: EnumerationRecorder
  store?: Store
}

// In order: no new requests (admin, proxy, sample API), then the capture's queue is written, the
// enumeration suspects are stored once more, then the store closes.
async function stopAll(r: Running): Promise<void> {
  await r.admin?.close().catch(() => undefined)
  await r.proxy?.close().catch(() => undefined)
  await r.api?.close().catch(() => undefined)
  await r.capture?.close().catch(() => undefined)
  r.enumeration?.close()
  r.store?.close()
}

function summarize(
  result: DiffResult,
  traffic: TrafficSummary,
  operationsSeen: number,
  risks: OperationRisk[],
): DemoSummary {
  const of = (rule: string): string[] =>
    result.findings.filter((f) => f.rule === rule).map((f) => `${f.method} ${f.path}`)
  const drift: Record<string, number> = {}
  const bySeverity: Record<string, number> = {}
  for (const f of result.findings) {
    bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1
    const kind = ALL_RULES.find((r) => r.id === f.rule)?.kind
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
    topRisks: risks.slice(0, 5),
    topFindings: result.findings.slice(0, 5),
  }
}

/** The admin API's inventory: observed operations (documented or not), then documented ones never seen. */
function operationSummaries(result: DiffResult, spec: SpecModel): OperationSummary[] {
  const byKey = new Map<string, OperationSummary>()
  for (const m of result.matches) {
    const method = m.endpoint.method.toUpperCase()
    const path = m.operation?.template ?? m.endpoint.pathKey
    const key = `${method} ${path}`
    const prev = byKey.get(key)
    const e = m.endpoint
    if (prev === undefined) {
      byKey.set(key, {
        method,
        path,
        documented: m.kind === 'documented',
        count: e.count,
        firstSeenMs: e.firstSeenMs,
        lastSeenMs: e.lastSeenMs,
      })
    } else {
      prev.count += e.count
      prev.firstSeenMs = Math.min(prev.firstSeenMs ?? e.firstSeenMs, e.firstSeenMs)
      prev.lastSeenMs = Math.max(prev.lastSeenMs ?? e.lastSeenMs, e.lastSeenMs)
    }
  }
  for (const op of spec.operations) {
    const key = `${op.method} ${op.template}`
    if (!byKey.has(key)) byKey.set(key, { method: op.method, path: op.template, documented: true, count: 0 })
  }
  return [...byKey.values()].sort((a, b) =>
    a.path === b.path ? (a.method < b.method ? -1 : 1) : a.path < b.path ? -1 : 1,
  )
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
      },
    })
    const store = openStore({ path: dbPath })
    r.store = store
    // As in `specter proxy` (the same wiring): the enumeration tracker sees every observation on its
    // way into the store; its suspects are stored in the database, where `specter report` finds them.
    const enumeration = createEnumerationRecorder({
      tracker: new EnumerationTracker(config.security.enumeration),
      sink: store,
      database: store.database,
      evaluateIntervalMs: config.security.enumeration.evaluateIntervalMs,
      now,
    })
    r.enumeration = enumeration
    const capture = createCapture({
      store: enumeration.sink,
      options: {
        maxDecodedBytes: config.capture.maxDecodedBytes,
        queueSize: config.capture.queueSize,
        batchSize: config.capture.batchSize,
        flushIntervalMs: config.capture.flushIntervalMs,
        clientKeySalt: store.salt,
        wantExample: (method, pathKey, status) => store.wantsExample(method, pathKey, status),
        classify: classifyValue,
      },
    })
    r.capture = capture
    const registry = new Registry()
    const metrics = createMetrics(registry, {
      maxRoutes: config.metrics.maxRoutes,
      capture: () => capture.stats(),
      store: () => {
        const s = store.stats()
        return { dbSizeBytes: s.fileBytes, operations: s.endpoints, shapes: s.distinctShapes }
      },
      security: () => enumeration.tracker.stats(),
      version: SPECTER_VERSION,
    })
    r.proxy = await startProxy({
      config: config.proxy,
      capture: config.capture,
      sink: capture,
      onExchangeEnd: metrics.onExchangeEnd,
      logLevel: 'silent',
    })
    const spec = await loadSpec(publishedSpecPath())
    let reportHtml: string | undefined
    r.admin = await startAdminServer({
      host: config.admin.host,
      port: config.admin.port,
      token: config.admin.token,
      metricsRequireToken: config.admin.metricsRequireToken,
      registry,
      sources: {
        ready: () => r.proxy?.accepting === true,
      },
    })
    stage('running')

    const traffic = await driveTraffic({
      baseUrl: r.proxy.url,
      ...(options.durationMs !== undefined ? { durationMs: options.durationMs } : {}),
      ...(options.maxRequests !== undefined ? { maxRequests: options.maxRequests } : {}),
      seed: options.seed ?? 7,
      enumerateAccounts: options.enumerateAccounts ?? r.api.accountCount,
      ...(options.tokens !== undefined ? { tokens: options.tokens } : {}),
      ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
    })
    await capture.drain()
    stage('captured')

    const inventory = store.inventory()
    const document = buildOpenApi(inventory, {
      publishedTemplates: spec.operations.map((o) => o.template),
      title: `${spec.title} (observed by Specter)`,
    })
    const diffNow = now()
    // The suspects as the enumeration rule reads them, fresh: evaluated and stored now, as the proxy does.
    enumeration.persist(diffNow)
    const result = diff({
      inventory,
      spec,
      now: diffNow,
      rules: ALL_RULES,
      facts: { [SECURITY_FACTS_KEY]: { enumeration: enumeration.store.list() } },
      // The demo's traffic is all the traffic there is: a few seconds are the whole window.
      options: { minObservationWindowMs: 0, minObservedRequests: 50 },
    })
    metrics.drift.setSource(() => ({
      shadowOperations: result.findings.filter((f) => f.rule === 'shadow-operation').length,
      unobservedOperations: result.findings.filter((f) => f.rule === 'unobserved-operation').length,
      findingsOpen: Object.entries(
        result.findings.reduce<Record<string, number>>((acc, f) => {
          const key = `${f.rule}\u0000${f.severity}`
          acc[key] = (acc[key] ?? 0) + 1
          return acc
        }, {}),
      ).map(([key, count]) => {
        const [rule, severity] = key.split('\u0000') as [string, string]
        return { rule, severity, count }
      }),
      lastRunMs: now(),
    }))
    const findingStore = new FindingStore(store.database)
    const stored = findingStore.upsert(result.findings, diffNow)
    const operations = operationSummaries(result, spec)
    r.admin.setSources({
      ready: () => r.proxy?.accepting === true,
      openApi: () => document,
      reportHtml: () => reportHtml ?? '',
      operations: () => operations,
      findings: {
        list: (filter) =>
          findingStore
            .list()
            .filter(
              (f) =>
                (filter.rule === undefined || f.rule === filter.rule) &&
                (filter.severity === undefined || f.severity === filter.severity) &&
                (filter.acknowledged === undefined || f.acknowledged === filter.acknowledged),
            ),
        acknowledge: (id) => {
          if (findingStore.get(id) === undefined) return false
          findingStore.acknowledge(id, 'acknowledged through the admin API during the demo', now())
          return true
        },
      },
    })
    const report = buildReport({ spec, result, generatedMs: diffNow, toolVersion: SPECTER_VERSION, stored })
    const html = renderHtml(report)
    reportHtml = html
    const files: DemoFiles = {
      openapi: join(options.outDir, 'openapi.inferred.yaml'),
      findings: join(options.outDir, 'report.json'),
      reportHtml: join(options.outDir, 'report.html'),
      reportMarkdown: join(options.outDir, 'report.md'),
    }
    writeFileSync(files.openapi, toYaml(document))
    writeFileSync(files.findings, renderJson(report))
    writeFileSync(files.reportHtml, html)
    writeFileSync(files.reportMarkdown, renderMarkdown(report))
    stage('written')
    const operationsSeen = Object.values((document['paths'] ?? {}) as Record<string, Record<string, unknown>>).reduce(
      (n, item) =>
        n + Object.keys(item).filter((k) => /^(get|put|post|delete|patch|head|options|trace)$/.test(k)).length,
      0,
    )
    const running = r
    return {
      outDir: options.outDir,
      dbPath,
      adminUrl: r.admin.url,
      summary: summarize(
        result,
        traffic,
        operationsSeen,
        rankRisks({ matches: result.matches, findings: result.findings }),
      ),
      findings: result.findings,
      files,
      close: () => stopAll(running),
    }
  } catch (err) {
    await stopAll(r)
    throw err
  }
}
