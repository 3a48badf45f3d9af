// Test helper: compact exchange literals -> the proxy's Exchange records -> capture's observe
// -> a real SQLite store in os.tmpdir() -> its Inventory.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'
import { type Exchange, observe } from '../../src/capture/index.js'
import { type Inventory, openStore } from '../../src/store/index.js'

export interface ExchangeSpec {
  method?: string
  url: string
  status?: number
  headers?: Record<string, string>
  body?: unknown
  response?: unknown
  responseType?: string
  atMs?: number
}

function copy(text: string): Exchange['requestBody'] {
  const buf = Buffer.from(text)
  return { chunks: text === '' ? [] : [buf], copiedBytes: buf.length, totalBytes: buf.length, truncated: false }
}

export function exchangeOf(x: ExchangeSpec, i = 0): Exchange {
  const requestText = x.body === undefined ? '' : JSON.stringify(x.body)
  const responseText = x.response === undefined ? '' : JSON.stringify(x.response)
  const requestHeaders: Record<string, string> = { host: 'api.test', ...x.headers }
  if (x.body !== undefined) requestHeaders['content-type'] ??= 'application/json'
  const responseHeaders: Record<string, string> = {}
  if (x.response !== undefined) responseHeaders['content-type'] = x.responseType ?? 'application/json'
  const startMs = x.atMs ?? Date.UTC(2026, 0, 1) + i * 1000
  return {
    startMs,
    endMs: startMs + 5,
    method: x.method ?? 'GET',
    url: x.url,
    requestHeaders,
    requestBody: copy(requestText),
    status: x.status ?? 200,
    responseHeaders,
    responseBody: copy(responseText),
    outcome: 'ok',
    clientAddress: '127.0.0.1',
  }
}

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'specter-infer-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Records the exchanges into a new store file and returns its path. */
export function storeWith(exchanges: readonly ExchangeSpec[], dir = tempDir()): string {
  const path = join(dir, 'specter.db')
  const store = openStore({ path, now: () => Date.UTC(2026, 0, 1) })
  try {
    store.record(exchanges.map((x, i) => observe(exchangeOf(x, i), { clientKeySalt: 'test' })))
  } finally {
    store.close()
  }
  return path
}

export function inventoryOf(exchanges: readonly ExchangeSpec[]): Inventory {
  const path = storeWith(exchanges)
  const store = openStore({ path, fileMustExist: true })
  try {
    return store.inventory()
  } finally {
    store.close()
  }
}
