import { readFileSync, writeFileSync } from 'node:fs'
import Database from 'better-sqlite3'
import { expect, test } from 'vitest'
import { SpecterError } from '../../src/errors.js'
import { defaultMigrationsDir, loadMigrations, openStore, SPECTER_APPLICATION_ID } from '../../src/store/index.js'
import { tempDbPath } from '../helpers/temp-db.js'

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn()
  } catch (err) {
    return err instanceof SpecterError ? err.code : `not coded: ${String(err)}`
  }
  return undefined
}

test('a new store gets every migration, WAL, and a Specter application id', () => {
  const path = tempDbPath()
  const store = openStore({ path })
  const db = store.database
  const latest = Math.max(...loadMigrations().map((m) => m.version))
  expect(db.pragma('user_version', { simple: true })).toBe(latest)
  expect(db.pragma('application_id', { simple: true })).toBe(SPECTER_APPLICATION_ID)
  expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
  // synchronous = NORMAL is 1
  expect(db.pragma('synchronous', { simple: true })).toBe(1)
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all()
  expect(tables).toEqual(
    expect.arrayContaining(['endpoint', 'exchange', 'segment_sample', 'example', 'path_literal', 'meta']),
  )
  expect(store.salt.length).toBe(32)
  store.close()
})

test('reopening is idempotent: same instance id, salt and version, no migration re-run', () => {
  const path = tempDbPath()
  const first = openStore({ path })
  const { instanceId, createdMs } = first
  const salt = first.salt.toString('hex')
  first.close()
  const again = openStore({ path })
  expect(again.instanceId).toBe(instanceId)
  expect(again.salt.toString('hex')).toBe(salt)
  expect(again.createdMs).toBe(createdMs)
  expect(again.database.prepare('SELECT count(*) FROM meta').pluck().get()).toBe(3)
  again.close()
})

test('the migrations folder is found from the package root', () => {
  expect(defaultMigrationsDir().endsWith('/migrations')).toBe(true)
  const names = loadMigrations().map((m) => m.name)
  expect(names[0]).toBe('0001_store.sql')
  expect([...names].sort()).toEqual(names)
})

test('each migration and its user_version commit together: a failing migration leaves the previous version', () => {
  const path = tempDbPath()
  const good = loadMigrations()
  const broken = [
    ...good,
    { version: 90, name: '0090_broken.sql', sql: 'CREATE TABLE t (x INTEGER) STRICT; SELECT no_such_fn();' },
  ]
  expect(() => openStore({ path, migrations: broken })).toThrow()
  const db = new Database(path)
  expect(db.pragma('user_version', { simple: true })).toBe(Math.max(...good.map((m) => m.version)))
  expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 't'").pluck().get()).toBe(0)
  db.close()
})

test('a database from a newer Specter is refused and left byte for byte untouched', () => {
  const path = tempDbPath()
  const db = new Database(path)
  db.pragma(`application_id = ${SPECTER_APPLICATION_ID}`)
  db.exec('CREATE TABLE future (x INTEGER)')
  db.pragma('user_version = 9999')
  db.close()
  const before = readFileSync(path)
  expect(codeOf(() => openStore({ path }))).toBe('SPECTER_ERR_STORE_SCHEMA_AHEAD')
  expect(readFileSync(path).equals(before)).toBe(true)
})

test('a garbage file is refused as corrupt and left untouched', () => {
  const path = tempDbPath()
  const garbage = Buffer.from('this is not a database at all\n'.repeat(200))
  writeFileSync(path, garbage)
  expect(codeOf(() => openStore({ path }))).toBe('SPECTER_ERR_STORE_CORRUPT')
  expect(readFileSync(path).equals(garbage)).toBe(true)
})

test('a SQLite file with a valid header but damaged pages is refused as corrupt, untouched', () => {
  const path = tempDbPath()
  const store = openStore({ path })
  store.close()
  const db = new Database(path)
  db.pragma('journal_mode = DELETE')
  db.close()
  const bytes = readFileSync(path)
  // Keep the 100-byte header, scribble over the schema page and the rest.
  for (let i = 100; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff
  writeFileSync(path, bytes)
  expect(codeOf(() => openStore({ path }))).toBe('SPECTER_ERR_STORE_CORRUPT')
  expect(readFileSync(path).equals(bytes)).toBe(true)
})

test("another application's SQLite database is refused, untouched", () => {
  const path = tempDbPath()
  const db = new Database(path)
  db.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)')
  db.close()
  const before = readFileSync(path)
  expect(codeOf(() => openStore({ path }))).toBe('SPECTER_ERR_STORE_CORRUPT')
  expect(readFileSync(path).equals(before)).toBe(true)
})

test('an empty file becomes a store', () => {
  const path = tempDbPath()
  writeFileSync(path, '')
  const store = openStore({ path })
  expect(store.database.pragma('application_id', { simple: true })).toBe(SPECTER_APPLICATION_ID)
  store.close()
})
