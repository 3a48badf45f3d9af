// End to end: a real upstream with an undocumented admin prefix, a deprecated v1 route and a
// drifted response field; real HTTP through the proxy into the store; then `specter report`.
import { dirname } from 'node:path'
import { expect, test } from 'vitest'
import { main } from '../../src/cli/main.js'
import { testIo } from '../helpers/cli-io.js'
import { startSpecter } from '../helpers/start-specter.js'
import { tempDbPath } from '../helpers/temp-db.js'
import { startUpstream } from '../helpers/upstream.js'
import { TRAFFIC_SPEC, writeSpec } from './fixture.js'

test('upstream -> proxy -> store -> report: exactly the planted findings', async () => {
  const upstream = await startUpstream((req, res) => {
    res.setHeader('content-type', 'application/json')
    const url = req.url ?? '/'
    if (url.startsWith('/users/')) {
      res.end(JSON.stringify({ id: Number(url.slice(7)), name: 'ada', email: 'ada@example.com' }))
    } else if (url === '/admin/stats' || url === '/admin/flush' || url.startsWith('/v1/') || url.startsWith('/v2/')) {
      res.end('[]')
    } else {
      res.statusCode = 404
      res.end('{"error":"not found"}')
    }
  })
  const db = tempDbPath()
  const app = await startSpecter({ upstream, dbPath: db })
  const calls: Array<[string, string]> = [
    ['GET', '/users/1'],
    ['GET', '/users/2'],
    ['GET', '/admin/stats'],
    ['POST', '/admin/flush'],
    ['GET', '/v1/orders'],
    ['GET', '/v2/orders'],
  ]
  for (const [method, path] of calls) {
    const res = await fetch(`${app.url}${path}`, { method })
    await res.arrayBuffer()
  }
  await app.capture.drain()
  await app.close()

  const spec = writeSpec(TRAFFIC_SPEC)
  const io = testIo({}, dirname(spec))
  const code = await main(
    ['report', '--spec', spec, '--db', db, '--format', 'json', '--fail-on', 'high', '--no-spec-diff'],
    io,
  )
  const report = JSON.parse(io.stdout.text)
  type F = { severity: string; rule: string; method: string; path: string; pointer: string; kind: string }
  const line = (f: F) => [f.severity, f.rule, f.method, f.path, f.pointer].join(' ')
  // Exactly the diff's findings; the security module (tested on its own) must see the email too.
  expect(report.findings.filter((f: F) => f.kind !== 'security').map(line)).toEqual([
    'high shadow-service * /admin ',
    'medium zombie-operation GET /v1/orders ',
    // Undocumented, and personal data: the data concern is sensitive-data-in-response's, cross-referenced.
    'low undocumented-response-property GET /users/{id} /responses/200/content/application~1json/schema/properties/email',
  ])
  expect(report.findings.filter((f: F) => f.kind === 'security').map((f: F) => f.rule)).toContain(
    'sensitive-data-in-response',
  )
  const service = report.findings.find((f: F) => f.rule === 'shadow-service')
  expect(service.operations).toEqual(['GET /admin/stats', 'POST /admin/flush'])
  expect(code).toBe(1)
  expect(io.stdout.text + io.stderr.text).not.toContain('ada@example.com')
})
