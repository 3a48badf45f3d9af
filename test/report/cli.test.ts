// The diff, report and findings commands end to end: a real store file recorded through observe(),
// a spec file on disk, the CLI entry point with captured output, real exit codes.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { expect, test } from 'vitest'
import { observe } from '../../src/capture/index.js'
import { main } from '../../src/cli/main.js'
import { openStore } from '../../src/store/index.js'
import { exchangeOf } from '../diff/traffic.js'
import { testIo } from '../helpers/cli-io.js'
import { tempDbPath } from '../helpers/temp-db.js'
import { CALLS, HOSTILE_KEY, writeSpec } from './fixture.js'

async function run(argv: string[], cwd: string) {
  const io = testIo({}, cwd)
  const code = await main(argv, io)
  return { code, stdout: io.stdout.text, stderr: io.stderr.text }
}

function recordedStore(): string {
  const db = tempDbPath()
  const store = openStore({ path: db })
  try {
    store.record(
      CALLS.flatMap((c) =>
        Array.from({ length: c.times ?? 1 }, () => observe(exchangeOf(c), { wantExample: () => true })),
      ),
    )
  } finally {
    store.close()
  }
  return db
}

test('report --fail-on gates on unacknowledged findings; ack lifts the gate; findings persist across runs', async () => {
  const db = recordedStore()
  const spec = writeSpec()
  const cwd = dirname(spec)

  const first = await run(['report', '--spec', spec, '--db', db, '--format', 'json', '--fail-on', 'high'], cwd)
  expect(first.stderr).toContain('1 at or above high')
  expect(first.code).toBe(1)
  const report = JSON.parse(first.stdout)
  expect(report.summary.new).toBe(5)
  expect(report.findings.every((f: { id?: number }) => typeof f.id === 'number')).toBe(true)

  expect(
    (await run(['report', '--spec', spec, '--db', db, '--format', 'json', '--fail-on', 'critical'], cwd)).code,
  ).toBe(0)

  // Acknowledge the high finding: the gate opens, and they are listed as acknowledged, not new.
  const highs = report.findings.filter((f: { severity: string }) => f.severity === 'high')
  for (const f of highs) {
    const ack = await run(['findings', 'ack', String(f.id), '--reason', 'accepted: internal tool', '--db', db], cwd)
    expect(ack.code).toBe(0)
    expect(ack.stdout).toContain(`acknowledged finding ${f.id}`)
  }
  const again = await run(['report', '--spec', spec, '--db', db, '--format', 'json', '--fail-on', 'high'], cwd)
  expect(again.code).toBe(0)
  const second = JSON.parse(again.stdout)
  expect(highs).toHaveLength(1)
  expect(second.summary).toMatchObject({ new: 0, acknowledged: 1, failing: 0 })
  expect(second.findings.filter((f: { status: string }) => f.status === 'open')).toHaveLength(4)

  const list = await run(['findings', 'list', '--json', '--db', db], cwd)
  const listed = JSON.parse(list.stdout)
  expect(listed).toHaveLength(5)
  expect(
    listed.filter((f: { acknowledged: boolean }) => f.acknowledged).map((f: { ackReason: string }) => f.ackReason),
  ).toEqual(['accepted: internal tool'])
  const table = await run(['findings', 'list', '--db', db], cwd)
  expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+SEVERITY\s+STATUS\s+RULE/)
  // Control characters from traffic never reach a terminal.
  expect(table.stdout).not.toMatch(/[\u0000-\u0008\u001b]/)

  const missing = await run(['findings', 'ack', '999', '--reason', 'x', '--db', db], cwd)
  expect(missing.code).toBe(1)
  expect(missing.stderr).toContain('SPECTER_ERR_NOT_FOUND')
})

test('report writes html, md (with per-finding tickets) and sarif files; diff prints a table or JSON', async () => {
  const db = recordedStore()
  const spec = writeSpec()
  const cwd = dirname(spec)
  const html = await run(['report', '--spec', spec, '--db', db, '--out', 'r.html', '--no-spec-diff'], cwd)
  expect(html.code).toBe(0)
  const page = readFileSync(join(cwd, 'r.html'), 'utf8')
  expect(page.startsWith('<!doctype html>')).toBe(true)
  expect(page).not.toContain(HOSTILE_KEY)

  const md = await run(
    ['report', '--spec', spec, '--db', db, '--format', 'md', '--out', 'r.md', '--per-finding', 'tickets'],
    cwd,
  )
  expect(md.code).toBe(0)
  expect(readdirSync(join(cwd, 'tickets'))).toHaveLength(5)
  expect(readFileSync(join(cwd, 'r.md'), 'utf8')).toContain('## Spec-to-spec comparison (openapi-diff)')

  const sarif = await run(['report', '--spec', spec, '--db', db, '--format', 'sarif', '--out', 'r.sarif'], cwd)
  expect(sarif.code).toBe(0)
  expect(JSON.parse(readFileSync(join(cwd, 'r.sarif'), 'utf8')).version).toBe('2.1.0')

  const table = await run(['diff', '--spec', spec, '--db', db], cwd)
  expect(table.code).toBe(0)
  expect(table.stdout).toContain('shadow-service')
  expect(table.stderr).toMatch(/5 findings \(0 new, 0 acknowledged\)/)
  const json = await run(['diff', '--spec', spec, '--db', db, '--json', '--no-save'], cwd)
  expect(JSON.parse(json.stdout)).toHaveLength(5)
})

