// One HAR 1.2 entry (http://www.softwareishard.com/blog/har-12-spec/) as exported by Chrome and
// Firefox devtools, mitmproxy and Charles, turned into the capture's Exchange. Tolerates what
// those tools leave out or add (missing timings, HTTP/2 pseudo-headers, base64 bodies, bodies
// stored decoded under a content-encoding header); anything it cannot use is an EntryProblem.
import type { Exchange, Outcome, RawHeaders } from '../capture/index.js'
import { bodyCopy, decodeBase64, EMPTY_BODY, fixContentEncoding } from './body-copy.js'

/** Why one entry (or NDJSON line) cannot be imported; the importer reports it with its index and goes on. */
export class EntryProblem extends Error {
  override name = 'EntryProblem'
}

export interface ConvertOptions {
  /** the capture's body copy limit (capture.maxBodyBytes) */
  maxBodyBytes: number
  /** used when an entry has no usable start time */
  fallbackTimeMs: number
  /** recorded as the exchange's client address (HAR files do not carry one) */
  clientAddress: string
}

const METHOD = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/
const MAX_HEADERS = 512

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Node's own folding of repeated headers: set-cookie stays a list, cookie joins with '; ', others with ', '. */
function addHeader(headers: RawHeaders, rawName: string, value: string): void {
  const name = rawName.toLowerCase()
  const prev = headers[name]
  if (prev === undefined) headers[name] = name === 'set-cookie' ? [value] : value
  else if (Array.isArray(prev)) prev.push(value)
  else headers[name] = `${prev}${name === 'cookie' ? '; ' : ', '}${value}`
}

/** One header of a HAR list; HTTP/2 pseudo-headers are dropped, except `:authority`, which stands in for Host. */
function addPair(headers: RawHeaders, name: string, value: unknown): void {
  if (name === '' || value === undefined || value === null) return
  const text = typeof value === 'string' ? value : String(value)
  if (name.charCodeAt(0) === 0x3a) {
    if (name === ':authority' && headers['host'] === undefined) headers['host'] = text
    return
  }
  addHeader(headers, name, text)
}

/**
 * HAR headers are `[{name, value}]`; some tools write `{name: value}` maps instead. HTTP/2
 * pseudo-headers are dropped, except `:authority`, which stands in for Host.
 */
export function headersOf(list: unknown, where: string): RawHeaders {
  const headers: RawHeaders = Object.create(null)
  if (list === undefined || list === null) return headers
  if (Array.isArray(list)) {
    const n = Math.min(list.length, MAX_HEADERS)
    for (let i = 0; i < n; i++) {
      const item: unknown = list[i]
      if (isObject(item)) {
        const name = item['name']
        addPair(headers, typeof name === 'string' ? name : String(name ?? ''), item['value'])
      } else if (Array.isArray(item) && item.length === 2) {
        addPair(headers, String(item[0]), item[1])
      } else {
        throw new EntryProblem(`${where} has a header that is neither {name, value} nor [name, value]`)
      }
    }
  } else if (isObject(list)) {
    let n = 0
    for (const name in list) {
      if (!Object.hasOwn(list, name)) continue
      if (n++ === MAX_HEADERS) break
      const value = list[name]
      if (Array.isArray(value)) for (const v of value) addPair(headers, name, v)
      else addPair(headers, name, value)
    }
  } else {
    throw new EntryProblem(`${where} is not a list of headers`)
  }
  return headers
}

/** Body bytes from HAR text plus its optional `encoding` ("base64"); everything else is UTF-8 text. */
export function bodyBytes(text: unknown, encoding: unknown, where: string): Buffer {
  if (text === undefined || text === null) return Buffer.alloc(0)
  if (typeof text !== 'string') throw new EntryProblem(`${where}.text is not a string`)
  if (typeof encoding === 'string' && encoding.toLowerCase() === 'base64') {
    const bytes = decodeBase64(text)
    if (bytes === undefined) throw new EntryProblem(`${where}.text is marked base64 but is not valid base64`)
    return bytes
  }
  return Buffer.from(text, 'utf8')
}

function requestBody(postData: unknown): { bytes: Buffer; mimeType?: string } {
  if (!isObject(postData)) return { bytes: Buffer.alloc(0) }
  const mimeType = typeof postData['mimeType'] === 'string' ? postData['mimeType'] : undefined
  if (postData['text'] !== undefined && postData['text'] !== null) {
    const bytes = bodyBytes(postData['text'], postData['encoding'], 'request.postData')
    return mimeType === undefined ? { bytes } : { bytes, mimeType }
  }
  // Only the parsed form fields were kept: rebuild an urlencoded body from them.
  if (Array.isArray(postData['params'])) {
    const form = new URLSearchParams()
    for (const p of postData['params']) {
      if (isObject(p) && typeof p['name'] === 'string')
        form.append(p['name'], typeof p['value'] === 'string' ? p['value'] : '')
    }
    return { bytes: Buffer.from(form.toString()), mimeType: mimeType ?? 'application/x-www-form-urlencoded' }
  }
  return mimeType === undefined ? { bytes: Buffer.alloc(0) } : { bytes: Buffer.alloc(0), mimeType }
}

