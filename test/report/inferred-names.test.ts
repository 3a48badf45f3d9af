// Undocumented operations read by their inferred names in every format, with the observed path
// keys beside them, and keep their SARIF fingerprint from before names were inferred.
import { createHash } from 'node:crypto'
import { expect, test } from 'vitest'
import { diff } from '../../src/diff/index.js'
import { buildReport, renderHtml, renderJson, renderMarkdown, renderSarif } from '../../src/report/index.js'
import { loadSpec } from '../../src/spec/index.js'
import { BASE_MS, inventoryOf } from '../diff/traffic.js'
import { reportValidator, writeSpec } from './fixture.js'

const SPEC = `openapi: 3.0.3
info: { title: Shop, version: '1' }
paths:
  /orders: { get: { responses: { '200': { description: x } } } }
`

test('a shadow operation is named by its inferred template in HTML, Markdown, JSON and SARIF', async () => {
  const file = writeSpec(SPEC)
  const spec = await loadSpec(file)
  const inventory = inventoryOf([{ url: '/orders' }, { url: '/exports/7/download', times: 2 }])
  const result = diff({ inventory, spec, now: BASE_MS })
  const report = buildReport({ spec, result, generatedMs: BASE_MS, toolVersion: '0.0.0' })
  const title = 'GET /exports/{exportId}/download is not documented'
  expect(report.findings.map((f) => f.title)).toEqual([title])

  const json = JSON.parse(renderJson(report))
  const validate = reportValidator()
  expect(validate(json), JSON.stringify(validate.errors)).toBe(true)
  expect(json.findings[0]).toMatchObject({
    path: '/exports/{exportId}/download',
    pathKeys: ['/exports/{int}/download'],
  })
  const html = renderHtml(report)
  expect(html).toContain('<code>GET /exports/{exportId}/download</code>')
  expect(html).toContain('<dt>Observed paths</dt><dd><code>/exports/{int}/download</code></dd>')
  expect(html).not.toContain('GET /exports/{int}/download is not documented')
  const md = renderMarkdown(report)
  expect(md).toContain('GET /exports/\\{exportId\\}/download is not documented')
  expect(md).toContain('- **Observed paths:** <code>/exports/\\{int\\}/download</code>')

  const sarif = JSON.parse(renderSarif(report, spec, { cwd: '/' }))
  const r = sarif.runs[0].results[0]
  expect(r.message.text).toMatch(/^GET \/exports\/\{exportId\}\/download is not documented \(2 requests\)\. /)
  expect(r.locations[0].logicalLocations[0].fullyQualifiedName).toBe('GET /exports/{exportId}/download')
  // The alert code scanning already tracks (fingerprinted by the path key) stays the same alert.
  const before = createHash('sha256').update('shadow-operation GET /exports/{int}/download ').digest('hex').slice(0, 32)
  expect(r.partialFingerprints['specterFinding/v1']).toBe(before)
})
