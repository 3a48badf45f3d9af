import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { Registry } from 'prom-client'
import { describe, expect, test } from 'vitest'
import {
  type CaptureStatsSnapshot,
  createMetrics,
  type DriftSnapshot,
  type ExchangeEnd,
  OTHER_ROUTE,
} from '../../src/metrics/index.js'
import { parseExposition, sampleValue } from '../ops/exposition.js'
import { missingTool } from '../ops/tools.js'

const run = promisify(execFile)

function exchange(method: string, url: string, status: number, extra: Partial<ExchangeEnd> = {}): ExchangeEnd {
  return {
    method,
    url,
    status,
    outcome: 'ok',
    requestBody: { totalBytes: 10 },
    responseBody: { totalBytes: 100 },
    ...extra,
  }
}

async function scrape(registry: Registry) {
  const text = await registry.metrics()
  return { text, samples: parseExposition(text) }
}

describe('createMetrics', () => {
  test('counts requests by method, route template and status class, with latency in seconds', async () => {
    const registry = new Registry()
    const metrics = createMetrics(registry, { processMetrics: false })
    for (let i = 0; i < 5; i++)
      metrics.onExchangeEnd(exchange('GET', `/users/${i}`, 200), { upstreamMs: 20, addedMs: 0.3 })
    metrics.onExchangeEnd(exchange('get', '/users/9?x=1', 404), { upstreamMs: 2000, addedMs: 0.2 })
    metrics.onExchangeEnd(exchange('BREW', '/coffee', 418), { upstreamMs: 1 })
    const { samples } = await scrape(registry)
    const requests = 'specter_http_requests_total'
    expect(sampleValue(samples, requests, { method: 'GET', route: '/users/{int}', status_class: '2xx' })).toBe(5)
    expect(sampleValue(samples, requests, { method: 'GET', route: '/users/{int}', status_class: '4xx' })).toBe(1)
    expect(sampleValue(samples, requests, { method: 'OTHER', route: '/coffee', status_class: '4xx' })).toBe(1)
    const upstream = 'specter_upstream_latency_seconds'
    expect(sampleValue(samples, `${upstream}_count`, { route: '/users/{int}' })).toBe(6)
    expect(sampleValue(samples, `${upstream}_sum`, { route: '/users/{int}' })).toBeCloseTo(2.1, 6)
    expect(sampleValue(samples, `${upstream}_bucket`, { route: '/users/{int}', le: '0.025' })).toBe(5)
    expect(sampleValue(samples, `${upstream}_bucket`, { route: '/users/{int}', le: '2.5' })).toBe(6)
    expect(sampleValue(samples, 'specter_proxy_added_latency_seconds_count')).toBe(6)
    expect(sampleValue(samples, 'specter_proxy_added_latency_seconds_bucket', { le: '0.00025' })).toBe(1)
    expect(sampleValue(samples, 'specter_http_request_bytes_total')).toBe(70)
    expect(sampleValue(samples, 'specter_http_response_bytes_total')).toBe(700)
    expect(samples.some((s) => s.labels['route']?.includes('9'))).toBe(false)
  })

  test('counts upstream failures by kind, with zero series before the first one', async () => {
    const registry = new Registry()
    const metrics = createMetrics(registry, { processMetrics: false })
    let { samples } = await scrape(registry)
    for (const kind of ['connect', 'timeout', 'reset']) {
      expect(sampleValue(samples, 'specter_upstream_errors_total', { kind })).toBe(0)
    }
    metrics.onExchangeEnd(exchange('GET', '/a', 0, { outcome: 'upstream-error' }), { upstreamError: 'connect' })
    metrics.onExchangeEnd(exchange('GET', '/a', 0, { outcome: 'upstream-timeout' }), {})
    metrics.onExchangeEnd(exchange('GET', '/a', 200, { outcome: 'upstream-error' }), { upstreamMs: 5 })
    metrics.onExchangeEnd(exchange('GET', '/a', 0, { outcome: 'upstream-error' }), {})
    ;({ samples } = await scrape(registry))
    expect(sampleValue(samples, 'specter_upstream_errors_total', { kind: 'connect' })).toBe(2)
    expect(sampleValue(samples, 'specter_upstream_errors_total', { kind: 'timeout' })).toBe(1)
    expect(sampleValue(samples, 'specter_upstream_errors_total', { kind: 'reset' })).toBe(1)
    expect(sampleValue(samples, 'specter_http_requests_total', { route: '/a', status_class: 'none' })).toBe(3)
    // No upstream response, no upstream latency sample.
    expect(sampleValue(samples, 'specter_upstream_latency_seconds_count', { route: '/a' })).toBe(1)
  })

  test('caps route series at metrics.maxRoutes, counting the overflow', async () => {
    const registry = new Registry()
    const metrics = createMetrics(registry, { processMetrics: false, maxRoutes: 20 })
    for (let i = 0; i < 10_000; i++) {
      metrics.onExchangeEnd(exchange('GET', `/w${(i * 7919).toString(36).replace(/[0-9]/g, 'q')}/x`, 200), {
        upstreamMs: 1,
      })
    }
    const { samples } = await scrape(registry)
    const routes = new Set(
      samples.filter((s) => s.name === 'specter_http_requests_total').map((s) => s.labels['route']),
    )
    expect(routes.size).toBe(21)
    expect(routes.has(OTHER_ROUTE)).toBe(true)
    const total = samples.filter((s) => s.name === 'specter_http_requests_total').reduce((sum, s) => sum + s.value, 0)
    expect(total).toBe(10_000)
    expect(sampleValue(samples, 'specter_metrics_route_overflow_total')).toBe(
      sampleValue(samples, 'specter_http_requests_total', { route: OTHER_ROUTE }),
    )
  })

  test('mirrors the capture pipeline stats as counters, surviving a component restart', async () => {
    const registry = new Registry()
    const stats: CaptureStatsSnapshot = {
      queueDepth: 3,
      observationsWritten: 40,
      dropped: 2,
      tapErrors: 1,
      decodeFailures: 4,
      truncatedBodies: 5,
    }
    const metrics = createMetrics(registry, { processMetrics: false, capture: () => ({ ...stats }) })
    let { samples } = await scrape(registry)
    expect(sampleValue(samples, 'specter_capture_queue_depth')).toBe(3)
    expect(sampleValue(samples, 'specter_capture_observations_written_total')).toBe(40)
    expect(sampleValue(samples, 'specter_capture_dropped_total')).toBe(2)
    expect(sampleValue(samples, 'specter_capture_tap_errors_total')).toBe(1)
    expect(sampleValue(samples, 'specter_capture_decode_failures_total')).toBe(4)
    expect(sampleValue(samples, 'specter_capture_truncated_bodies_total')).toBe(5)
    // A new pipeline starts its totals at zero again; the exported counter keeps going up.
    metrics.capture.setSource(() => ({ ...stats, queueDepth: 0, observationsWritten: 7 }))
    ;({ samples } = await scrape(registry))
    expect(sampleValue(samples, 'specter_capture_queue_depth')).toBe(0)
    expect(sampleValue(samples, 'specter_capture_observations_written_total')).toBe(47)
    expect(sampleValue(samples, 'specter_capture_dropped_total')).toBe(2)
  })

  test('one scrape reads each source once', async () => {
    const registry = new Registry()
    let reads = 0
    createMetrics(registry, {
      processMetrics: false,
      store: async () => {
        reads++
        return { dbSizeBytes: 1, operations: 2, shapes: 3 }
      },
    })
    await registry.metrics()
    expect(reads).toBe(1)
    await registry.metrics()
    expect(reads).toBe(2)
  })

  test('proxy state: requests in flight and hand-off failures by stage', async () => {
    const registry = new Registry()
    const proxy = { inFlight: 4, sinkErrors: 2, hookErrors: 0 }
    createMetrics(registry, { processMetrics: false, proxy: () => proxy })
    let { samples } = await scrape(registry)
    expect(sampleValue(samples, 'specter_proxy_in_flight_requests')).toBe(4)
    expect(sampleValue(samples, 'specter_proxy_handoff_errors_total', { stage: 'sink' })).toBe(2)
    expect(sampleValue(samples, 'specter_proxy_handoff_errors_total', { stage: 'hook' })).toBe(0)
    Object.assign(proxy, { inFlight: 0, hookErrors: 3 })
    ;({ samples } = await scrape(registry))
    expect(sampleValue(samples, 'specter_proxy_in_flight_requests')).toBe(0)
    expect(sampleValue(samples, 'specter_proxy_handoff_errors_total', { stage: 'sink' })).toBe(2)
    expect(sampleValue(samples, 'specter_proxy_handoff_errors_total', { stage: 'hook' })).toBe(3)
  })

  test('a failing source keeps the scrape working', async () => {
    const registry = new Registry()
    createMetrics(registry, {
      processMetrics: false,
      capture: () => {
        throw new Error('stats broke')
      },
      store: async () => Promise.reject(new Error('db locked')),
    })
    const { samples } = await scrape(registry)
    expect(sampleValue(samples, 'specter_capture_queue_depth')).toBe(0)
    expect(sampleValue(samples, 'specter_store_db_size_bytes')).toBe(0)
  })

  test('store gauges come from the store stats; write batches are observed in seconds', async () => {
    const registry = new Registry()
    const metrics = createMetrics(registry, {
      processMetrics: false,
      store: async () => ({ dbSizeBytes: 65536, operations: 12, shapes: 30 }),
    })
    metrics.store.observeWriteBatch(2)
    metrics.store.observeWriteBatch(40)
    const { samples } = await scrape(registry)
    expect(sampleValue(samples, 'specter_store_db_size_bytes')).toBe(65536)
    expect(sampleValue(samples, 'specter_store_operations')).toBe(12)
    expect(sampleValue(samples, 'specter_store_shapes')).toBe(30)
    expect(sampleValue(samples, 'specter_store_write_batch_duration_seconds_count')).toBe(2)
    expect(sampleValue(samples, 'specter_store_write_batch_duration_seconds_sum')).toBeCloseTo(0.042, 9)
  })

  test('drift gauges follow the latest diff, dropping findings that closed', async () => {
    const registry = new Registry()
    let drift: DriftSnapshot = {
      shadowOperations: 3,
      unobservedOperations: 2,
      findingsOpen: [
        { rule: 'shadow-operation', severity: 'medium', count: 3 },
        { rule: 'pii-in-response', severity: 'high', count: 1 },
        { rule: 'Not A Rule\n', severity: 'bogus', count: 1 },
      ],
      lastRunMs: 1_700_000_000_000,
    }
    createMetrics(registry, { processMetrics: false, drift: () => drift })
    let { samples } = await scrape(registry)
    expect(sampleValue(samples, 'specter_drift_shadow_operations')).toBe(3)
    expect(sampleValue(samples, 'specter_drift_unobserved_operations')).toBe(2)
    expect(sampleValue(samples, 'specter_drift_findings_open', { rule: 'shadow-operation', severity: 'medium' })).toBe(
      3,
    )
    expect(sampleValue(samples, 'specter_drift_findings_open', { rule: 'pii-in-response', severity: 'high' })).toBe(1)
    expect(sampleValue(samples, 'specter_drift_findings_open', { rule: 'other', severity: 'unknown' })).toBe(1)
    expect(sampleValue(samples, 'specter_drift_last_run_timestamp_seconds')).toBe(1_700_000_000)
    drift = {
      shadowOperations: 0,
      unobservedOperations: 2,
      findingsOpen: [{ rule: 'pii-in-response', severity: 'high', count: 2 }],
    }
    ;({ samples } = await scrape(registry))
    expect(sampleValue(samples, 'specter_drift_shadow_operations')).toBe(0)
    expect(samples.filter((s) => s.name === 'specter_drift_findings_open')).toEqual([
      { name: 'specter_drift_findings_open', labels: { rule: 'pii-in-response', severity: 'high' }, value: 2 },
    ])
  })

  test('includes the Node process metrics in the same registry, never the global one', async () => {
    const registry = new Registry()
    createMetrics(registry, { version: '9.9.9' })
    const { samples } = await scrape(registry)
    expect(sampleValue(samples, 'specter_build_info', { version: '9.9.9' })).toBe(1)
    expect(samples.some((s) => s.name === 'process_cpu_user_seconds_total')).toBe(true)
    expect(samples.some((s) => s.name === 'nodejs_heap_size_used_bytes')).toBe(true)
    const { register } = await import('prom-client')
    expect(register.getSingleMetric('specter_http_requests_total')).toBeUndefined()
  })
})

describe('exposition', () => {
  test.skipIf(missingTool('promtool', 'prometheus'))('passes promtool check metrics', async () => {
    const registry = new Registry()
    const metrics = createMetrics(registry, {
      capture: () => ({
        queueDepth: 1,
        observationsWritten: 1,
        dropped: 0,
        tapErrors: 0,
        decodeFailures: 0,
        truncatedBodies: 0,
      }),
      store: () => ({ dbSizeBytes: 1, operations: 1, shapes: 1 }),
      drift: () => ({
        shadowOperations: 1,
        unobservedOperations: 0,
        findingsOpen: [{ rule: 'shadow-operation', severity: 'medium', count: 1 }],
      }),
    })
    metrics.onExchangeEnd(exchange('GET', '/users/1', 200), { upstreamMs: 3, addedMs: 0.1 })
    metrics.store.observeWriteBatch(1)
    const text = await registry.metrics()
    const child = run('promtool', ['check', 'metrics'], { encoding: 'utf8' })
    child.child.stdin?.end(text)
    const { stdout, stderr } = await child
    expect(`${stdout}${stderr}`.trim()).toBe('')
  })
})
