import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'

const root = new URL('../', import.meta.url)
const codesIn = (text: string) => new Set([...text.matchAll(/SPECTER_ERR_[A-Z_]+/g)].map((m) => m[0]))

test('the README error table lists exactly the codes in src/errors.ts', () => {
  const source = readFileSync(new URL('src/errors.ts', root), 'utf8')
  const union = source.slice(source.indexOf('export type ErrorCode'), source.indexOf('export class SpecterError'))
  const readme = readFileSync(new URL('README.md', root), 'utf8')
  const table = readme.slice(readme.indexOf('## Error codes'))
  const rows = new Set([...table.matchAll(/^\| `(SPECTER_ERR_[A-Z_]+)` \|/gm)].map((m) => m[1]))
  expect([...rows].sort()).toEqual([...codesIn(union)].sort())
})
