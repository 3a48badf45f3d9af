// Cardinality attacks: every request brings a new random path, query parameter name, header name
// and JSON key (request and response). The store's rows, the inferred document and the metrics
// exposition stay bounded, and what went past a cap is counted and reported.
import { randomBytes } from 'node:crypto'
import { Agent, request } from 'node:http'
import { expect, test } from 'vitest'
import { buildOpenApi } from '../../src/infer/index.js'
import type { Shape } from '../../src/infer/index.js'
import { readBody } from '../helpers/http-client.js'
import { startSpecter } from '../helpers/start-specter.js'
import { tempDbPath } from '../helpers/temp-db.js'
import { startUpstream } from '../helpers/upstream.js'
import { metricValue, scrape, seriesCount } from './fault-kit.js'

const REQUESTS = 20_000
const CONCURRENCY = 16
// On the shared 2-core machine the loop may stop at the time budget; 600 is already 3x every cap.
const TIME_BUDGET_MS = 30_000

// Lower-case letters only: word-like names, not ids, so each one is a candidate property name.
const word = (): string => {
  const bytes = randomBytes(10)
  let out = ''
  for (const b of bytes) out += String.fromCharCode(97 + (b % 26))
  return out
}

function post(agent: Agent, base: string): Promise<number> {
  const { hostname, port } = new URL(base)
  const body = JSON.stringify({ [word()]: 1, fixed: 'x' })
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: hostname,
        port,
        method: 'POST',
        path: `/${word()}/${word()}?${word()}=1`,
        headers: { 'content-type': 'application/json', [`x-${word()}`]: '1' },
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

const specterSeries = (exposition: string): number =>
  seriesCount(
    exposition
      .split('\n')
      .filter((l) => l.startsWith('specter_'))
      .join('\n'),
  )

const propCount = (shape: Shape | undefined): number => Object.keys(shape?.obj?.props ?? {}).length

test('random paths, query names, header names and JSON keys stay bounded, overflow counted', {
  timeout: 120_000,
}, async () => {
  const upstream = await startUpstream(async (req, res) => {
    await readBody(req)
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ [word()]: true, id: 1 }))
  })
  const app = await startSpecter({ upstream, dbPath: tempDbPath() })
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY })
  const started = performance.now()
  let sent = 0
  const statuses = new Map<number, number>()
  // Two phases of the same flood: the exposition is scraped between them and must not grow.
  const flood = (until: number, budgetMs: number) =>
    Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (sent < until && performance.now() - started < budgetMs) {
          sent++
          const status = await post(agent, app.url)
          statuses.set(status, (statuses.get(status) ?? 0) + 1)
        }
      }),
    )
  await flood(REQUESTS / 2, TIME_BUDGET_MS / 2)
  const midSeries = specterSeries(await scrape(app.adminUrl))
  await flood(REQUESTS, TIME_BUDGET_MS)
  agent.destroy()
  await app.capture.drain()
  const elapsedS = (performance.now() - started) / 1000
  console.info(`cardinality: ${sent} requests in ${elapsedS.toFixed(1)} s`)
  expect(sent).toBeGreaterThanOrEqual(600)
  expect([...statuses.keys()]).toEqual([200])

  const stats = app.store.stats()
  const rows = Object.values(stats.rows).reduce((a, b) => a + b, 0)
  console.info('store after the flood:', { rows, fileBytes: stats.fileBytes, overflow: stats.overflow })
  expect(stats.observations).toBe(sent)
  // Two random segments: at most maxLiteralSiblings literal first segments (one child each), and
  // under the folded '{str}' first segment again at most maxLiteralSiblings literals plus the fold.
  expect(stats.endpoints).toBeLessThanOrEqual(2 * app.config.store.maxLiteralSiblings + 2)
  expect(rows).toBeLessThan(2_000)
  expect(stats.fileBytes).toBeLessThan(16 * 1024 * 1024)
  expect(stats.overflow.pathSegments ?? 0).toBeGreaterThan(0)

  const inventory = app.store.inventory()
  const exchanges = inventory.endpoints.flatMap((e) => e.exchanges)
  for (const x of exchanges) {
    expect(propCount(x.query)).toBeLessThanOrEqual(200)
    expect(propCount(x.requestHeaders)).toBeLessThanOrEqual(200)
    expect(propCount(x.requestBody)).toBeLessThanOrEqual(200)
    expect(propCount(x.responseBody)).toBeLessThanOrEqual(200)
  }
  // The folded endpoint saw thousands of names per dimension: the rest is counted, not kept.
  const folded = exchanges.reduce((a, b) => (b.count > a.count ? b : a))
  expect(folded.query.obj?.restKeys ?? 0).toBeGreaterThan(0)
  expect(folded.requestHeaders.obj?.restKeys ?? 0).toBeGreaterThan(0)
  expect(folded.requestBody?.obj?.restKeys ?? 0).toBeGreaterThan(0)

  const doc = JSON.stringify(buildOpenApi(inventory, { title: 'flood', version: '1' }))
  console.info(`inferred document: ${doc.length} bytes`)
  expect(doc.length).toBeLessThan(1024 * 1024)

  const exposition = await scrape(app.adminUrl)
  const series = specterSeries(exposition)
  console.info(`metrics exposition: ${series} series (${midSeries} half way), ${exposition.length} bytes`)
  // Bounded by metrics.maxRoutes (each route has its latency buckets), not by what clients send
  // (Node's own runtime series, GC kinds and handle types, come and go on their own).
  expect(series).toBe(midSeries)
  const routes = new Set([...exposition.matchAll(/route="([^"]*)"/g)].map((m) => m[1]))
  expect(routes.size).toBeLessThanOrEqual(app.config.metrics.maxRoutes + 1)
  expect(metricValue(exposition, 'specter_metrics_route_overflow_total')).toBeGreaterThan(0)
  expect(metricValue(exposition, 'specter_http_requests_total')).toBe(sent)
})
