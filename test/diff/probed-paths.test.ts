// Paths that only ever answered 404 are no API surface: real HTTP through the proxy into the store,
// then the diff, the inferred document, the risk ranking and `specter report --fail-on high`.
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { expect, test } from 'vitest'
import { main } from '../../src/cli/main.js'
import { diff } from '../../src/diff/index.js'
import { buildOpenApi } from '../../src/infer/index.js'
import { rankRisks } from '../../src/security/index.js'
import { loadSpec } from '../../src/spec/index.js'
import { testIo } from '../helpers/cli-io.js'
import { reportValidator } from '../report/fixture.js'
import { startSpecter } from '../helpers/start-specter.js'
import { tempDbPath } from '../helpers/temp-db.js'
import { startUpstream } from '../helpers/upstream.js'

const SPEC = `openapi: 3.0.3
info: { title: Users, version: '1' }
paths:
  /users/{id}:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { type: object, properties: { id: { type: integer } } }
`

// What a scanner asks for: none of it exists upstream.
const PROBES = [
  '/admin/login',
  '/actuator/health',
  '/debug/pprof',
  '/.env',
  '/wp-admin/setup-config.php',
  '/server-status',
  '/.git/config',
  '/phpmyadmin/index.php',
  '/api/swagger.json',
  '/console',
  '/config.json',
  '/backup.zip',
]

test('a scanner walking paths that all answer 404 gives one info summary, no shadow finding', {
  timeout: 30_000,
}, async () => {
  const upstream = await startUpstream((req, res) => {
    res.setHeader('content-type', 'application/json')
    const url = req.url ?? '/'
    if (/^\/users\/[0-9]+$/.test(url)) res.end(JSON.stringify({ id: Number(url.slice(7)) }))
    else if (url === '/internal/flags') {
      // Exists, behind credentials: a 401 proves the path is there.
      res.statusCode = 401
      res.end('{"error":"unauthorized"}')
    } else {
      res.statusCode = 404
      res.end('{"error":"not found"}')
    }
  })
  const db = tempDbPath()
  const app = await startSpecter({ upstream, dbPath: db })
  for (const path of ['/users/1', '/users/2', '/internal/flags', ...PROBES, '/debug/pprof']) {
    const res = await fetch(`${app.url}${path}`)
    await res.arrayBuffer()
  }
  await app.capture.drain()
  const inventory = app.store.inventory()
  await app.close()

  const specFile = join(dirname(db), 'openapi.yaml')
  writeFileSync(specFile, SPEC)
  const spec = await loadSpec(specFile)
  const result = diff({ inventory, spec, now: Date.now() })
  const lines = result.findings.map((f) => `${f.severity} ${f.rule} ${f.method} ${f.path}`)
  expect(lines).toEqual(['high shadow-service * /internal', 'info probed-paths * /'])
  const probed = result.findings.find((f) => f.rule === 'probed-paths')
  expect(probed?.evidence.count).toBe(PROBES.length + 1)
  expect(probed?.evidence.details?.['paths']).toBe(PROBES.length)
  // A bounded sample, most requested first.
  const sample = String(probed?.evidence.details?.['sample']).split(', ')
  expect(sample).toHaveLength(10)
  expect(sample[0]).toBe('GET /debug/pprof')
  expect(probed?.title).toMatch(/^12 undocumented paths only ever answered 404 .*, and 9 more$/)
  // Not operations: not matched, not ranked, not in the inferred document.
  expect(result.stats.notFoundEndpoints).toBe(PROBES.length)
  expect(result.stats.observedEndpoints).toBe(2)
  expect(result.matches.map((m) => m.endpoint.pathKey).sort()).toEqual(['/internal/flags', '/users/{int}'])
  expect(rankRisks(result).map((r) => r.path)).toEqual(['/internal/flags'])
  expect(Object.keys(buildOpenApi(inventory)['paths'] as object).sort()).toEqual(['/internal/flags', '/users/{userId}'])

  // The CI gate: nothing the scanner did fails --fail-on high except what exists (/internal).
  const io = testIo({}, dirname(specFile))
  const args = ['report', '--spec', specFile, '--db', db, '--format', 'json', '--no-spec-diff', '--no-save']
  expect(await main([...args, '--fail-on', 'critical'], io)).toBe(0)
  const report = JSON.parse(io.stdout.text) as { findings: Array<{ rule: string; severity: string }> }
  const valid = reportValidator()
  expect(valid(report), JSON.stringify(valid.errors)).toBe(true)
  expect(report.findings.filter((f) => f.severity === 'high').map((f) => f.rule)).toEqual(['shadow-service'])
})
