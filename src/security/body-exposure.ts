// Tagged response fields per observed endpoint, grouped by status and content type: the input of
// sensitive-data-in-response and secret-in-response.
import { mergeShapes, type Shape } from '../infer/index.js'
import type { ObservedEndpoint, ObservedExchange } from '../store/inventory.js'
import { type TaggedField, taggedFields } from './tagged-fields.js'

export interface ResponseExposure {
  status: number
  contentType: string
  exchanges: ObservedExchange[]
  field: TaggedField
  /** some of these responses answered requests without credentials */
  unauthenticated: boolean
}

/** Tagged fields in the endpoint's answered responses, one entry per (status, content type, field). */
export function responseExposures(endpoint: ObservedEndpoint): ResponseExposure[] {
  const groups = new Map<string, { status: number; contentType: string; shape: Shape; exchanges: ObservedExchange[] }>()
  for (const e of endpoint.exchanges) {
    if (e.outcome !== 'ok' || e.status === 0 || e.responseBody === undefined) continue
    const key = `${e.status} ${e.responseContentType}`
    const g = groups.get(key)
    if (g === undefined) {
      groups.set(key, { status: e.status, contentType: e.responseContentType, shape: e.responseBody, exchanges: [e] })
    } else {
      g.shape = mergeShapes(g.shape, e.responseBody)
      g.exchanges.push(e)
    }
  }
  const out: ResponseExposure[] = []
  for (const g of [...groups.values()].sort(
    (a, b) => a.status - b.status || (a.contentType < b.contentType ? -1 : 1),
  )) {
    const unauthenticated = g.exchanges.some((e) => (e.auth['none'] ?? 0) > 0 && e.status >= 200 && e.status < 300)
    for (const field of taggedFields(g.shape)) {
      out.push({ status: g.status, contentType: g.contentType, exchanges: g.exchanges, field, unauthenticated })
    }
  }
  return out
}
