// What the tap hands to the store for one exchange: names, kinds and shapes, never secret values.
import type { Shape } from '../infer/index.js'

export type Outcome = 'ok' | 'aborted' | 'upstream-error' | 'upstream-timeout'

export type BodyKind = 'none' | 'json' | 'form' | 'multipart' | 'text' | 'binary' | 'invalid'

export interface BodySummary {
  kind: BodyKind
  /** bytes on the wire (before decoding) */
  bytes: number
  /** the copy was cut at capture.maxBodyBytes (or the decoded size limit) */
  truncated: boolean
  /** json: the value's shape; form and multipart: an object shape of field names */
  shape?: Shape
  /** content-encoding as sent (gzip, br, deflate) */
  encoding?: string
  /** why decoding or parsing failed, e.g. 'decompression-limit', 'invalid-json' */
  error?: string
}

export interface Observation {
  timeMs: number
  method: string
  /** Host header, lower-cased */
  host: string
  /**
   * The path with identifier-like segments replaced by class placeholders
   * (`/users/{int}/orders`, see infer's segment classifier); no query string.
   */
  pathKey: string
  /** raw values of placeholder segments that are safe to keep (int, uuid, hex, date), by segment index */
  segmentValues: Array<[index: number, value: string]>
  /** object shape: query parameter name -> value shape (an empty object when there is no query) */
  query: Shape
  /** object shape of request header names (values only for a safe allow-list) */
  requestHeaders: Shape
  /** object shape of response header names (values only for a safe allow-list) */
  responseHeaders: Shape
  /** credentials carried, as facts: 'bearer', 'basic', 'header:x-api-key', 'query:api_key', 'cookie:sid' */
  auth: string[]
  /** media type without parameters, lower-cased; '' when absent */
  requestContentType: string
  requestBody: BodySummary
  /** 0 when the upstream never answered */
  status: number
  outcome: Outcome
  responseContentType: string
  responseBody: BodySummary
  /** upstream latency: request start to response end */
  durationMs: number
  /** keyed hash of the credential, else of the client address; never the credential itself */
  clientKey: string
  /** redacted example bodies (bounded JSON text), only when the store still wants examples */
  example?: { request?: string; response?: string }
}
