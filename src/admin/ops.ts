// Wires the ops surface of a running Specter: metrics fed by the proxy (onExchangeEnd), the
// capture pipeline (stats, onWriteBatch) and the store; drift gauges and the operation inventory
// from a diff of the store against the published spec, re-run at most every driftIntervalMs and
// only when someone asks (a scrape, an API call); and the admin listener serving all of it.
import { performance } from 'node:perf_hooks'
import { Registry } from 'prom-client'
import type { CaptureStats } from '../capture/index.js'
import type { AdminConfig, MetricsConfig, PathsConfig } from '../config.js'
import { type DiffOptions, type DiffResult, diff } from '../diff/index.js'
import { isSpecterError } from '../errors.js'
import {
  buildOpenApi,
  createRouter,
  isDescribable,
  type PathRouter,
  templatePaths,
  templatingEndpointOf,
} from '../infer/index.js'
import {
  createMetrics,
  type DriftSnapshot,
  type ProxyStatsSnapshot,
  type SecurityStatsSnapshot,
  type SpecterMetrics,
  type StoreStatsSnapshot,
} from '../metrics/index.js'
import type { SpecModel } from '../spec/index.js'
import { buildReport, FindingStore, type Report, renderHtml, type StoredFinding } from '../report/index.js'
import { EnumerationStore, SECURITY_FACTS_KEY } from '../security/index.js'
import type { Inventory } from '../store/index.js'
import { type AdminServer, startAdminServer } from './admin-server.js'
import type { FindingsSource, OperationSummary } from './sources.js'

/** What the ops surface reads from the store (src/store's Store satisfies it). */
export interface OpsStore {
  inventory: () => Inventory
  stats: () => { fileBytes: number; endpoints: number; distinctShapes: number }
  /** the open connection; with a spec, findings are persisted in its `finding` table (ids, acknowledgements) */
  database?: ConstructorParameters<typeof FindingStore>[0]
}

export interface OpsParts {
  store?: OpsStore
  capture?: { stats: () => CaptureStats }
  /** the object-enumeration tracker (src/security's EnumerationTracker satisfies it) */
  enumeration?: { stats: () => SecurityStatsSnapshot }
  /** the running proxy (requests in flight, hand-off failures) */
  proxy?: { stats: () => ProxyStatsSnapshot }
  /** the published spec, when spec.path is set */
  spec?: SpecModel
  /** findings with ids and acknowledgements; default: the report module's FindingStore on store.database */
  findings?: FindingsSource
  /** the HTML report; default: the report module's renderer over a fresh diff */
  reportHtml?: () => string | Promise<string>
  ready?: () => boolean | Promise<boolean>
}

export interface OpsOptions {
  admin: AdminConfig
  metrics: MetricsConfig
  paths?: PathsConfig
  /** the diff's thresholds (the config's diff section); default: the diff module's */
  diff?: Partial<DiffOptions>
  version?: string
  /** clock for diffs (epoch ms) */
  now?: () => number
  /** unexpected failures (a source throwing); never carries request data */
  onError?: (err: unknown) => void
  /** Node process metrics; default true */
  processMetrics?: boolean
  /** the proxy's traffic metrics (createMetrics' `traffic`); default true, false for `specter collect` */
  traffic?: boolean
}

export interface Ops {
  registry: Registry
  metrics: SpecterMetrics
  /** the proxy's onExchangeEnd hook */
  onExchangeEnd: SpecterMetrics['onExchangeEnd']
  /** createCapture's onWriteBatch hook */
  onWriteBatch: (count: number, durationMs: number) => void
  /** installs the components as they come up */
  attach: (parts: OpsParts) => void
  /** re-runs the diff and the route templates now (instead of waiting for driftIntervalMs) */
  refresh: () => DiffResult | undefined
  /** the OpenAPI document inferred from the store, as /api/openapi.* serve it; undefined without a store */
  openApi: () => Record<string, unknown> | undefined
  /** re-runs the diff and builds the report on it, as /report renders it; undefined without a store and a spec */
  report: () => { result: DiffResult; report: Report } | undefined
  /** starts the admin listener */
  listen: () => Promise<AdminServer>
  close: () => Promise<void>
}

