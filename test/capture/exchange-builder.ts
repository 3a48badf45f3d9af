// Builds Exchange values from real bytes for the capture tests.
import type { BodyCopy, Exchange, RawHeaders } from '../../src/capture/index.js'

/** A body copy as the tap makes it: the first maxBytes of the body (all of it by default). */
export function copyOf(bytes: Buffer | string, maxBytes = Number.POSITIVE_INFINITY, totalBytes?: number): BodyCopy {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes) : bytes
  const copied = buf.subarray(0, maxBytes)
  const total = totalBytes ?? buf.length
  return {
    chunks: copied.length > 0 ? [copied] : [],
    copiedBytes: copied.length,
    totalBytes: total,
    truncated: total > copied.length,
  }
}

export interface ExchangeInit {
  method?: string
  url?: string
  requestHeaders?: RawHeaders
  requestBody?: BodyCopy
  status?: number
  responseHeaders?: RawHeaders
  responseBody?: BodyCopy
  outcome?: Exchange['outcome']
  clientAddress?: string
}

export function exchange(init: ExchangeInit = {}): Exchange {
  return {
    startMs: 1_700_000_000_000,
    endMs: 1_700_000_000_012,
    method: init.method ?? 'GET',
    url: init.url ?? '/',
    requestHeaders: { host: 'api.example.test', ...init.requestHeaders },
    requestBody: init.requestBody ?? copyOf(''),
    status: init.status ?? 200,
    responseHeaders: init.responseHeaders ?? {},
    responseBody: init.responseBody ?? copyOf(''),
    outcome: init.outcome ?? 'ok',
    clientAddress: init.clientAddress ?? '127.0.0.1',
  }
}

/** A JSON response exchange. */
export function jsonResponse(body: Buffer | string, headers: RawHeaders = {}, init: ExchangeInit = {}): Exchange {
  return exchange({
    ...init,
    responseHeaders: { 'content-type': 'application/json', ...headers },
    responseBody: copyOf(body),
  })
}
