// Opening a database file safely and bringing its schema up to date. A file that is not a
// Specter store, is corrupt, or was written by a newer Specter is refused before anything is
// written to it. Migrations are `migrations/NNNN_name.sql` at the package root, applied in
// order, each file together with `PRAGMA user_version = NNNN` in one transaction; sibling
// modules (findings, security) add their own files, this runner knows nothing about them.
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { SpecterError, storeCorrupt, storeSchemaAhead, storeUnavailable } from '../errors.js'
import { toStoreError } from './sqlite-errors.js'

/** PRAGMA application_id of a Specter store ('SPTR'), set by migrations/0001. */
export const SPECTER_APPLICATION_ID = 0x53505452

export interface Migration {
  version: number
  name: string
  sql: string
}

const MIGRATION_FILE = /^([0-9]{4})_[a-z0-9_-]{1,80}\.sql$/

/** The package root: the nearest ancestor of this file with a package.json and a migrations folder. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'migrations'))) return dir
    const up = dirname(dir)
    if (up === dir) throw new Error('cannot find the Specter package root (package.json next to migrations/)')
    dir = up
  }
}

/** The migrations folder: from src (tests) and from dist/src (compiled) alike. */
export const defaultMigrationsDir = (): string => join(packageRoot(), 'migrations')

/** Reads `NNNN_name.sql` files in version order. */
export function loadMigrations(dir: string = defaultMigrationsDir()): Migration[] {
  const out: Migration[] = []
  for (const name of readdirSync(dir).sort()) {
    const m = MIGRATION_FILE.exec(name)
    if (m === null) continue
    const version = Number(m[1])
    if (version === 0 || out.some((o) => o.version === version)) {
      throw new Error(`migration ${name}: version ${version} is zero or used twice`)
    }
    out.push({ version, name, sql: readFileSync(join(dir, name), 'utf8') })
  }
  return out
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\u0000', 'latin1')

function headerOf(file: string): Buffer | undefined {
  if (!existsSync(file) || statSync(file).size === 0) return undefined
  const fd = openSync(file, 'r')
  try {
    const buf = Buffer.alloc(SQLITE_MAGIC.length)
    const n = readSync(fd, buf, 0, buf.length, 0)
    return buf.subarray(0, n)
  } finally {
    closeSync(fd)
  }
}

export interface OpenDatabaseOptions {
  /** how long a write waits for another connection's lock; the writer runs on the proxy's thread, keep it short */
  busyTimeoutMs: number
  /** refuse to create a missing file */
  fileMustExist?: boolean
  migrations?: Migration[]
}

/**
 * Opens (creating when missing) and migrates a Specter store. Refuses, without writing to it,
 * a file that is not a SQLite database or not a Specter store (SPECTER_ERR_STORE_CORRUPT) or
 * one with a newer schema (SPECTER_ERR_STORE_SCHEMA_AHEAD).
 */
export function openDatabase(file: string, options: OpenDatabaseOptions): Database.Database {
  const migrations = options.migrations ?? loadMigrations()
  const known = migrations.reduce((max, m) => Math.max(max, m.version), 0)
  const header = headerOf(file)
  if (header !== undefined && !header.equals(SQLITE_MAGIC)) {
    throw storeCorrupt(file, new Error('the file does not start with the SQLite header'))
  }
  let db: Database.Database
  try {
    db = new Database(file, { fileMustExist: options.fileMustExist === true })
  } catch (err) {
    // e.g. "the directory does not exist" (a TypeError without a SQLite code)
    const mapped = toStoreError(err, file)
    throw mapped instanceof SpecterError ? mapped : storeUnavailable(file, err)
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs))}`)
    // Only reads until the file is known to be ours and not ahead of this code.
    const appId = db.pragma('application_id', { simple: true }) as number
    const version = db.pragma('user_version', { simple: true }) as number
    const objects = (db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number }).n
    if (appId !== SPECTER_APPLICATION_ID && (version !== 0 || objects > 0 || appId !== 0)) {
      throw storeCorrupt(file, new Error(`not a Specter store (application_id ${appId}, ${objects} schema objects)`))
    }
    if (version > known) throw storeSchemaAhead(file, version, known)
    const check = db.pragma('quick_check(1)', { simple: true })
    if (check !== 'ok') throw storeCorrupt(file, new Error(`quick_check: ${String(check)}`))
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    for (const m of migrations) {
      if (m.version <= version) continue
      // IMMEDIATE takes the write lock first, and the version is read again under it: two
      // processes opening a new file at once apply each migration once.
      db.transaction(() => {
        if ((db.pragma('user_version', { simple: true }) as number) >= m.version) return
        db.exec(m.sql)
        db.pragma(`user_version = ${m.version}`)
      }).immediate()
    }
    return db
  } catch (err) {
    db.close()
    if (err instanceof SpecterError) throw err
    throw toStoreError(err, file)
  }
}
