// The read model the store hands to infer, diff and security: one entry per observed
// endpoint (method + path key), with its exchanges aggregated per status and content type.
import type { Outcome } from '../capture/observation.js'
import type { Shape } from '../infer/index.js'

export interface SegmentSample {
  /** segment index in the path key */
  index: number
  /** a bounded, uniform sample of distinct raw values (bottom-k by hash), sorted */
  values: string[]
  /** estimated number of distinct values seen */
  distinct: number
}

export interface ObservedExchange {
  status: number
  outcome: Outcome
  requestContentType: string
  responseContentType: string
  count: number
  firstSeenMs: number
  lastSeenMs: number
  /** merged object shape of query parameters (props: name -> value shape) */
  query: Shape
  requestHeaders: Shape
  responseHeaders: Shape
  /** credential fact -> count of requests carrying it; 'none' counts requests without any */
  auth: Record<string, number>
  requestBody?: Shape
  responseBody?: Shape
  /** body kind -> count, e.g. { json: 10, invalid: 1 } */
  requestKinds: Record<string, number>
  responseKinds: Record<string, number>
  requestTruncated: number
  responseTruncated: number
  durationMsSum: number
  durationMsMax: number
}

export interface ObservedExample {
  status: number
  timeMs: number
  request?: string
  response?: string
}

export interface ObservedEndpoint {
  method: string
  /** e.g. /users/{int}/orders */
  pathKey: string
  hosts: string[]
  count: number
  firstSeenMs: number
  lastSeenMs: number
  segments: SegmentSample[]
  exchanges: ObservedExchange[]
  examples: ObservedExample[]
}

export interface Inventory {
  endpoints: ObservedEndpoint[]
  /** observations that hit a cap (endpoints, hosts, ...) and were folded into an overflow bucket */
  overflow: Record<string, number>
}
