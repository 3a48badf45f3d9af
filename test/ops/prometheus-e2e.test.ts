// End to end: known traffic through a running Specter, a real Prometheus scraping its admin
// /metrics every second, then Prometheus' HTTP API must show exactly that traffic.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { diff } from '../../src/diff/index.js'
import { parseExposition } from './exposition.js'
import { type PrometheusServer, startPrometheus } from './prometheus.js'
import { type RunningSpecter, startRunningSpecter } from './running-specter.js'
import { missingTool } from './tools.js'

const run = promisify(execFile)
const repo = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url))

describe.skipIf(missingTool('prometheus', 'prometheus') || missingTool('promtool', 'prometheus'))(
  'Prometheus scraping a running Specter',
  () => {
    let specter: RunningSpecter
    let prometheus: PrometheusServer
    let responseBytes = 0

    const value = async (expr: string): Promise<number | undefined> => {
      const result = await prometheus.query(expr)
      if (result.length > 1) throw new Error(`${expr} returned ${result.length} series`)
      return result[0] === undefined ? undefined : Number(result[0].value[1])
    }

    beforeAll(async () => {
      specter = await startRunningSpecter({ metrics: { maxRoutes: 50 } })
      prometheus = await startPrometheus({
        target: new URL(specter.adminUrl).host,
        ruleFiles: [repo('config/prometheus/alerts.yml')],
      })
      // The known traffic: 20 documented reads, 5 undocumented, 3 misses, 2 documented writes.
      const send = async (method: string, path: string, body?: string) => {
        const res = await fetch(`${specter.proxyUrl}${path}`, {
          method,
          ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
        })
        responseBytes += (await res.arrayBuffer()).byteLength
      }
      for (let i = 1; i <= 20; i++) await send('GET', `/users/${i}`)
      for (let i = 1; i <= 5; i++) await send('GET', `/orders/${i}?expand=items`)
      for (let i = 1; i <= 3; i++) await send('GET', '/missing')
      for (let i = 1; i <= 2; i++) await send('POST', '/users', JSON.stringify({ name: 'x'.repeat(89) }))
      await specter.capture.drain()
      // onExchangeEnd runs when the client response closes, a moment after the client has it all.
      const deadline = Date.now() + 10_000
      for (;;) {
        const samples = parseExposition(await (await fetch(`${specter.adminUrl}/metrics`)).text())
        const total = samples
          .filter((s) => s.name === 'specter_http_requests_total')
          .reduce((sum, s) => sum + s.value, 0)
        if (total === 30) break
        if (Date.now() > deadline) throw new Error(`admin /metrics shows ${total} requests, expected 30`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      // Diff and store figures are cached between runs (metrics.driftIntervalMs): bring them up to
      // date now, so the scrapes below are cheap and show exactly the traffic above.
      specter.ops.refresh()
      // rate() needs two samples in its window: two scrapes after the traffic.
      await prometheus.scrapedSince(Date.now())
      await prometheus.scrapedSince(Date.now())
    }, 60_000)

    afterAll(async () => {
      await prometheus?.close()
      await specter?.close()
    })

    test('Prometheus sees Specter up', async () => {
      expect(await value('up{job="specter"}')).toBe(1)
      expect(await value('specter_build_info{version="0.1.0"}')).toBe(1)
    })

    test('requests by method, route template and status class', async () => {
      expect(await value('sum(specter_http_requests_total)')).toBe(30)
      expect(await value('specter_http_requests_total{method="GET",route="/users/{id}",status_class="2xx"}')).toBe(20)
      expect(await value('sum(specter_http_requests_total{method="POST",route="/users",status_class="2xx"})')).toBe(2)
      expect(await value('sum(specter_http_requests_total{route=~"/orders/.+",status_class="2xx"})')).toBe(5)
      expect(await value('sum(specter_http_requests_total{route="/missing",status_class="4xx"})')).toBe(3)
      // No raw ids or query strings as label values.
      const routes = await prometheus.query('count by (route) (specter_http_requests_total)')
      for (const r of routes) expect(r.metric['route']).not.toMatch(/\/[0-9]+|\?/)
    })

    test('upstream and added latency histograms, in seconds', async () => {
      expect(await value('specter_upstream_latency_seconds_count{route="/users/{id}"}')).toBe(20)
      expect(await value('sum(specter_upstream_latency_seconds_count)')).toBe(30)
      const sum = await value('sum(specter_upstream_latency_seconds_sum)')
      expect(sum).toBeGreaterThan(0)
      expect(sum).toBeLessThan(30) // seconds, not milliseconds: 30 loopback calls take well under 1 s each
      expect(await value('specter_proxy_added_latency_seconds_count')).toBe(30)
      expect(await value('specter_proxy_added_latency_seconds_bucket{le="+Inf"}')).toBe(30)
      expect(await value('specter_proxy_in_flight_requests')).toBe(0)
      expect(await value('sum(specter_proxy_handoff_errors_total)')).toBe(0)
    })

    test('bytes through and upstream errors', async () => {
      expect(await value('specter_http_request_bytes_total')).toBe(2 * JSON.stringify({ name: 'x'.repeat(89) }).length)
      expect(await value('specter_http_response_bytes_total')).toBe(responseBytes)
      expect(await value('sum(specter_upstream_errors_total)')).toBe(0)
      expect((await prometheus.query('specter_upstream_errors_total')).map((s) => s.metric['kind']).sort()).toEqual([
        'connect',
        'reset',
        'timeout',
      ])
    })

    test('capture and store health', async () => {
      expect(await value('specter_capture_observations_written_total')).toBe(30)
      expect(await value('specter_capture_dropped_total')).toBe(0)
      expect(await value('specter_capture_tap_errors_total')).toBe(0)
      expect(await value('specter_capture_queue_depth')).toBe(0)
      expect(await value('specter_store_write_batch_duration_seconds_count')).toBeGreaterThanOrEqual(1)
      const stats = specter.store.stats()
      expect(await value('specter_store_operations')).toBe(stats.endpoints)
      expect(stats.endpoints).toBe(4)
      expect(await value('specter_store_shapes')).toBe(stats.distinctShapes)
      expect(await value('specter_store_db_size_bytes')).toBeGreaterThan(0)
    })

    test('drift gauges match a diff of the same store against the spec', async () => {
      // /orders/{int} is undocumented; /missing only ever answered 404 (a probe, not API surface);
      // GET /health is documented and never called.
      expect(await value('specter_drift_shadow_operations')).toBe(1)
      expect(await value('specter_drift_unobserved_operations')).toBe(1)
      const expected = new Map<string, number>()
      for (const f of diff({ inventory: specter.store.inventory(), spec: specter.spec, now: Date.now() }).findings) {
        expected.set(`${f.rule} ${f.severity}`, (expected.get(`${f.rule} ${f.severity}`) ?? 0) + 1)
      }
      expect(expected.size).toBeGreaterThan(0)
      const series = await prometheus.query('specter_drift_findings_open')
      const seen = new Map(series.map((s) => [`${s.metric['rule']} ${s.metric['severity']}`, Number(s.value[1])]))
      expect(seen).toEqual(expected)
      expect(await value('specter_drift_findings_open{rule="shadow-operation"}')).toBeGreaterThanOrEqual(1)
    })

    test('process metrics come along', async () => {
      expect(await value('process_cpu_user_seconds_total')).toBeGreaterThan(0)
      expect(await value('nodejs_heap_size_used_bytes')).toBeGreaterThan(0)
    })

    test('the alert rules load and evaluate', async () => {
      const groups = await prometheus.rules()
      const rules = groups.find((g) => g.name === 'specter')?.rules ?? []
      const alerts = readFileSync(repo('config/prometheus/alerts.yml'), 'utf8')
      expect(rules.length).toBe([...alerts.matchAll(/^\s+- alert: /gm)].length)
      for (const r of rules) expect(r.health, r.name).not.toBe('err')
    })

    test('every dashboard query runs, and the traffic panels have data', async () => {
      const dashboard = JSON.parse(readFileSync(repo('config/grafana/dashboards/specter.json'), 'utf8')) as {
        panels: Array<{ title: string; targets?: Array<{ expr: string }> }>
      }
      const empty: string[] = []
      let queries = 0
      for (const panel of dashboard.panels) {
        for (const { expr } of panel.targets ?? []) {
          const promql = expr.replaceAll('$__rate_interval', '1m').replaceAll('$route', '.*')
          const result = await prometheus.query(promql)
          queries++
          if (result.length === 0) empty.push(promql)
        }
      }
      expect(queries).toBeGreaterThan(25)
      expect(empty).toEqual([])
      expect((await prometheus.query('sum by (route) (specter_http_requests_total{route=~".*"})')).length).toBe(4)
    })

    test('the live exposition passes promtool check metrics', async () => {
      const text = await (await fetch(`${specter.adminUrl}/metrics`)).text()
      const child = run('promtool', ['check', 'metrics'], { encoding: 'utf8' })
      child.child.stdin?.end(text)
      const { stdout, stderr } = await child
      expect(`${stdout}${stderr}`.trim()).toBe('')
    })
  },
)
