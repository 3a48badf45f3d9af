// Evidence counts say what they count, the same way in every format: a field tagged in every item
// of an array is many values in few requests, never "250 requests".
import { expect, test } from 'vitest'
import { diff } from '../../src/diff/index.js'
import {
  buildReport,
  countText,
  renderFindingMarkdown,
  renderHtml,
  renderJson,
  renderMarkdown,
  renderSarif,
} from '../../src/report/index.js'
import { loadSpec } from '../../src/spec/index.js'
import { BASE_MS, inventoryOf } from '../security/traffic.js'
import { reportValidator, writeSpec } from './fixture.js'

const SPEC = `openapi: 3.0.3
info: { title: Audit, version: '1' }
paths:
  /audit:
    get:
      responses:
        '200': { description: the audit log }
`

const entries = Array.from({ length: 50 }, (_, i) => ({ at: i, ip: `10.0.${i}.7` }))

test.each([
  [{ count: 12, unit: 'requests' as const }, '12 requests'],
  [{ count: 1, unit: 'requests' as const }, '1 request'],
  [{ count: 250, unit: 'values' as const, requests: 5 }, '250 values in 5 requests'],
  [{ count: 250, unit: 'values' as const }, '250 values'],
  [{ count: 120, unit: 'objects' as const }, '120 distinct objects'],
  [{ count: 4 }, '4 requests'],
])('countText(%o) = %s', (e, text) => {
  expect(countText({ ...e, firstSeenMs: 0, lastSeenMs: 0 })).toBe(text)
})

test('values tagged and requests observed are told apart in HTML, Markdown, JSON and SARIF', async () => {
  const file = writeSpec(SPEC)
  const spec = await loadSpec(file)
  const inventory = inventoryOf([{ url: '/audit', responseBody: { entries }, times: 5 }])
  const result = diff({ inventory, spec, now: BASE_MS })
  const report = buildReport({ spec, result, generatedMs: BASE_MS, toolVersion: '0.0.0' })
  const f = report.findings.find((x) => x.rule === 'sensitive-data-in-response')
  expect(f?.title).toBe('response 200 returns ip-address in entries[].ip')
  expect(f?.evidence).toMatchObject({ count: 250, unit: 'values', requests: 5 })
  expect(countText(f?.evidence ?? { count: 0, firstSeenMs: 0, lastSeenMs: 0 })).toBe('250 values in 5 requests')

  const json = JSON.parse(renderJson(report))
  const validate = reportValidator()
  expect(validate(json), JSON.stringify(validate.errors)).toBe(true)
  expect(json.findings.find((x: { rule: string }) => x.rule === f?.rule).evidence).toMatchObject({
    count: 250,
    unit: 'values',
    requests: 5,
  })
  const html = renderHtml(report)
  expect(html).toContain('entries[].ip <span class="muted">(250 values in 5 requests)</span>')
  expect(html).toContain('<dt>Requests</dt><dd><code>5</code></dd><dt>Values</dt><dd><code>250</code></dd>')
  expect(html).not.toContain('250 requests')
  const md = renderMarkdown(report)
  expect(md).toContain('(250 values in 5 requests)')
  expect(md).toContain('- **Requests:** 5\n- **Values:** 250\n')
  expect(md).not.toContain('250 requests')
  expect(renderFindingMarkdown(f as NonNullable<typeof f>, report)).toContain('- **Values:** 250')
  const sarif = JSON.parse(renderSarif(report, spec, { cwd: '/' }))
  const result0 = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'sensitive-data-in-response')
  expect(result0.properties).toMatchObject({ count: 250, countUnit: 'values', requests: 5 })
  expect(result0.message.text).toContain('(250 values in 5 requests)')
  // Operation-level findings count requests, and say so: the open audit log answered 5 requests.
  const open = report.findings.find((x) => x.rule === 'unauthenticated-operation')
  expect(open?.evidence).toMatchObject({ count: 5, unit: 'requests' })
  expect(open?.evidence.requests).toBeUndefined()
  expect(html).toContain('(5 requests)')
})