/** Splits an absolute or origin-form URL into the request target and its authority. */
export function targetOf(rawUrl: unknown, where: string): { target: string; host?: string } {
  if (typeof rawUrl !== 'string' || rawUrl.length === 0) throw new EntryProblem(`${where} has no url`)
  if (rawUrl.length > 64 * 1024) throw new EntryProblem(`${where} has a url longer than 64 KiB`)
  if (rawUrl.startsWith('/')) return { target: rawUrl }
  let url: URL
  try {
    url = new URL(rawUrl)
  } catch {
    throw new EntryProblem(`${where} has a url that cannot be parsed`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EntryProblem(`${where} is a ${url.protocol.replace(':', '')} URL, not HTTP`)
  }
  return { target: `${url.pathname}${url.search}`, host: url.host }
}

function timeOf(started: unknown, fallbackMs: number): number {
  if (typeof started === 'string') {
    const ms = Date.parse(started)
    if (Number.isFinite(ms)) return ms
  }
  if (typeof started === 'number' && Number.isFinite(started)) return started
  return fallbackMs
}

function durationOf(entry: Record<string, unknown>): number {
  const time = entry['time']
  if (typeof time === 'number' && Number.isFinite(time) && time >= 0) return time
  // Some exporters leave `time` out but keep the phases; -1 marks a phase that did not apply.
  const timings = entry['timings']
  if (!isObject(timings)) return 0
  let sum = 0
  for (const v of Object.values(timings)) if (typeof v === 'number' && v > 0) sum += v
  return sum
}

function outcomeOf(status: number, entry: Record<string, unknown>, response: Record<string, unknown>): Outcome {
  if (status > 0) return 'ok'
  const error = String(response['_error'] ?? entry['_error'] ?? response['statusText'] ?? '')
  return /abort|cancel/i.test(error.slice(0, 200)) ? 'aborted' : 'upstream-error'
}

/** Converts one parsed HAR entry; throws EntryProblem when it cannot be used. */
export function harEntryToExchange(entry: unknown, options: ConvertOptions): Exchange {
  if (!isObject(entry)) throw new EntryProblem('the entry is not an object')
  const request = entry['request']
  if (!isObject(request)) throw new EntryProblem('the entry has no request object')
  const method = request['method']
  if (typeof method !== 'string' || !METHOD.test(method))
    throw new EntryProblem('request.method is missing or not a method')
  const { target, host } = targetOf(request['url'], 'request')
  const requestHeaders = headersOf(request['headers'], 'request.headers')
  if (host !== undefined && requestHeaders['host'] === undefined) requestHeaders['host'] = host
  // Devtools keep cookies in their own list and sometimes not in the headers.
  if (requestHeaders['cookie'] === undefined && Array.isArray(request['cookies']) && request['cookies'].length > 0) {
    const pairs = request['cookies']
      .filter(isObject)
      .map((c) => `${String(c['name'] ?? '')}=${String(c['value'] ?? '')}`)
    if (pairs.length > 0) requestHeaders['cookie'] = pairs.join('; ')
  }
  const reqBody = requestBody(request['postData'])
  if (reqBody.mimeType !== undefined && requestHeaders['content-type'] === undefined && reqBody.bytes.length > 0) {
    requestHeaders['content-type'] = reqBody.mimeType
  }
  fixContentEncoding(requestHeaders, reqBody.bytes)
  const reqSize = typeof request['bodySize'] === 'number' ? request['bodySize'] : 0

  const response = isObject(entry['response']) ? entry['response'] : {}
  const rawStatus = response['status']
  const status =
    typeof rawStatus === 'number' && Number.isInteger(rawStatus) && rawStatus >= 0 && rawStatus <= 999 ? rawStatus : 0
  const responseHeaders = headersOf(response['headers'], 'response.headers')
  const content = isObject(response['content']) ? response['content'] : {}
  const resBytes = bodyBytes(content['text'], content['encoding'], 'response.content')
  if (
    typeof content['mimeType'] === 'string' &&
    content['mimeType'] !== '' &&
    responseHeaders['content-type'] === undefined
  ) {
    responseHeaders['content-type'] = content['mimeType']
  }
  fixContentEncoding(responseHeaders, resBytes)
  // content.size is the decoded length; when no text was kept it tells how much was missed.
  const resSize =
    typeof content['size'] === 'number' && content['size'] > 0 && content['text'] === undefined ? content['size'] : 0

  const startMs = timeOf(entry['startedDateTime'], options.fallbackTimeMs)
  return {
    startMs,
    endMs: startMs + durationOf(entry),
    method: method.toUpperCase(),
    url: target,
    requestHeaders,
    requestBody:
      reqBody.bytes.length === 0 && reqSize <= 0
        ? EMPTY_BODY
        : bodyCopy(reqBody.bytes, options.maxBodyBytes, reqBody.bytes.length > 0 ? reqBody.bytes.length : reqSize),
    status,
    responseHeaders,
    responseBody:
      resBytes.length === 0 && resSize === 0 ? EMPTY_BODY : bodyCopy(resBytes, options.maxBodyBytes, resSize),
    outcome: outcomeOf(status, entry, response),
    clientAddress: options.clientAddress,
  }
}
