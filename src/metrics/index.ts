// metrics: Specter's Prometheus metrics (prom-client), one factory per group, registry passed in.
export {
  type CaptureMetrics,
  type CaptureStatsSnapshot,
  createCaptureMetrics,
} from './capture-metrics.js'
export { createMetrics, DEFAULT_MAX_ROUTES, type MetricsOptions, type SpecterMetrics } from './create-metrics.js'
export { createDriftMetrics, type DriftMetrics, type DriftSnapshot } from './drift-metrics.js'
export {
  ADDED_BUCKETS_SECONDS,
  createHttpMetrics,
  type ExchangeEnd,
  type ExchangeTiming,
  type HttpMetrics,
  UPSTREAM_BUCKETS_SECONDS,
} from './http-metrics.js'
export { createProxyMetrics, type ProxyMetrics, type ProxyStatsSnapshot } from './proxy-metrics.js'
export { methodLabel, type StatusClass, statusClass, UPSTREAM_ERROR_KINDS, type UpstreamErrorKind } from './labels.js'
export { OTHER_ROUTE, type RouteLabelOptions, RouteLabels, type RouteMatcher } from './route-label.js'
export { createSecurityMetrics, type SecurityMetrics, type SecurityStatsSnapshot } from './security-metrics.js'
export { type SampledSource, type StatsSource, sampled } from './stats-source.js'
export {
  createStoreMetrics,
  type StoreMetrics,
  type StoreStatsSnapshot,
  WRITE_BATCH_BUCKETS_SECONDS,
} from './store-metrics.js'
