// Storage faults under live traffic, through the whole stack: a full disk (a real 2 MiB tmpfs),
// a file locked by another connection, and at start a corrupted, truncated or newer database.
// Traffic flows untouched, the failure is logged once and counted, observations are kept within
// the retry bound and written once the store recovers; a bad file is refused, never modified.
import { execFileSync } from 'node:child_process'
import { closeSync, copyFileSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { expect, onTestFinished, test } from 'vitest'
import { type SpecterStack, startSpecterStack } from '../../src/cli/commands/proxy.js'
import type { ConfigOverrides } from '../../src/config.js'
import { openStore } from '../../src/store/index.js'
import { CapturedStream } from '../helpers/cli-io.js'
import { readBody, send } from '../helpers/http-client.js'
import { testConfig } from '../helpers/start-specter.js'
import { tempDbPath } from '../helpers/temp-db.js'
import { startUpstream } from '../helpers/upstream.js'
import { metricValue, scrape } from './fault-kit.js'

const FAILED_LINE = 'capture store write failed'

async function stackOn(
  dbPath: string,
  overrides: ConfigOverrides = {},
): Promise<{ stack: SpecterStack; logs: CapturedStream }> {
  const upstream = await startUpstream(async (req, res) => {
    const body = await readBody(req)
    res.setHeader('content-type', 'application/json')
    res.end(body.length > 0 ? body : '{"ok":true}')
  })
  const logs = new CapturedStream()
  const config = testConfig(upstream, {
    ...overrides,
    store: { path: dbPath, ...overrides.store },
    log: { level: 'info' },
  })
  const stack = await startSpecterStack(config, { cwd: process.cwd(), logStream: logs })
  onTestFinished(() => stack.close())
  return { stack, logs }
}

/** Wide JSON bodies on new paths: each one needs new pages in the database. */
async function traffic(stack: SpecterStack, count: number, tag: string): Promise<void> {
  for (let i = 0; i < count; i++) {
    const body = JSON.stringify(Object.fromEntries(Array.from({ length: 40 }, (_, k) => [`${tag}_field_${i}_${k}`, k])))
    const res = await send(`${stack.proxy.url}/${tag}/item${i}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    })
    // Untouched: the upstream's echo, byte for byte.
    expect(res.status).toBe(200)
    expect(res.body.toString()).toBe(body)
  }
}

const written = (stack: SpecterStack): number => stack.store.inventory().endpoints.reduce((n, e) => n + e.count, 0)

/** A 2 MiB tmpfs for the database; undefined where mounting is not permitted. */
function smallFilesystem(): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'specter-tmpfs-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir], { stdio: 'ignore' })
  } catch {
    rmSync(dir, { recursive: true, force: true })
    return undefined
  }
  onTestFinished(() => {
    execFileSync('umount', ['-l', dir], { stdio: 'ignore' })
    rmSync(dir, { recursive: true, force: true })
  })
  return dir
}

/** Writes zeros into `path` until the file system is full. */
function fill(path: string): void {
  const fd = openSync(path, 'w')
  const chunk = Buffer.alloc(16 * 1024)
  try {
    for (let i = 0; i < 100_000; i++) writeSync(fd, chunk)
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOSPC') throw err
  } finally {
    closeSync(fd)
  }
}

test('disk full mid-traffic: traffic untouched, logged once, counted, kept in memory and written on recovery', {
  timeout: 90_000,
}, async () => {
  const mount = smallFilesystem()
  // Without permission to mount (an unprivileged container), the same SQLITE_FULL comes from a
  // page cap on the real file: the store's failure path is the same.
  if (mount === undefined)
    console.warn('storage faults: mount not permitted here, using max_page_count for a full disk')
  const dbPath = mount !== undefined ? join(mount, 'specter.db') : tempDbPath()
  const { stack, logs } = await stackOn(dbPath, { capture: { flushIntervalMs: 20, batchSize: 50 } })
  await traffic(stack, 20, 'before')
  await stack.capture.drain()
  expect(written(stack)).toBe(20)

  const filler = mount !== undefined ? join(mount, 'filler') : undefined
  if (filler !== undefined) fill(filler)
  else {
    const pages = stack.store.database.pragma('page_count', { simple: true }) as number
    stack.store.database.pragma(`max_page_count = ${pages}`)
  }
  await traffic(stack, 150, 'during')
  await expect(stack.capture.drain()).rejects.toMatchObject({ code: 'SPECTER_ERR_STORE_UNAVAILABLE' })
  await traffic(stack, 30, 'still')
  await expect(stack.capture.drain()).rejects.toMatchObject({ code: 'SPECTER_ERR_STORE_UNAVAILABLE' })
  expect(stack.capture.stats()).toMatchObject({ storeFailing: true, dropped: 0 })
  expect(stack.capture.stats().pendingObservations).toBe(180)
  expect((await fetch(`${stack.admin.url}/readyz`)).status).toBe(503)
  const metrics = await scrape(stack.admin.url)
  expect(metricValue(metrics, 'specter_capture_store_errors_total')).toBeGreaterThanOrEqual(2)
  expect(logs.lines().filter((l) => l.includes(FAILED_LINE))).toHaveLength(1)

  if (filler !== undefined) rmSync(filler)
  else stack.store.database.pragma('max_page_count = 1073741823')
  await stack.capture.drain()
  expect(written(stack)).toBe(200)
  expect(stack.capture.stats()).toMatchObject({ storeFailing: false, dropped: 0, pendingObservations: 0 })
  expect((await fetch(`${stack.admin.url}/readyz`)).status).toBe(200)
  expect(logs.lines().filter((l) => l.includes('capture store writes recovered'))).toHaveLength(1)
})

test('a file locked by another connection: traffic untouched, memory bounded by retryBufferSize, written on release', {
  timeout: 90_000,
}, async () => {
  const dbPath = tempDbPath()
  const { stack, logs } = await stackOn(dbPath, {
    capture: { flushIntervalMs: 20, batchSize: 10, retryBufferSize: 20 },
    store: { busyTimeoutMs: 10 },
  })
  await traffic(stack, 10, 'before')
  await stack.capture.drain()
  const other = new Database(dbPath)
  onTestFinished(() => {
    if (other.open) other.close()
  })
  other.exec('BEGIN EXCLUSIVE')
  await traffic(stack, 50, 'locked')
  await expect(stack.capture.drain()).rejects.toMatchObject({ code: 'SPECTER_ERR_STORE_UNAVAILABLE' })
  const during = stack.capture.stats()
  // The bound: 20 observations kept, the other 30 exchanges dropped unobserved and counted.
  expect(during.pendingObservations).toBe(20)
  expect(during.droppedStoreDown).toBe(30)
  const metrics = await scrape(stack.admin.url)
  expect(metricValue(metrics, 'specter_capture_dropped_total')).toBe(30)
  expect(metricValue(metrics, 'specter_capture_store_errors_total')).toBeGreaterThanOrEqual(1)
  expect(logs.lines().filter((l) => l.includes(FAILED_LINE))).toHaveLength(1)

  other.exec('ROLLBACK')
  other.close()
  await stack.capture.drain()
  expect(written(stack)).toBe(30)
  expect(stack.capture.stats()).toMatchObject({ storeFailing: false, pendingObservations: 0 })
})

function realStore(): string {
  const path = tempDbPath()
  const store = openStore({ path })
  store.close()
  return path
}

test.each([
  [
    'not a database',
    'SPECTER_ERR_STORE_CORRUPT',
    () => {
      const path = tempDbPath()
      writeFileSync(path, Buffer.concat([Buffer.from('not sqlite at all\n'), Buffer.alloc(8192, 0xab)]))
      return path
    },
  ],
  [
    'a damaged database (header intact, pages overwritten)',
    'SPECTER_ERR_STORE_CORRUPT',
    () => {
      const path = realStore()
      const bytes = readFileSync(path)
      bytes.fill(0xee, 100)
      writeFileSync(path, bytes)
      return path
    },
  ],
  [
    'a truncated database',
    'SPECTER_ERR_STORE_CORRUPT',
    () => {
      const path = realStore()
      const bytes = readFileSync(path)
      writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 3)))
      return path
    },
  ],
  [
    'a database from a newer Specter',
    'SPECTER_ERR_STORE_SCHEMA_AHEAD',
    () => {
      const path = realStore()
      const db = new Database(path)
      db.pragma('user_version = 999')
      db.close()
      return path
    },
  ],
])('%s is refused at start with %s and never modified', async (_name, code, make) => {
  const path = make()
  const before = readFileSync(path)
  const copy = `${path}.orig`
  copyFileSync(path, copy)
  const upstream = await startUpstream((_req, res) => res.end())
  const config = testConfig(upstream, { store: { path } })
  await expect(
    startSpecterStack(config, { cwd: process.cwd(), logStream: new CapturedStream() }),
  ).rejects.toMatchObject({
    code,
  })
  expect(readFileSync(path).equals(before)).toBe(true)
  expect(readFileSync(copy).equals(before)).toBe(true)
})
