import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, onTestFinished, test } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { familiesOf } from './exposition.js'
import { populatedMetrics } from './metric-fixture.js'
import { missingTool } from './tools.js'

const run = promisify(execFile)
const repo = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url))
const noPromtool = missingTool('promtool', 'prometheus')

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'specter-ops-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

interface Panel {
  type: string
  id: number
  title: string
  gridPos: { x: number; y: number; w: number; h: number }
  datasource?: { uid: string }
  targets?: Array<{ expr: string; refId: string }>
}

const dashboard = JSON.parse(readFileSync(repo('config/grafana/dashboards/specter.json'), 'utf8')) as {
  uid: string
  panels: Panel[]
  templating: { list: Array<{ name: string; definition?: string }> }
}

/** PromQL of every panel, with Grafana's variables replaced by what Grafana would send. */
function dashboardQueries(): Array<{ title: string; expr: string }> {
  const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ title: p.title, expr: t.expr })))
  for (const v of dashboard.templating.list) {
    if (v.definition !== undefined) queries.push({ title: `variable ${v.name}`, expr: v.definition })
  }
  return queries
}

const toPromQl = (expr: string) => expr.replaceAll('$__rate_interval', '1m').replaceAll('$route', '.*')

const METRIC = /\b((?:specter|process|nodejs)_[a-z0-9_]+)\b/g

describe('Grafana dashboard', () => {
  test('every metric it queries exists in the exposition', async () => {
    const text = await populatedMetrics().registry.metrics()
    const families = familiesOf(text)
    const queried = new Set<string>()
    for (const { expr } of dashboardQueries()) for (const m of expr.matchAll(METRIC)) queried.add(m[1] as string)
    expect(queried.size).toBeGreaterThan(20)
    const missing = [...queried].filter(
      (name) => !families.has(name) && !families.has(name.replace(/_(bucket|sum|count)$/, '')),
    )
    expect(missing).toEqual([])
  })

  test('covers traffic, latency, overhead, capture health and drift', () => {
    const all = dashboardQueries()
      .map((q) => q.expr)
      .join('\n')
    for (const name of [
      'specter_http_requests_total',
      'specter_upstream_latency_seconds_bucket',
      'specter_proxy_added_latency_seconds_bucket',
      'specter_capture_dropped_total',
      'specter_capture_queue_depth',
      'specter_drift_shadow_operations',
      'specter_drift_findings_open',
    ]) {
      expect(all).toContain(name)
    }
  })

  test('panels are well-formed: unique ids, on the 24-column grid, on the templated datasource', () => {
    const ids = dashboard.panels.map((p) => p.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const p of dashboard.panels) {
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24)
      if (p.type === 'row') continue
      expect(p.datasource?.uid, p.title).toBe('${datasource}')
      expect(p.targets?.length, p.title).toBeGreaterThan(0)
    }
  })

  test('provisioning points Grafana at the compose Prometheus and the dashboards folder', () => {
    const ds = parseYaml(readFileSync(repo('config/grafana/provisioning/datasources/prometheus.yml'), 'utf8'))
    expect(ds.datasources[0]).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090' })
    const provider = parseYaml(readFileSync(repo('config/grafana/provisioning/dashboards/specter.yml'), 'utf8'))
    expect(provider.providers[0].options.path).toBe('/var/lib/grafana/dashboards')
  })

  test.skipIf(noPromtool)('every panel query is valid PromQL (promtool)', async () => {
    const dir = tempDir()
    const rules = dashboardQueries()
      .filter((q) => !q.expr.startsWith('label_values('))
      .map((q, i) => ({ record: `specter:dashboard_query_${i}`, expr: toPromQl(q.expr) }))
    const file = join(dir, 'dashboard-queries.yml')
    writeFileSync(file, JSON.stringify({ groups: [{ name: 'dashboard', rules }] }))
    const { stdout } = await run('promtool', ['check', 'rules', file])
    expect(stdout).toContain(`SUCCESS: ${rules.length} rules found`)
  })
})

describe.skipIf(noPromtool)('Prometheus config and alert rules', () => {
  test('alerts.yml passes promtool check rules', async () => {
    const { stdout } = await run('promtool', ['check', 'rules', repo('config/prometheus/alerts.yml')])
    expect(stdout).toMatch(/SUCCESS: \d+ rules found/)
  })

  test('alerts.yml passes its promtool unit tests (alerts.test.yml)', async () => {
    const { stdout } = await run('promtool', ['test', 'rules', repo('config/prometheus/alerts.test.yml')])
    expect(stdout).toContain('SUCCESS')
  })

  test('every metric the alerts use exists in the exposition', async () => {
    const families = familiesOf(await populatedMetrics().registry.metrics())
    const alerts = readFileSync(repo('config/prometheus/alerts.yml'), 'utf8')
    const used = new Set([...alerts.matchAll(METRIC)].map((m) => m[1] as string))
    expect(used.size).toBeGreaterThan(5)
    expect([...used].filter((n) => !families.has(n) && !families.has(n.replace(/_(bucket|sum|count)$/, '')))).toEqual(
      [],
    )
  })

  test('prometheus.yml passes promtool check config', async () => {
    const dir = tempDir()
    const config = readFileSync(repo('config/prometheus/prometheus.yml'), 'utf8').replace(
      '/etc/prometheus/alerts.yml',
      repo('config/prometheus/alerts.yml'),
    )
    const file = join(dir, 'prometheus.yml')
    writeFileSync(file, config)
    const { stdout } = await run('promtool', ['check', 'config', file])
    expect(stdout).toContain('is valid prometheus config file syntax')
    expect(parseYaml(config).scrape_configs[0].static_configs[0].targets).toEqual(['specter:9091'])
  })
})
