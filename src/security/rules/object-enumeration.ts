// object-enumeration: one client read far more distinct objects of an operation than its peers,
// or more than the configured limit, within the tracker's window. Reads the suspects the proxy's
// EnumerationTracker persisted (RuleContext.facts.security.enumeration).
import {
  counted,
  type Finding,
  findingOf,
  findingPath,
  formatDuration,
  type Rule,
  type Severity,
} from '../../finding/index.js'
import { type EnumerationEvent, securityFactsOf } from '../security-facts.js'

export const objectEnumeration: Rule = {
  id: 'object-enumeration',
  severity: 'high',
  kind: 'security',
  why: 'A client walking through many objects is scraping or probing for objects it should not see, even when every request is authorized (OWASP API1, API6).',
  check(ctx) {
    const events = securityFactsOf(ctx.facts).enumeration ?? []
    const byOperation = new Map<string, EnumerationEvent[]>()
    for (const e of events) {
      const key = `${e.method.toUpperCase()} ${e.pathKey}`
      const list = byOperation.get(key)
      if (list === undefined) byOperation.set(key, [e])
      else list.push(e)
    }
    const out: Finding[] = []
    for (const [, list] of [...byOperation.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      list.sort((a, b) => b.maxDistinct - a.maxDistinct || (a.clientKey < b.clientKey ? -1 : 1))
      const top = list[0] as EnumerationEvent
      const method = top.method.toUpperCase()
      const m = ctx.matches.find(
        (x) => x.endpoint.method.toUpperCase() === method && x.endpoint.pathKey === top.pathKey,
      )
      const path = m === undefined ? top.pathKey : findingPath(m)
      const severity: Severity =
        top.reason === 'threshold' || top.maxDistinct >= 10 * Math.max(top.limit, 1) ? 'critical' : 'high'
      const others = list.length - 1
      // The count covers at most one window, and no more time than the client was seen for: after a
      // few seconds of traffic it is a few seconds' reading, not the configured hour's.
      const spanMs = Math.min(top.windowMs, Math.max(0, top.lastSeenMs - top.firstSeenMs))
      const within = `within ${formatDuration(spanMs)}`
      const limit =
        top.reason === 'threshold'
          ? `the absolute limit of ${top.limit} (security.enumeration.maxDistinct)`
          : `the limit of ${top.limit} drawn from ${top.peers === 1 ? "1 other client's" : `${top.peers} other clients'`} reads (median ${top.peerMedian})`
      out.push(
        findingOf(objectEnumeration, {
          severity,
          method,
          path,
          pointer: '',
          title: `client ${top.clientKey} read ${counted(top.maxDistinct, 'distinct object')} of ${method} ${path} ${within} (peers' median ${top.peerMedian})${others > 0 ? `; ${counted(others, 'more client')}` : ''}`,
          evidence: {
            count: top.maxDistinct,
            unit: 'objects',
            firstSeenMs: Math.min(...list.map((e) => e.firstSeenMs)),
            lastSeenMs: Math.max(...list.map((e) => e.lastSeenMs)),
            observed: `${counted(top.maxDistinct, 'distinct object')} ${within} (windows of ${formatDuration(top.windowMs)}), above ${limit}`,
            details: {
              client: top.clientKey,
              distinct: top.maxDistinct,
              windowMs: top.windowMs,
              peers: top.peers,
              peerMedian: top.peerMedian,
              limit: top.limit,
              reason: top.reason,
              clients: list.length,
            },
          },
        }),
      )
    }
    return out
  },
}
