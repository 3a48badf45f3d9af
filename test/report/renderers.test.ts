import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { describe, expect, test } from 'vitest'
import { diff } from '../../src/diff/index.js'
import {
  buildReport,
  findingFileName,
  renderFindingMarkdown,
  renderHtml,
  renderJson,
  renderMarkdown,
  renderSarif,
} from '../../src/report/index.js'
import { loadSpec } from '../../src/spec/index.js'
import { BASE_MS, inventoryOf } from '../diff/traffic.js'
import { CALLS, HOSTILE_KEY, HOSTILE_PATH, PLANTED_VALUE, reportValidator, writeSpec } from './fixture.js'

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => void

async function fixtureReport() {
  const file = writeSpec()
  const spec = await loadSpec(file)
  const inventory = inventoryOf(CALLS, { examples: true })
  const result = diff({ inventory, spec, now: BASE_MS })
  const report = buildReport({ spec, result, generatedMs: BASE_MS + 1000, toolVersion: '0.1.0', failOn: 'high' })
  return { file, spec, report }
}

function sarifValidator() {
  const schema = JSON.parse(
    readFileSync(join(import.meta.dirname, '../fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8'),
  )
  // Draft-04 names the schema's own URI `id`; ajv's draft-07 engine reads `$id` (top level only:
  // "id" is also a property name inside the schema).
  schema.$id = schema.id
  delete schema.id
  delete schema.$schema
  const ajv = new Ajv({ strict: false, allErrors: true })
  addFormats(ajv)
  return ajv.compile(schema)
}

describe('report document', () => {
  test('summarises the findings and is valid against the published report schema', async () => {
    const { report } = await fixtureReport()
    expect(report.findings.map((f) => f.rule).sort()).toEqual([
      'shadow-operation',
      'shadow-service',
      'undocumented-response-property',
      'undocumented-response-property',
      'zombie-operation',
    ])
    expect(report.summary).toMatchObject({ total: 5, failOn: 'high', failing: 1, new: 5 })
    expect(report.summary.bySeverity).toEqual({ info: 0, low: 0, medium: 4, high: 1, critical: 0 })
    expect(report.topRisks[0]?.severity).toBe('high')
    // The security module's risk ranking leads; the operations of the undocumented admin service score highest.
    expect(report.riskRanking.map((r) => `${r.score} ${r.method} ${r.path}`)).toEqual([
      `40 GET ${HOSTILE_PATH}`,
      '40 POST /admin/users',
      '25 GET /reports/[x](javascript:alert(3))',
    ])
    expect(report.riskRanking[0]?.factors.map((f) => f.factor)).toEqual(
      expect.arrayContaining(['undocumented', 'admin-path']),
    )
    const validate = reportValidator()
    const json = JSON.parse(renderJson(report))
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true)
    // The schema is strict enough to catch a wrong document.
    expect(validate({ ...json, findings: [{ ...json.findings[0], severity: 'urgent' }] })).toBe(false)
  })
})

describe('spec locations', () => {
  // The documented schema is a component far below the path item: every format must name its line.
  const REF_SPEC = `openapi: 3.0.3
info: { title: Customers, version: '1' }
paths:
  /customers/{id}:
    get:
      responses:
        '200':
          description: a customer
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Customer' }
components:
  schemas:
    Customer:
      type: object
      properties:
        id: { type: integer }
`

  test("every format shows the line of the finding's spec pointer, SARIF also the path item", async () => {
    const file = writeSpec(REF_SPEC)
    const spec = await loadSpec(file)
    const inventory = inventoryOf([{ url: '/customers/1', responseBody: { id: 1, dateOfBirth: '1990-01-01' } }])
    const report = buildReport({
      spec,
      result: diff({ inventory, spec, now: BASE_MS }),
      generatedMs: BASE_MS,
      toolVersion: '0',
    })
    const [f] = report.findings
    expect(f).toMatchObject({
      rule: 'undocumented-response-property',
      specPointer: '/components/schemas/Customer/properties',
      specLine: 4,
      specPointerLine: 16,
    })
    const validate = reportValidator()
    expect(validate(JSON.parse(renderJson(report))), JSON.stringify(validate.errors)).toBe(true)
    const expected = '/components/schemas/Customer/properties (line 16)'
    expect(renderMarkdown(report)).toContain(
      '- **Spec:** <code>/components/schemas/Customer/properties</code> (line 16)',
    )
    expect(renderHtml(report)).toContain(`<dt>Spec</dt><dd><code>${expected}</code></dd>`)
    expect(renderHtml(report)).not.toContain('(line 4)')
    const result = JSON.parse(renderSarif(report, spec, { cwd: dirname(file) })).runs[0].results[0]
    expect(result.locations[0].physicalLocation.region.startLine).toBe(4)
    expect(result.relatedLocations[0].physicalLocation.region.startLine).toBe(16)
  })
})

describe('incomplete observations', () => {
  test('every format says that the store folded observations, the same way', async () => {
    const { report, spec, file } = await fixtureReport()
    const complete = JSON.parse(renderSarif(report, spec, { cwd: dirname(file) }))
    expect(complete.runs[0].invocations).toBeUndefined()
    expect(renderMarkdown(report)).not.toContain('Incomplete')

    report.observation.overflow = { endpoints: 3, contentTypes: 0 }
    const said = 'the store folded observations into overflow buckets at its caps (endpoints: 3)'
    expect(renderHtml(report)).toContain(`<strong>Incomplete:</strong> ${said}`)
    expect(renderMarkdown(report)).toContain(
      '**Incomplete:** the store folded observations into overflow buckets at its caps \\(endpoints: 3\\)',
    )
    const sarif = JSON.parse(renderSarif(report, spec, { cwd: dirname(file) }))
    expect(sarifValidator()(sarif)).toBe(true)
    expect(sarif.runs[0].invocations[0].toolExecutionNotifications).toEqual([
      { level: 'warning', message: { text: expect.stringContaining(`Incomplete: ${said}`) } },
    ])
  })
})

