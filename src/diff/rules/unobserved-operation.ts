// unobserved-operation: documented, never seen; reported only once the observation window and
// volume are large enough for absence to mean something.
import type { Finding, Rule } from '../../finding/index.js'

export const unobservedOperation: Rule = {
  id: 'unobserved-operation',
  severity: 'info',
  kind: 'inventory',
  why: 'A documented operation nobody calls may be dead code to retire, or traffic that bypasses this proxy.',
  check(ctx) {
    let first = Number.POSITIVE_INFINITY
    let last = 0
    let total = 0
    for (const e of ctx.inventory.endpoints) {
      first = Math.min(first, e.firstSeenMs)
      last = Math.max(last, e.lastSeenMs)
      total += e.count
    }
    const windowMs = Number.isFinite(first) ? last - first : 0
    if (windowMs < ctx.options.minObservationWindowMs || total < ctx.options.minObservedRequests) return []
    const seen = new Set(ctx.matches.flatMap((m) => (m.operation !== undefined ? [m.operation] : [])))
    const out: Finding[] = []
    for (const op of ctx.spec.operations) {
      if (seen.has(op)) continue
      out.push({
        rule: unobservedOperation.id,
        severity: unobservedOperation.severity,
        why: unobservedOperation.why,
        method: op.method,
        path: op.template,
        pointer: '',
        title: `${op.method} ${op.template} was never observed`,
        evidence: {
          count: 0,
          unit: 'requests',
          firstSeenMs: first,
          lastSeenMs: last,
          observed: `no request in ${total} over ${Math.round(windowMs / 60_000)} min`,
          documented: op.deprecated ? 'documented (deprecated)' : 'documented',
          details: { windowMs, observedRequests: total },
        },
        specPointer: op.location.pointer,
      })
    }
    return out
  },
}
