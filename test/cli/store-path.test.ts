// A store path Specter cannot create a database at is a configuration error naming the path, the
// layer that set it and what to do (exit 2), before anything listens or is opened; its directory
// is never created on the user's behalf.
import { existsSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { main } from '../../src/cli/main.js'
import { testIo } from '../helpers/cli-io.js'
import { tempDbPath } from '../helpers/temp-db.js'

const proxyArgs = [
  'proxy',
  '--upstream',
  'http://127.0.0.1:1',
  '--port',
  '0',
  '--admin-port',
  '0',
  '--log-level',
  'info',
]

describe('a store path whose directory is missing', () => {
  test('specter proxy --db: exit 2 naming the directory, --db and mkdir; nothing created or listening', async () => {
    const missing = join(dirname(tempDbPath()), 'no-such-dir')
    const db = join(missing, 'x.db')
    const io = testIo()
    expect(await main([...proxyArgs, '--db', db], io)).toBe(2)
    expect(io.stderr.text).toContain('SPECTER_ERR_CONFIG_INVALID')
    expect(io.stderr.text).toContain(`store.path = ${JSON.stringify(db)} (from --db)`)
    expect(io.stderr.text).toContain(`${missing} does not exist: create it first (mkdir -p ${missing})`)
    expect(io.stderr.text).not.toContain('disk full')
    expect(io.stdout.text).not.toContain('listening')
    expect(existsSync(missing)).toBe(false)
  })

  test('set by SPECTER_STORE_PATH, relative to the working directory: the variable is named', async () => {
    const cwd = dirname(tempDbPath())
    const io = testIo({ SPECTER_STORE_PATH: 'data/specter.db' }, cwd)
    expect(await main(proxyArgs, io)).toBe(2)
    expect(io.stderr.text).toContain(
      `store.path = ${JSON.stringify(join(cwd, 'data/specter.db'))} (from SPECTER_STORE_PATH)`,
    )
    expect(existsSync(join(cwd, 'data'))).toBe(false)
  })

  test('a directory given as the store, or a file given as its directory', async () => {
    const dir = dirname(tempDbPath())
    const asDir = testIo()
    expect(await main([...proxyArgs, '--db', dir], asDir)).toBe(2)
    expect(asDir.stderr.text).toContain(`a database file, not a directory: give a file in it, e.g. ${dir}/specter.db`)

    const file = join(dir, 'plain-file')
    writeFileSync(file, 'not a directory')
    const underFile = testIo()
    expect(await main([...proxyArgs, '--db', join(file, 'x.db')], underFile)).toBe(2)
    expect(underFile.stderr.text).toContain(`${file} is not a directory`)
  })

  test('specter collect --db: the same error before connecting', async () => {
    const missing = join(dirname(tempDbPath()), 'central')
    const io = testIo()
    const code = await main(
      ['collect', '--from', 'nats://127.0.0.1:1', '--db', join(missing, 'c.db'), '--admin-port', '0'],
      io,
    )
    expect(code).toBe(2)
    expect(io.stderr.text).toContain('store.path')
    expect(io.stderr.text).toContain(`${missing} does not exist`)
  })

  test('specter merge --out: a usage error naming the missing directory, before any input is read', async () => {
    const dir = dirname(tempDbPath())
    const input = join(dir, 'a.db')
    const io = testIo()
    expect(await main(['merge', '--out', join(dir, 'missing', 'all.db'), input], io)).toBe(2)
    expect(io.stderr.text).toContain('SPECTER_ERR_USAGE')
    expect(io.stderr.text).toContain(`${join(dir, 'missing')} does not exist`)
  })
})
