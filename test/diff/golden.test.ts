// Golden tests: one fixture folder per rule and per noise case (test/fixtures/diff/<case>/): a
// published spec, calls recorded through observe() into a real store, and the exact findings.
// UPDATE_GOLDEN=1 rewrites expected.json; review the diff before committing it.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { diff, rules } from '../../src/diff/index.js'
import { loadSpec } from '../../src/spec/index.js'
import { BASE_MS, type Call, inventoryOf } from './traffic.js'

const ROOT = join(import.meta.dirname, '../fixtures/diff')

interface Traffic {
  calls: Call[]
  options?: Record<string, number>
  /** exactly the rule ids this case must produce */
  expectRules: string[]
}

const cases = readdirSync(ROOT).sort()

describe('diff golden fixtures', () => {
  test('every rule has a fixture of its own', () => {
    for (const rule of rules.filter((r) => r.kind !== 'security')) expect(cases).toContain(rule.id)
  })

  test.each(cases)('%s', async (name) => {
    const dir = join(ROOT, name)
    const specFile = existsSync(join(dir, 'spec.yaml')) ? join(dir, 'spec.yaml') : join(dir, 'spec.json')
    const traffic = JSON.parse(readFileSync(join(dir, 'traffic.json'), 'utf8')) as Traffic
    const spec = await loadSpec(specFile)
    const inventory = inventoryOf(traffic.calls, { examples: true })
    // The security module's rules have their own fixtures (test/security).
    const own = rules.filter((r) => r.kind !== 'security')
    const result = diff({ inventory, spec, now: BASE_MS + 86_400_000, options: traffic.options ?? {}, rules: own })
    expect([...new Set(result.findings.map((f) => f.rule))].sort()).toEqual([...traffic.expectRules].sort())
    const actual = `${JSON.stringify(result.findings, null, 2)}\n`
    const goldenFile = join(dir, 'expected.json')
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(goldenFile, actual)
    expect(actual).toBe(readFileSync(goldenFile, 'utf8'))
  })
})