// Store statistics count rows in every table: cheap, but not something to do on every scrape.
const STORE_STATS_MAX_INTERVAL_MS = 10_000

function documentedTemplates(spec: SpecModel | undefined): string[] {
  if (spec === undefined) return []
  const out = new Set<string>()
  for (const op of spec.operations) {
    for (const prefix of op.prefixes.length > 0 ? op.prefixes : ['']) out.add(`${prefix}${op.template}`)
  }
  return [...out]
}

function openFindingCounts(findings: readonly { rule: string; severity: string }[]): DriftSnapshot['findingsOpen'] {
  const counts = new Map<string, { rule: string; severity: string; count: number }>()
  for (const f of findings) {
    const key = `${f.rule} ${f.severity}`
    const entry = counts.get(key)
    if (entry === undefined) counts.set(key, { rule: f.rule, severity: f.severity, count: 1 })
    else entry.count++
  }
  return [...counts.values()]
}

/** Creates the metrics and the admin surface; call listen() to open the admin port. */
export function createOps(options: OpsOptions): Ops {
  const registry = new Registry()
  const metrics = createMetrics(registry, {
    maxRoutes: options.metrics.maxRoutes,
    ...(options.version === undefined ? {} : { version: options.version }),
    ...(options.processMetrics === undefined ? {} : { processMetrics: options.processMetrics }),
    ...(options.traffic === undefined ? {} : { traffic: options.traffic }),
  })
  const now = options.now ?? Date.now
  const driftIntervalMs = options.metrics.driftIntervalMs
  const storeStatsIntervalMs = Math.min(STORE_STATS_MAX_INTERVAL_MS, driftIntervalMs)
  const pins = { templates: options.paths?.templates ?? [], literals: options.paths?.literals ?? [] }
  let parts: OpsParts = {}
  let admin: AdminServer | undefined
  let lastDiff:
    | {
        at: number
        result: DiffResult | undefined
        templates: Map<string, string>
        /** the run's clock: statuses ('new' or 'open') are as of this run, as `specter report` gives them */
        runMs: number
        /** the latest run's findings as its upsert returned them (ids, statuses, acknowledgements) */
        stored: StoredFinding[] | undefined
      }
    | undefined
  let findingStore: FindingStore | undefined
  let enumerationStore: EnumerationStore | undefined
  let storeStats: { at: number; value: StoreStatsSnapshot } | undefined

  const report = (err: unknown) => {
    try {
      options.onError?.(err)
    } catch {
      // The error sink itself failing must not take the scrape down.
    }
  }

  const installRouter = (router: PathRouter | undefined) => {
    metrics.routes.setMatcher(router === undefined ? undefined : (_method, path) => router.match(path)?.template)
  }

  // Templates (documented first, then inferred from the store) for route labels and the inventory.
  const refresh = (): DiffResult | undefined => {
    const { store, spec } = parts
    storeStats = undefined
    if (store === undefined) {
      installRouter(spec === undefined ? undefined : createRouter(documentedTemplates(spec)))
      return undefined
    }
    const inventory = store.inventory()
    const published = documentedTemplates(spec)
    // Fed as the OpenAPI builder feeds it (describable endpoints with their response shapes), so
    // route labels and /api/operations name what `specter infer` and the findings name, and paths
    // that only ever answered 404 are no operation here either.
    const describable = inventory.endpoints.filter(isDescribable)
    const templating = templatePaths(describable.map(templatingEndpointOf), {
      publishedTemplates: published,
      pins,
    })
    const templates = new Map<string, string>()
    describable.forEach((e, i) => {
      templates.set(`${e.method} ${e.pathKey}`, templating.endpointTemplates[i] ?? e.pathKey)
    })
    installRouter(createRouter([...published, ...templating.templates.map((t) => t.template)]))
    const runMs = now()
    // Object-enumeration suspects, stored by the proxy's tracker, reach the security rules as facts.
    const facts = { [SECURITY_FACTS_KEY]: { enumeration: enumerationStore?.list() ?? [] } }
    const result =
      spec === undefined ? undefined : diff({ inventory, spec, now: runMs, facts, pins, options: options.diff ?? {} })
    const stored = result === undefined ? undefined : findingStore?.upsert(result.findings, runMs)
    lastDiff = { at: performance.now(), runMs, result, templates, stored }
    return result
  }

  const freshDiff = () => {
    if (lastDiff === undefined || performance.now() - lastDiff.at >= driftIntervalMs) refresh()
    return lastDiff
  }

  const operations = (): OperationSummary[] => {
    const store = parts.store
    if (store === undefined) return []
    const current = refresh()
    const templates = lastDiff?.templates ?? new Map<string, string>()
    const byKey = new Map<string, OperationSummary>()
    const add = (
      method: string,
      path: string,
      documented: boolean,
      e?: { count: number; firstSeenMs: number; lastSeenMs: number },
    ) => {
      const key = `${method} ${path}`
      const op = byKey.get(key) ?? { method, path, documented, count: 0 }
      byKey.set(key, op)
      if (e === undefined) return
      op.count += e.count
      op.firstSeenMs = Math.min(op.firstSeenMs ?? e.firstSeenMs, e.firstSeenMs)
      op.lastSeenMs = Math.max(op.lastSeenMs ?? e.lastSeenMs, e.lastSeenMs)
    }
    if (current !== undefined && parts.spec !== undefined) {
      for (const op of parts.spec.operations) add(op.method, `${op.prefixes[0] ?? ''}${op.template}`, true)
      for (const m of current.matches) {
        const e = m.endpoint
        if (m.kind === 'documented' && m.operation !== undefined) {
          add(m.operation.method, `${m.operation.prefixes[0] ?? ''}${m.operation.template}`, true, e)
        } else {
          add(e.method, m.inferredPath ?? templates.get(`${e.method} ${e.pathKey}`) ?? e.pathKey, false, e)
        }
      }
    } else {
      for (const e of store.inventory().endpoints) {
        const template = templates.get(`${e.method} ${e.pathKey}`)
        if (template !== undefined) add(e.method, template, false, e)
      }
    }
    return [...byKey.values()].sort((a, b) =>
      a.path === b.path ? (a.method < b.method ? -1 : 1) : a.path < b.path ? -1 : 1,
    )
  }

  const driftSource = async (): Promise<DriftSnapshot> => {
    const latest = freshDiff()
    const result = latest?.result
    if (result === undefined) throw new Error('no published spec or no store: no drift to report')
    const open =
      latest?.stored?.filter((f) => !f.acknowledged) ??
      (parts.findings === undefined ? result.findings : await parts.findings.list({ acknowledged: false }))
    const shadow = result.matches.filter((m) => m.kind !== 'documented' && m.supersededBy === undefined).length
    return {
      shadowOperations: shadow,
      unobservedOperations: Math.max(0, result.stats.documentedOperations - result.stats.observedOperations),
      findingsOpen: openFindingCounts(open),
      lastRunMs: now(),
    }
  }

  const storeSource = (): StoreStatsSnapshot => {
    const store = parts.store
    if (store === undefined) throw new Error('no store')
    if (storeStats === undefined || performance.now() - storeStats.at >= storeStatsIntervalMs) {
      const s = store.stats()
      storeStats = {
        at: performance.now(),
        value: { dbSizeBytes: s.fileBytes, operations: s.endpoints, shapes: s.distinctShapes },
      }
    }
    return storeStats.value
  }

  // The latest diff run's clock, re-running a stale one; a failing diff leaves the last statuses.
  const latestRunMs = (): number | undefined => {
    try {
      return freshDiff()?.runMs
    } catch (err) {
      report(err)
      return lastDiff?.runMs
    }
  }

  const storedFindings = (): FindingsSource | undefined => {
    const fs = findingStore
    if (fs === undefined) return undefined
    return {
      // As of the latest diff run (re-run when older than driftIntervalMs): a finding that run first
      // reported is 'new', as in the /report and `specter report` of that run.
      list: (filter) =>
        fs
          .list(latestRunMs())
          .filter(
            (f) =>
              (filter.rule === undefined || f.rule === filter.rule) &&
              (filter.severity === undefined || f.severity === filter.severity) &&
              (filter.acknowledged === undefined || f.acknowledged === filter.acknowledged),
          ),
      acknowledge: (id) => {
        try {
          fs.acknowledge(id, 'acknowledged through the admin API', now())
          return true
        } catch (err) {
          if (isSpecterError(err) && err.code === 'SPECTER_ERR_NOT_FOUND') return false
          throw err
        }
      },
    }
  }

  const inferredDocument = (store: OpsStore): Record<string, unknown> => {
    const spec = parts.spec
    return buildOpenApi(store.inventory(), {
      publishedTemplates: documentedTemplates(spec),
      pins,
      title: spec === undefined ? 'Observed API' : `${spec.title} (observed)`,
    })
  }

  const reportNow = (): { result: DiffResult; report: Report } | undefined => {
    const { store, spec } = parts
    if (store === undefined || spec === undefined) return undefined
    const result = refresh()
    if (result === undefined) return undefined
    // The statuses this run's upsert gave (new: first reported now), as `specter report` shows them.
    const stored = lastDiff?.stored
    return {
      result,
      report: buildReport({
        spec,
        result,
        generatedMs: now(),
        toolVersion: options.version ?? 'unknown',
        ...(stored === undefined ? {} : { stored }),
      }),
    }
  }

  const defaultReport = (): (() => string) | undefined => {
    if (parts.store === undefined || parts.spec === undefined) return undefined
    return () => {
      const latest = reportNow()
      if (latest === undefined) throw new Error('no diff to report')
      return renderHtml(latest.report)
    }
  }

  const adminSources = () => {
    const { store, ready } = parts
    const findings = parts.findings ?? storedFindings()
    const reportHtml = parts.reportHtml ?? defaultReport()
    return {
      ...(ready === undefined ? {} : { ready }),
      ...(store === undefined
        ? {}
        : {
            operations,
            openApi: () => inferredDocument(store),
          }),
      ...(findings === undefined ? {} : { findings }),
      ...(reportHtml === undefined ? {} : { reportHtml }),
    }
  }

  return {
    registry,
    metrics,
    onExchangeEnd: metrics.onExchangeEnd,
    onWriteBatch: (_count, durationMs) => metrics.store.observeWriteBatch(durationMs),
    attach: (next) => {
      parts = { ...parts, ...next }
      lastDiff = undefined
      storeStats = undefined
      if (findingStore === undefined && parts.spec !== undefined && parts.store?.database !== undefined) {
        findingStore = new FindingStore(parts.store.database)
      }
      if (enumerationStore === undefined && parts.store?.database !== undefined) {
        enumerationStore = new EnumerationStore(parts.store.database)
      }
      if (parts.capture !== undefined) metrics.capture.setSource(parts.capture.stats)
      if (parts.proxy !== undefined) metrics.proxy.setSource(parts.proxy.stats)
      const enumeration = parts.enumeration
      if (enumeration !== undefined) metrics.security.setSource(() => enumeration.stats())
      if (parts.store !== undefined) metrics.store.setSource(storeSource)
      if (parts.spec !== undefined && parts.store !== undefined) metrics.drift.setSource(driftSource)
      try {
        refresh()
      } catch (err) {
        report(err)
      }
      admin?.setSources(adminSources())
    },
    refresh,
    openApi: () => (parts.store === undefined ? undefined : inferredDocument(parts.store)),
    report: reportNow,
    listen: async () => {
      admin = await startAdminServer({
        host: options.admin.host,
        port: options.admin.port,
        token: options.admin.token,
        metricsRequireToken: options.admin.metricsRequireToken,
        registry,
        sources: adminSources(),
        onError: report,
      })
      return admin
    },
    close: async () => {
      await admin?.close()
      admin = undefined
    },
  }
}