test('diff names undocumented paths by the configured path pins, as `specter infer` does', async () => {
  const db = recordedStore()
  const spec = writeSpec()
  const cwd = dirname(spec)
  writeFileSync(join(cwd, 'pins.yaml'), "paths:\n  templates: ['/reports/{reportName}']\n")
  const json = await run(['diff', '--spec', spec, '--db', db, '--config', 'pins.yaml', '--json', '--no-save'], cwd)
  expect(json.code).toBe(0)
  const paths = (JSON.parse(json.stdout) as Array<{ rule: string; path: string }>).map((f) => f.path)
  expect(paths).toContain('/reports/{reportName}')
  expect(paths.some((p) => p.startsWith('/reports/['))).toBe(false)
})

test('a bad spec, a missing store and bad flags give coded errors and touch nothing', async () => {
  const db = recordedStore()
  const bad = writeSpec('openapi: 3.0.3\npaths:\n  users: {}\n')
  const cwd = dirname(bad)
  const invalid = await run(['report', '--spec', bad, '--db', db, '--format', 'json'], cwd)
  expect(invalid.code).toBe(1)
  expect(invalid.stderr).toMatch(/SPECTER_ERR_SPEC_INVALID.*#\/paths\/users \(line 3\)/)
  const unreadable = await run(['diff', '--spec', join(cwd, 'nope.yaml'), '--db', db], cwd)
  expect(unreadable.code).toBe(1)
  expect(unreadable.stderr).toContain('SPECTER_ERR_SPEC_UNREADABLE')
  const spec = writeSpec()
  expect((await run(['report', '--spec', spec, '--db', db, '--format', 'pdf'], cwd)).code).toBe(2)
  expect((await run(['report', '--spec', spec, '--db', db, '--fail-on', 'info'], cwd)).code).toBe(2)
  expect((await run(['diff', '--spec', spec, '--db', join(cwd, 'none.db')], cwd)).code).toBe(2)
  expect(existsSync(join(cwd, 'none.db'))).toBe(false)
  expect((await run(['findings', 'ack', 'x1', '--reason', 'r', '--db', db], cwd)).code).toBe(2)
  expect((await run(['findings', 'ack', '1', '--db', db], cwd)).code).toBe(2)
  // Nothing was recorded by the failed runs.
  const list = await run(['findings', 'list', '--json', '--db', db], cwd)
  expect(JSON.parse(list.stdout)).toEqual([])
})

test('--no-save reads stored ids and acknowledgements, gates like a saving run, and writes nothing', async () => {
  const db = recordedStore()
  const spec = writeSpec()
  const cwd = dirname(spec)
  const gate = ['--spec', spec, '--db', db, '--fail-on', 'high']

  // Nothing stored yet: every finding is new, without an id, and the high one fails the gate.
  const fresh = await run(['report', ...gate, '--format', 'json', '--no-save'], cwd)
  expect(fresh.code).toBe(1)
  const unsaved = JSON.parse(fresh.stdout)
  expect(unsaved.summary).toMatchObject({ total: 5, new: 5, failing: 1 })
  expect(unsaved.findings.some((f: { id?: number }) => f.id !== undefined)).toBe(false)

  const saved = JSON.parse((await run(['report', ...gate, '--format', 'json'], cwd)).stdout)
  const high = saved.findings.find((f: { severity: string }) => f.severity === 'high')
  expect((await run(['findings', 'ack', String(high.id), '--reason', 'accepted', '--db', db], cwd)).code).toBe(0)

  const before = readFileSync(db)
  const diff = await run(['diff', ...gate, '--json', '--no-save'], cwd)
  const report = await run(['report', ...gate, '--format', 'json', '--no-save'], cwd)
  // The store file is untouched: no finding upserted, no WAL left holding changes.
  expect(readFileSync(db).equals(before)).toBe(true)
  expect(existsSync(`${db}-wal`) ? readFileSync(`${db}-wal`).length : 0).toBe(0)

  expect(diff.code).toBe(0)
  const listed = JSON.parse(diff.stdout) as Array<{ id?: number; status: string; ackReason?: string }>
  expect(listed.map((f) => f.id).sort()).toEqual(saved.findings.map((f: { id: number }) => f.id).sort())
  expect(listed.filter((f) => f.status === 'acknowledged')).toEqual([
    expect.objectContaining({ id: high.id, ackReason: 'accepted' }),
  ])
  expect(report.code).toBe(0)
  expect(JSON.parse(report.stdout).summary).toMatchObject({ total: 5, new: 0, acknowledged: 1, failing: 0 })
})
