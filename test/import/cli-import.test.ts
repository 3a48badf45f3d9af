// `specter import` when nothing can be imported: a coded error that says why, exit 2, and no
// store left behind that the command itself created (an existing store is left as it was).
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { main } from '../../src/cli/main.js'
import { testIo } from '../helpers/cli-io.js'
import { tempDbPath } from '../helpers/temp-db.js'

async function run(argv: string[], cwd?: string) {
  const io = testIo({}, cwd)
  const code = await main(argv, io)
  return { code, stdout: io.stdout.text, stderr: io.stderr.text }
}

const fixture = (name: string): string => new URL(`./fixtures/${name}`, import.meta.url).pathname

function write(db: string, name: string, text: string): string {
  const file = join(dirname(db), name)
  writeFileSync(file, text)
  return file
}

describe('specter import with nothing importable', () => {
  test.each([
    ['a file that is not HAR', (_db: string) => fixture('not-har.json'), 'no "log" object'],
    ['a file cut short inside the root object', (db: string) => write(db, 'cut.har', '{"log":'), 'truncated file'],
    [
      'a HAR with no entries',
      (db: string) => write(db, 'empty.har', '{"log":{"version":"1.2","entries":[]}}'),
      'holds no entries',
    ],
    [
      'a HAR whose every entry is broken',
      (db: string) => write(db, 'broken.har', '{"log":{"version":"1.2","entries":[{"request":{}},7]}}'),
      'none of its 2 entries could be imported',
    ],
  ])('%s: exit 2, SPECTER_ERR_HAR_INVALID, no store created', async (_name, fileOf, message) => {
    const db = tempDbPath()
    const { code, stdout, stderr } = await run(['import', fileOf(db), '--db', db, '-q'], dirname(db))
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toContain('SPECTER_ERR_HAR_INVALID')
    expect(stderr).toContain(message)
    expect(stderr).not.toContain('Next:')
    for (const suffix of ['', '-wal', '-shm']) expect(existsSync(`${db}${suffix}`)).toBe(false)
  })

  test('a missing file: exit 2 naming it, no store created', async () => {
    const db = tempDbPath()
    const { code, stderr } = await run(['import', 'missing.har', '--db', db, '-q'], dirname(db))
    expect(code).toBe(2)
    expect(stderr).toContain(join(dirname(db), 'missing.har'))
    expect(existsSync(db)).toBe(false)
  })

  test('a store directory that does not exist: exit 2 naming store.path, before reading the file', async () => {
    const db = join(dirname(tempDbPath()), 'no-such-dir', 'x.db')
    const { code, stderr } = await run(['import', fixture('chrome.har'), '--db', db, '-q'])
    expect(code).toBe(2)
    expect(stderr).toContain('SPECTER_ERR_CONFIG_INVALID')
    expect(stderr).toContain('store.path')
    expect(existsSync(dirname(db))).toBe(false)
  })

  test('a failed import into an existing store keeps it and what it holds', async () => {
    const db = tempDbPath()
    expect((await run(['import', fixture('chrome.har'), '--db', db, '-q'])).code).toBe(0)
    const before = JSON.parse((await run(['db', 'stats', '--db', db, '--json'])).stdout)
    expect(before.endpoints).toBeGreaterThan(0)
    const failed = await run(['import', write(db, 'empty.har', '{"log":{"entries":[]}}'), '--db', db, '-q'])
    expect(failed.code).toBe(2)
    expect(existsSync(db)).toBe(true)
    const after = JSON.parse((await run(['db', 'stats', '--db', db, '--json'])).stdout)
    expect(after.endpoints).toBe(before.endpoints)
    expect(readFileSync(db).length).toBeGreaterThan(0)
  })
})
