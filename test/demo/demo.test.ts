import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, onTestFinished, test } from 'vitest'
import { type DemoRun, runDemo } from '../../src/demo/index.js'
import { tempDbPath } from '../helpers/temp-db.js'

const TOKENS = {
  web: 'lp_test_web_token_9f8e7d6c5b4a39281',
  mobile: 'lp_test_mobile_token_0a1b2c3d4e5f60718',
  backoffice: 'lp_test_backoffice_token_aa55bb66cc77',
  partner: 'lp_test_partner_token_1357924680abcdef',
}

test('the demo finds the admin service, the zombie /v1 route, the drifted personal data and the enumeration', {
  timeout: 120_000,
}, async () => {
  const outDir = join(tempDbPath('unused.db'), '..', 'out')
  const run: DemoRun = await runDemo({
    outDir,
    // Bounded by count: 150 requests from the web, mobile and back-office clients, plus the
    // partner's walk over 100 accounts; the generous time limit only guards a stuck machine.
    durationMs: 90_000,
    maxRequests: 150,
    enumerateAccounts: 100,
    tokens: TOKENS,
  })
  onTestFinished(() => run.close())
  const { summary, findings } = run
  expect(summary.traffic.enumerated).toBe(100)
  const has = (rule: string, method: string, path: string) =>
    findings.some((f) => f.rule === rule && f.method === method && f.path === path)

  // The back office the spec never mentions: one shadow-service finding with its operations.
  const admin = findings.find((f) => f.rule === 'shadow-service' && f.path === '/admin')
  expect(admin?.operations).toEqual(expect.arrayContaining(['GET /admin/users', 'GET /admin/audit-log']))
  expect(summary.shadowOperations).toEqual(expect.arrayContaining(['GET /admin/users', 'GET /admin/audit-log']))
  // Monitoring scrapes /internal without credentials; the spec's global security requires a bearer token.
  const openInternal = findings.filter((f) => f.rule === 'unauthenticated-operation' && f.path.startsWith('/internal/'))
  expect(openInternal.length).toBeGreaterThan(0)
  expect(
    openInternal.every((f) => f.severity === 'high' && f.evidence.documented === 'global security: bearerAuth'),
  ).toBe(true)
  // The deprecated route old app builds still call.
  expect(has('zombie-operation', 'GET', '/v1/customers/{customerId}')).toBe(true)
  expect(summary.zombieOperations).toEqual(['GET /v1/customers/{customerId}'])
  // Personal data the spec does not list: date of birth on customers, the full card number.
  const undocumented = findings.filter((f) => f.rule === 'undocumented-response-property')
  expect(undocumented).toContainEqual(
    expect.objectContaining({
      method: 'GET',
      path: '/v2/customers/{customerId}',
      pointer: expect.stringMatching(/\/dateOfBirth$/),
    }),
  )
  expect(undocumented).toContainEqual(
    expect.objectContaining({ path: '/v2/customers/{customerId}/cards', pointer: expect.stringMatching(/\/pan$/) }),
  )
  // The type that drifted (price in cents became decimal units) and the required field that went missing.
  expect(has('response-type-mismatch', 'GET', '/v2/products/{productId}')).toBe(true)
  expect(has('missing-required-response-property', 'GET', '/v2/accounts/{accountId}')).toBe(true)
  // One partner walked the accounts.
  expect(findings.filter((f) => f.rule === 'object-enumeration').map((f) => `${f.method} ${f.path}`)).toEqual([
    'GET /v2/accounts/{accountId}',
  ])
  expect(summary.topRisks[0]?.score).toBeGreaterThan(50)
  // The most severe findings first: none after it is more severe than the first one.
  const order = ['info', 'low', 'medium', 'high', 'critical']
  const ranks = summary.topFindings.map((f) => order.indexOf(f.severity))
  expect(ranks).toEqual([...ranks].sort((a, b) => b - a))
  expect(ranks[0]).toBe(Math.max(...findings.map((f) => order.indexOf(f.severity))))
  // The documented operation nobody called: the demo's diff thresholds (its few seconds are the
  // whole window) reach the stack's diff through the config, as `specter proxy --config` does.
  expect(has('unobserved-operation', 'GET', '/v2/exchange-rates')).toBe(true)

  // The files say the same.
  const md = readFileSync(run.files.reportMarkdown, 'utf8')
  const html = readFileSync(run.files.reportHtml, 'utf8')
  for (const text of [md, html]) {
    expect(text).toContain('shadow-service')
    expect(text).toContain('zombie-operation')
    expect(text).toContain('dateOfBirth')
    expect(text).toContain('object-enumeration')
  }
  // A fresh store: the run that wrote the reports first reported every finding.
  const json = JSON.parse(readFileSync(run.files.findings, 'utf8'))
  expect(json.summary.new).toBe(findings.length)
  expect(json.findings.every((f: { status: string; id?: number }) => f.status === 'new' && f.id !== undefined)).toBe(
    true,
  )
  expect(md).toContain(`(${findings.length} new, 0 acknowledged)`)
  const inferred = readFileSync(run.files.openapi, 'utf8')
  expect(inferred).toMatch(/^openapi: 3\.1\.0$/m)
  expect(inferred).toContain('/admin/users:')
  expect(inferred).toContain('/v2/customers/{customerId}:')

  // The admin listener serves metrics for the run.
  const metrics = await (await fetch(`${run.adminUrl}/metrics`)).text()
  expect(metrics).toMatch(/^specter_http_requests_total\{[^}]*route="\/admin\/users"[^}]*\} \d+/m)

  // ... and the admin API the inventory and the findings (loopback, no token configured).
  const { operations } = (await (await fetch(`${run.adminUrl}/api/operations`)).json()) as { operations: unknown }
  expect(operations).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ method: 'GET', path: '/admin/users', documented: false }),
      expect.objectContaining({ method: 'GET', path: '/v2/exchange-rates', documented: true, count: 0 }),
    ]),
  )
  const enumerations = await fetch(`${run.adminUrl}/api/findings?rule=object-enumeration`)
  expect(enumerations.status).toBe(200)
  expect(JSON.stringify(await enumerations.json())).toContain('/v2/accounts/{accountId}')

  // The clients' tokens never reach any output: reports, inferred document, database.
  await run.close()
  for (const name of readdirSync(outDir)) {
    const bytes = readFileSync(join(outDir, name))
    for (const token of Object.values(TOKENS)) expect(bytes.includes(token), `${token} in ${name}`).toBe(false)
  }
})
