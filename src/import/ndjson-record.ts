// One line of the newline-delimited JSON exchange format (docs/import.md) turned into the
// capture's Exchange. Meant for gateways and loggers that write one JSON object per request.
import type { Exchange } from '../capture/index.js'
import { bodyCopy, EMPTY_BODY, fixContentEncoding } from './body-copy.js'
import { bodyBytes, type ConvertOptions, EntryProblem, headersOf, targetOf } from './har-entry.js'

const METHOD = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A body field: a string (text, or base64 with `<name>Encoding: "base64"`) or any JSON value, serialized back. */
function bodyField(record: Record<string, unknown>, name: string): Buffer {
  const value = record[name]
  if (value === undefined || value === null) return Buffer.alloc(0)
  if (typeof value === 'string') return bodyBytes(value, record[`${name}Encoding`], name)
  return Buffer.from(JSON.stringify(value))
}

function startOf(record: Record<string, unknown>, fallbackMs: number): number {
  const startMs = record['startMs']
  if (typeof startMs === 'number' && Number.isFinite(startMs)) return startMs
  const startedAt = record['startedAt']
  if (typeof startedAt === 'string') {
    const ms = Date.parse(startedAt)
    if (Number.isFinite(ms)) return ms
    throw new EntryProblem('startedAt is not an ISO 8601 date-time')
  }
  return fallbackMs
}

/** Converts one parsed NDJSON record; throws EntryProblem when it cannot be used. */
export function ndjsonRecordToExchange(record: unknown, options: ConvertOptions): Exchange {
  if (!isObject(record)) throw new EntryProblem('the line is not a JSON object')
  const method = record['method']
  if (typeof method !== 'string' || !METHOD.test(method)) throw new EntryProblem('"method" is missing or not a method')
  const { target, host } = targetOf(record['url'], 'the record')
  const status = record['status']
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 0 || status > 999) {
    throw new EntryProblem('"status" is missing or not an HTTP status code (use 0 when there was no response)')
  }
  const requestHeaders = headersOf(record['requestHeaders'], 'requestHeaders')
  const hostField = typeof record['host'] === 'string' ? record['host'] : undefined
  if (requestHeaders['host'] === undefined && (host ?? hostField) !== undefined)
    requestHeaders['host'] = host ?? hostField
  const responseHeaders = headersOf(record['responseHeaders'], 'responseHeaders')
  const reqBytes = bodyField(record, 'requestBody')
  const resBytes = bodyField(record, 'responseBody')
  // A body logged as a JSON value is JSON, whatever the log forgot to say.
  if (isObject(record['requestBody']) || Array.isArray(record['requestBody'])) {
    requestHeaders['content-type'] ??= 'application/json'
  }
  if (isObject(record['responseBody']) || Array.isArray(record['responseBody'])) {
    responseHeaders['content-type'] ??= 'application/json'
  }
  fixContentEncoding(requestHeaders, reqBytes)
  fixContentEncoding(responseHeaders, resBytes)
  const startMs = startOf(record, options.fallbackTimeMs)
  const durationMs = typeof record['durationMs'] === 'number' && record['durationMs'] >= 0 ? record['durationMs'] : 0
  const outcome = record['outcome']
  return {
    startMs,
    endMs: startMs + durationMs,
    method: method.toUpperCase(),
    url: target,
    requestHeaders,
    requestBody: reqBytes.length === 0 ? EMPTY_BODY : bodyCopy(reqBytes, options.maxBodyBytes),
    status,
    responseHeaders,
    responseBody: resBytes.length === 0 ? EMPTY_BODY : bodyCopy(resBytes, options.maxBodyBytes),
    outcome:
      outcome === 'aborted' || outcome === 'upstream-error' || outcome === 'upstream-timeout' || outcome === 'ok'
        ? outcome
        : status === 0
          ? 'upstream-error'
          : 'ok',
    clientAddress:
      typeof record['clientAddress'] === 'string' ? record['clientAddress'].slice(0, 64) : options.clientAddress,
  }
}
