import { writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { expect, test } from 'vitest'
import { main } from '../../src/cli/main.js'
import { openStore } from '../../src/store/index.js'
import { testIo } from '../helpers/cli-io.js'
import { tempDbPath } from '../helpers/temp-db.js'
import { realisticTraffic } from './observations.js'

async function run(argv: string[], cwd: string) {
  const io = testIo({}, cwd)
  const code = await main(argv, io)
  return { code, out: io.stdout.text, err: io.stderr.text }
}

function storeWith(path: string, count: number, seed: number) {
  const store = openStore({ path })
  store.record(realisticTraffic(count, seed))
  store.close()
}

test('db stats prints rows, size, endpoints, shapes and observations, as text and JSON', async () => {
  const path = tempDbPath()
  storeWith(path, 500, 1)
  const text = await run(['db', 'stats', '--db', path], '/')
  expect(text.code).toBe(0)
  expect(text.out).toMatch(/endpoints\s+10\n/)
  expect(text.out).toMatch(/observations\s+500\n/)
  expect(text.out).toMatch(/ {2}exchange\s+\d+/)
  const json = await run(['db', 'stats', '--db', path, '--json'], '/')
  const stats = JSON.parse(json.out) as {
    endpoints: number
    observations: number
    rows: Record<string, number>
    fileBytes: number
  }
  expect(stats.endpoints).toBe(10)
  expect(stats.observations).toBe(500)
  expect(stats.rows['endpoint']).toBe(10)
  expect(stats.fileBytes).toBeGreaterThan(0)
})

test('db stats finds specter.db in the working directory by default, and refuses a missing store', async () => {
  const path = tempDbPath('specter.db')
  storeWith(path, 100, 2)
  const r = await run(['db', 'stats', '--json'], dirname(path))
  expect(r.code).toBe(0)
  expect((JSON.parse(r.out) as { observations: number }).observations).toBe(100)
  const missing = await run(['db', 'stats', '--db', `${path}.nope`], '/')
  expect(missing.code).toBe(2)
  expect(missing.err).toContain('SPECTER_ERR_USAGE')
  expect((await run(['db'], '/')).code).toBe(2)
})

test('merge combines stores into --out and reports rows/s; usage errors exit 2', async () => {
  const a = tempDbPath('a.db')
  const b = tempDbPath('b.db')
  storeWith(a, 300, 3)
  storeWith(b, 200, 4)
  const out = tempDbPath('all.db')
  const r = await run(['merge', '--out', out, a, b, '--json'], '/')
  expect(r.code).toBe(0)
  expect((JSON.parse(r.out) as { rowsPerSecond: number }).rowsPerSecond).toBeGreaterThan(0)
  const merged = openStore({ path: out })
  expect(merged.stats().observations).toBe(500)
  merged.close()
  expect((await run(['merge', a, b], '/')).code).toBe(2)
  expect((await run(['merge', '--out', out], '/')).code).toBe(2)
  const notAStore = tempDbPath('notes.txt')
  writeFileSync(notAStore, 'not a database\n')
  const garbage = await run(['merge', '--out', tempDbPath('x.db'), notAStore], '/')
  expect(garbage.code).toBe(1)
  expect(garbage.err).toContain('SPECTER_ERR_STORE_CORRUPT')
})
