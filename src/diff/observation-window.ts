// The traffic a store holds, in one pass: when it starts and ends, and how many requests it counts.
import type { ObservedEndpoint } from '../store/inventory.js'

export interface ObservationWindow {
  /** first request seen (0 when there is none) */
  firstSeenMs: number
  lastSeenMs: number
  requests: number
}

/** The observation window and request count of some endpoints. */
export function observationWindow(endpoints: readonly ObservedEndpoint[]): ObservationWindow {
  let first = Number.POSITIVE_INFINITY
  let last = 0
  let requests = 0
  for (const e of endpoints) {
    first = Math.min(first, e.firstSeenMs)
    last = Math.max(last, e.lastSeenMs)
    requests += e.count
  }
  return { firstSeenMs: Number.isFinite(first) ? first : 0, lastSeenMs: last, requests }
}
