// Builds every Specter metric group in one registry, the one the admin listener exposes.
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client'
import { type CaptureMetrics, type CaptureStatsSnapshot, createCaptureMetrics } from './capture-metrics.js'
import { createDriftMetrics, type DriftMetrics, type DriftSnapshot } from './drift-metrics.js'
import { createHttpMetrics, type ExchangeEnd, type ExchangeTiming, type HttpMetrics } from './http-metrics.js'
import { createProxyMetrics, type ProxyMetrics, type ProxyStatsSnapshot } from './proxy-metrics.js'
import { type RouteMatcher, RouteLabels } from './route-label.js'
import { createSecurityMetrics, type SecurityMetrics, type SecurityStatsSnapshot } from './security-metrics.js'
import type { StatsSource } from './stats-source.js'
import { createStoreMetrics, type StoreMetrics, type StoreStatsSnapshot } from './store-metrics.js'

export const DEFAULT_MAX_ROUTES = 200

const MISNAMED_DEFAULTS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
]

export interface MetricsOptions {
  /** distinct route label values before overflow into `__other__` (config metrics.maxRoutes) */
  maxRoutes?: number
  /** runtime template matcher (documented or inferred templates); path keys are used without one */
  matchRoute?: RouteMatcher | undefined
  capture?: StatsSource<CaptureStatsSnapshot> | undefined
  store?: StatsSource<StoreStatsSnapshot> | undefined
  drift?: StatsSource<DriftSnapshot> | undefined
  proxy?: StatsSource<ProxyStatsSnapshot> | undefined
  /** the object-enumeration tracker's stats() */
  security?: StatsSource<SecurityStatsSnapshot> | undefined
  /** Node process metrics (CPU, memory, event loop, GC); on by default */
  processMetrics?: boolean
  /** reported in specter_build_info */
  version?: string
  /**
   * The traffic groups (specter_http_*, specter_upstream_*, specter_proxy_*, specter_capture_*,
   * specter_security_*); on by default. A process that proxies nothing (`specter collect`) turns
   * them off: they are still built, in a registry nobody exposes, so the returned shape is the same.
   */
  traffic?: boolean
}

export interface SpecterMetrics {
  registry: Registry
  routes: RouteLabels
  http: HttpMetrics
  proxy: ProxyMetrics
  capture: CaptureMetrics
  store: StoreMetrics
  drift: DriftMetrics
  security: SecurityMetrics
  /** the proxy's onExchangeEnd hook: records one finished exchange, never throws */
  onExchangeEnd: (exchange: ExchangeEnd, timing: ExchangeTiming) => void
}

/**
 * Creates all Specter metrics in `registry` (never the global one). Sources for capture, store
 * and drift may be given now or installed later with each group's setSource.
 */
export function createMetrics(registry: Registry, options: MetricsOptions = {}): SpecterMetrics {
  const routes = new RouteLabels({
    maxRoutes: options.maxRoutes ?? DEFAULT_MAX_ROUTES,
    matchRoute: options.matchRoute,
  })
  const traffic = options.traffic === false ? new Registry() : registry
  const http = createHttpMetrics(traffic, routes)
  const proxy = createProxyMetrics(traffic, options.proxy)
  const capture = createCaptureMetrics(traffic, options.capture)
  const store = createStoreMetrics(registry, options.store)
  const drift = createDriftMetrics(registry, options.drift)
  const security = createSecurityMetrics(traffic, options.security)
  new Gauge({
    name: 'specter_build_info',
    help: 'Always 1; labels carry the running Specter version.',
    labelNames: ['version'] as const,
    registers: [registry],
  }).set({ version: options.version ?? 'unknown' }, 1)
  if (options.processMetrics !== false) {
    collectDefaultMetrics({ register: registry })
    // prom-client exports these totals as gauges; a `_total` gauge breaks Prometheus naming
    // (promtool check metrics rejects it). The same numbers stay available per type in
    // nodejs_active_handles, nodejs_active_requests and nodejs_active_resources.
    for (const name of MISNAMED_DEFAULTS) registry.removeSingleMetric(name)
  }
  return { registry, routes, http, proxy, capture, store, drift, security, onExchangeEnd: http.observe }
}