describe('HTML', () => {
  test('is self-contained and escapes every observed string', async () => {
    const { report } = await fixtureReport()
    const html = renderHtml(report)
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\//)
    // Exactly one script element: ours. The hostile path and key appear escaped only.
    expect(html.match(/<script>/g)).toHaveLength(1)
    expect(html).not.toContain('<script>alert(1)')
    expect(html).not.toContain(HOSTILE_KEY)
    expect(html).not.toContain(PLANTED_VALUE)
    expect(html).not.toContain('<b>API</b>')
    expect(html).toContain('/admin/&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;')
    expect(html).toContain('Content-Security-Policy')
    // The inline script at least parses (behaviour in a browser is checked in headless Chromium).
    const script = /<script>([\s\S]*)<\/script>/.exec(html)?.[1] ?? ''
    expect(script.length).toBeGreaterThan(100)
    expect(() => new Function(script)).not.toThrow()
    // Summary comes before the findings.
    expect(html.indexOf('id="summary"')).toBeLessThan(html.indexOf('id="top-risks"'))
    expect(html.indexOf('id="top-risks"')).toBeLessThan(html.indexOf('id="risk-ranking"'))
    expect(html.indexOf('id="top-risks"')).toBeLessThan(html.indexOf('id="all-findings"'))
    // Findings by operation say each one's rule and status, as the Markdown's do.
    const byOperation = html.slice(html.indexOf('id="by-operation"'))
    expect(byOperation).toContain('<span class="muted">(shadow-service, new)</span>')
    const stored = {
      ...report,
      findings: report.findings.map((f, i) => ({ ...f, id: i + 1, status: 'open' as const })),
    }
    expect(renderHtml(stored).slice(html.indexOf('id="by-operation"'))).toContain('(shadow-service, open, id ')
    expect(renderMarkdown(stored)).toContain('Rule `shadow-service`, open, id ')
  })
})

describe('Markdown', () => {
  test('escapes HTML and Markdown syntax from traffic; one ticket body per finding', async () => {
    const { report } = await fixtureReport()
    const md = renderMarkdown(report)
    expect(md).toMatch(/^# Specter report: Shop &lt;b\\>API&lt;\/b\\>/)
    expect(md).not.toContain(HOSTILE_KEY)
    expect(md).not.toContain('<script>')
    expect(md).not.toContain('[x](javascript:')
    expect(md).toContain('\\[x\\]\\(javascript:alert\\(3\\)\\)')
    const names = report.findings.map((f, i) => findingFileName(f, i))
    expect(new Set(names).size).toBe(names.length)
    for (const n of names) expect(n).toMatch(/^[0-9]{4}-[a-z-]+-[a-z0-9-]+\.md$/)
    const ticket = renderFindingMarkdown(report.findings[0] as (typeof report.findings)[number], report)
    expect(ticket).toMatch(/^# \[high\] /)
    expect(ticket).toContain('## Evidence')
  })
})

describe('SARIF', () => {
  test('is valid SARIF 2.1.0 located at the path item lines of the published spec', async () => {
    const { report, spec, file } = await fixtureReport()
    const sarif = JSON.parse(renderSarif(report, spec, { cwd: dirname(file) }))
    const validate = sarifValidator()
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true)
    const run = sarif.runs[0]
    expect(run.artifacts[0].location).toEqual({ uri: 'openapi.yaml', uriBaseId: '%SRCROOT%' })
    const byRule = (id: string) => run.results.filter((r: { ruleId: string }) => r.ruleId === id)
    // /users/{id} is on line 6 of the spec, /v1/orders on line 18, `paths:` on line 5.
    expect(byRule('undocumented-response-property')[0].locations[0].physicalLocation.region.startLine).toBe(6)
    expect(byRule('zombie-operation')[0].locations[0].physicalLocation.region.startLine).toBe(18)
    expect(byRule('shadow-service')[0].locations[0].physicalLocation.region.startLine).toBe(5)
    expect(byRule('shadow-service')[0].level).toBe('error')
    expect(byRule('undocumented-response-property')[0].level).toBe('warning')
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId)
    // Code scanning grades alerts by their rule's security-severity: never below a finding's own
    // severity (the undocumented property was raised from low to medium by additionalProperties: false).
    const grade = { info: 0, low: 3, medium: 5.5, high: 8, critical: 9.5 } as Record<string, number>
    for (const r of run.results) {
      expect(Number(run.tool.driver.rules[r.ruleIndex].properties['security-severity'])).toBeGreaterThanOrEqual(
        grade[r.properties.severity] as number,
      )
    }
    const property = run.tool.driver.rules.find((r: { id: string }) => r.id === 'undocumented-response-property')
    expect(property.properties['security-severity']).toBe('5.5')
    expect(property.defaultConfiguration.level).toBe('note')
    expect(JSON.stringify(sarif)).not.toContain(PLANTED_VALUE)
    // A wrong log fails the schema: the check can fail.
    expect(validate({ ...sarif, version: '2.0.0' })).toBe(false)
  })

  test('names a spec outside the working directory by file URL', async () => {
    const { report, spec } = await fixtureReport()
    const sarif = JSON.parse(renderSarif(report, spec, { cwd: '/nonexistent-root' }))
    expect(sarif.runs[0].artifacts[0].location.uri).toMatch(/^file:\/\/\/.*openapi\.yaml$/)
    expect(HOSTILE_PATH).toContain('<script>')
  })
})
