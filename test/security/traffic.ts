// Test helper: calls described as data -> real Exchanges -> the capture's observe() with the
// security classifier -> a real SQLite store -> its Inventory; and a published spec from YAML.
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { type Exchange, observe } from '../../src/capture/index.js'
import { classifyValue } from '../../src/security/index.js'
import { loadSpec, type SpecModel } from '../../src/spec/index.js'
import { type Inventory, openStore, type Store } from '../../src/store/index.js'
import { tempDbPath } from '../helpers/temp-db.js'

export const BASE_MS = 1_700_000_000_000

export interface Call {
  method?: string
  /** path and query */
  url: string
  status?: number
  responseBody?: unknown
  requestHeaders?: Record<string, string>
  atMs?: number
  times?: number
}

function copy(body: unknown) {
  const buf = Buffer.from(body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body))
  return { chunks: buf.length > 0 ? [buf] : [], copiedBytes: buf.length, totalBytes: buf.length, truncated: false }
}

export function exchangeOf(call: Call): Exchange {
  const start = BASE_MS + (call.atMs ?? 0)
  const responseHeaders: Record<string, string> = {}
  if (call.responseBody !== undefined) responseHeaders['content-type'] = 'application/json'
  return {
    startMs: start,
    endMs: start + 5,
    method: call.method ?? 'GET',
    url: call.url,
    requestHeaders: { host: 'api.example.test', ...call.requestHeaders },
    requestBody: copy(undefined),
    status: call.status ?? 200,
    responseHeaders,
    responseBody: copy(call.responseBody),
    outcome: 'ok',
    clientAddress: '127.0.0.1',
  }
}

/** Records the calls into a fresh temporary store (kept open for the caller) and returns it with its inventory. */
export function storeOf(calls: readonly Call[]): { store: Store; inventory: Inventory; path: string } {
  const path = tempDbPath()
  const store = openStore({ path, now: () => BASE_MS })
  const observations = calls.flatMap((c) => {
    const o = observe(exchangeOf(c), { classify: classifyValue, clientKeySalt: 'test-salt' })
    return Array.from({ length: c.times ?? 1 }, () => o)
  })
  store.record(observations)
  return { store, inventory: store.inventory(), path }
}

/** Records the calls and returns the inventory (the store is closed). */
export function inventoryOf(calls: readonly Call[]): Inventory {
  const { store, inventory } = storeOf(calls)
  store.close()
  return inventory
}

/** Loads a published spec written as YAML text. */
export async function specOf(yaml: string): Promise<SpecModel> {
  const file = join(dirname(tempDbPath()), 'spec.yaml')
  writeFileSync(file, yaml)
  return loadSpec(file)
}
