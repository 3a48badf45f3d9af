// Traffic metrics fed by the proxy's onExchangeEnd hook: requests by route, upstream latency,
// the proxy's own added latency, bytes through, upstream failures by kind.
import { Counter, type Registry } from 'prom-client'
import { methodLabel, statusClass, UPSTREAM_ERROR_KINDS, type UpstreamErrorKind } from './labels.js'
import type { RouteLabels } from './route-label.js'
import { SeriesHistogram } from './series-histogram.js'

/** Upstream latency buckets, seconds: API calls from a few ms to a slow 30 s. */
export const UPSTREAM_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
/** Added-latency buckets, seconds: the proxy aims for well under a millisecond. */
export const ADDED_BUCKETS_SECONDS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25]

/** What the metrics need of a finished exchange (src/capture's Exchange satisfies it). */
export interface ExchangeEnd {
  method: string
  /** request target as received: path and query */
  url: string
  /** 0 when the upstream never answered */
  status: number
  outcome: string
  requestBody: { totalBytes: number }
  responseBody: { totalBytes: number }
}

export interface ExchangeTiming {
  /** request start to upstream response end, milliseconds; absent when the upstream never answered */
  upstreamMs?: number | undefined
  /** time the proxy itself added to the request, milliseconds */
  addedMs?: number | undefined
  /** why the upstream failed, when it did */
  upstreamError?: UpstreamErrorKind | undefined
}

export interface HttpMetrics {
  requests: Counter<'method' | 'route' | 'status_class'>
  upstreamLatency: SeriesHistogram
  addedLatency: SeriesHistogram
  requestBytes: Counter
  responseBytes: Counter
  upstreamErrors: Counter<'kind'>
  routeOverflow: Counter
  /** records one finished exchange; never throws */
  observe: (exchange: ExchangeEnd, timing: ExchangeTiming) => void
}

function errorKind(exchange: ExchangeEnd, timing: ExchangeTiming): UpstreamErrorKind | undefined {
  if (timing.upstreamError !== undefined) return timing.upstreamError
  if (exchange.outcome === 'upstream-timeout') return 'timeout'
  if (exchange.outcome === 'upstream-error') return exchange.status === 0 ? 'connect' : 'reset'
  return undefined
}

const finite = (n: number | undefined): n is number => n !== undefined && Number.isFinite(n) && n >= 0

// Per-request counts are kept in plain numbers and added to the prom-client counters when they
// are read (their collect hook runs on every scrape): one inc per series per scrape instead of a
// label hash and validation per request. Values read are exact at any moment.
interface PendingRequests {
  labels: { method: string; route: string; status_class: string }
  n: number
}

/** Creates the traffic metrics in `registry`. */
export function createHttpMetrics(registry: Registry, routes: RouteLabels): HttpMetrics {
  const registers = [registry]
  const pendingRequests = new Map<string, PendingRequests>()
  let pendingRequestBytes = 0
  let pendingResponseBytes = 0
  const requests: Counter<'method' | 'route' | 'status_class'> = new Counter({
    name: 'specter_http_requests_total',
    help: 'Requests proxied, by method, route template and response status class (none: no upstream response).',
    labelNames: ['method', 'route', 'status_class'] as const,
    registers,
    collect() {
      for (const p of pendingRequests.values()) {
        if (p.n > 0) requests.inc(p.labels, p.n)
        p.n = 0
      }
      // The pending entries are few (bounded routes x methods x classes); drop them now and then.
      if (pendingRequests.size > 4096) pendingRequests.clear()
    },
  })
  const upstreamLatency = new SeriesHistogram({
    name: 'specter_upstream_latency_seconds',
    help: 'Upstream latency by route template: request start to the end of the upstream response.',
    labelName: 'route',
    buckets: UPSTREAM_BUCKETS_SECONDS,
    registers,
  })
  const addedLatency = new SeriesHistogram({
    name: 'specter_proxy_added_latency_seconds',
    help: 'Latency the proxy itself added to each request, beyond the upstream.',
    buckets: ADDED_BUCKETS_SECONDS,
    registers,
  })
  const requestBytes: Counter = new Counter({
    name: 'specter_http_request_bytes_total',
    help: 'Request body bytes received from clients and forwarded upstream.',
    registers,
    collect() {
      if (pendingRequestBytes > 0) requestBytes.inc(pendingRequestBytes)
      pendingRequestBytes = 0
    },
  })
  const responseBytes: Counter = new Counter({
    name: 'specter_http_response_bytes_total',
    help: 'Response body bytes received from the upstream and sent to clients.',
    registers,
    collect() {
      if (pendingResponseBytes > 0) responseBytes.inc(pendingResponseBytes)
      pendingResponseBytes = 0
    },
  })
  const upstreamErrors = new Counter({
    name: 'specter_upstream_errors_total',
    help: 'Requests the upstream failed, by kind: connect (unreachable), timeout, reset (connection dropped).',
    labelNames: ['kind'] as const,
    registers,
  })
  const routeOverflow = new Counter({
    name: 'specter_metrics_route_overflow_total',
    help: 'Requests counted under route="__other__" because metrics.maxRoutes distinct routes were already labelled.',
    registers,
  })
  // Zero series up front so alerts and rate() see the kinds before the first failure.
  for (const kind of UPSTREAM_ERROR_KINDS) upstreamErrors.inc({ kind }, 0)
  let overflowSeen = 0

  const observe = (exchange: ExchangeEnd, timing: ExchangeTiming): void => {
    try {
      const route = routes.label(exchange.method, exchange.url)
      const method = methodLabel(exchange.method)
      const status_class = statusClass(exchange.status)
      const key = `${method} ${status_class} ${route}`
      const pending = pendingRequests.get(key)
      if (pending !== undefined) pending.n++
      else pendingRequests.set(key, { labels: { method, route, status_class }, n: 1 })
      if (routes.overflowed > overflowSeen) {
        routeOverflow.inc(routes.overflowed - overflowSeen)
        overflowSeen = routes.overflowed
      }
      if (finite(timing.upstreamMs) && exchange.status !== 0) upstreamLatency.observe(route, timing.upstreamMs / 1000)
      if (finite(timing.addedMs)) addedLatency.observe('', timing.addedMs / 1000)
      if (finite(exchange.requestBody.totalBytes)) pendingRequestBytes += exchange.requestBody.totalBytes
      if (finite(exchange.responseBody.totalBytes)) pendingResponseBytes += exchange.responseBody.totalBytes
      const kind = errorKind(exchange, timing)
      if (kind !== undefined) upstreamErrors.inc({ kind })
    } catch {
      // Metrics are observers: a failure here must never reach the request path.
    }
  }

  return {
    requests,
    upstreamLatency,
    addedLatency,
    requestBytes,
    responseBytes,
    upstreamErrors,
    routeOverflow,
    observe,
  }
}
