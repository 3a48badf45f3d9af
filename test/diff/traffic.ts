// Test helper: HTTP calls described as data -> real Exchanges -> the capture's observe() -> a real
// SQLite store -> its Inventory. Diff tests run on exactly what production would hand them.
import { type Exchange, observe } from '../../src/capture/index.js'
import { openStore } from '../../src/store/index.js'
import type { Inventory, StoreLimits } from '../../src/store/index.js'
import { tempDbPath } from '../helpers/temp-db.js'

export interface Call {
  method?: string
  /** path and query, e.g. /users/42?debug=1 */
  url: string
  status?: number
  requestContentType?: string
  /** a JSON value (serialised) or raw text */
  requestBody?: unknown
  responseContentType?: string
  responseBody?: unknown
  requestHeaders?: Record<string, string>
  /** offset from the base time, in ms */
  atMs?: number
  /** repeat this call n times (default 1) */
  times?: number
}

export const BASE_MS = 1_700_000_000_000

function copy(body: unknown) {
  const buf = Buffer.from(body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body))
  return { chunks: buf.length > 0 ? [buf] : [], copiedBytes: buf.length, totalBytes: buf.length, truncated: false }
}

/** The Exchange the proxy would hand the capture for a call. */
export function exchangeOf(call: Call): Exchange {
  const start = BASE_MS + (call.atMs ?? 0)
  const requestHeaders: Record<string, string> = { host: 'api.example.test', ...call.requestHeaders }
  if (call.requestBody !== undefined) requestHeaders['content-type'] = call.requestContentType ?? 'application/json'
  const responseHeaders: Record<string, string> = {}
  if (call.responseBody !== undefined) responseHeaders['content-type'] = call.responseContentType ?? 'application/json'
  return {
    startMs: start,
    endMs: start + 5,
    method: call.method ?? 'GET',
    url: call.url,
    requestHeaders,
    requestBody: copy(call.requestBody),
    status: call.status ?? 200,
    responseHeaders,
    responseBody: copy(call.responseBody),
    outcome: 'ok',
    clientAddress: '127.0.0.1',
  }
}

/** Records the calls through observe() into a fresh temporary store and reads its inventory back. */
export function inventoryOf(
  calls: readonly Call[],
  options: { examples?: boolean; limits?: Partial<StoreLimits> } = {},
): Inventory {
  const store = openStore({
    path: tempDbPath(),
    now: () => BASE_MS,
    ...(options.limits ? { limits: options.limits } : {}),
  })
  try {
    const wantExample = () => options.examples === true
    const observations = calls.flatMap((c) => {
      const o = observe(exchangeOf(c), { wantExample })
      return Array.from({ length: c.times ?? 1 }, () => o)
    })
    store.record(observations)
    return store.inventory()
  } finally {
    store.close()
  }
}
