// unobserved-operation: documented, never seen; reported only once the observation window and
// volume are large enough for absence to mean something.
import { type Finding, findingOf, formatDuration, type Rule } from '../../finding/index.js'
import { observationWindow } from '../observation-window.js'

export const unobservedOperation: Rule = {
  id: 'unobserved-operation',
  severity: 'info',
  kind: 'inventory',
  why: 'A documented operation nobody calls may be dead code to retire, or traffic that bypasses this proxy.',
  check(ctx) {
    const { firstSeenMs, lastSeenMs, requests: total } = observationWindow(ctx.inventory.endpoints)
    const windowMs = lastSeenMs - firstSeenMs
    if (windowMs < ctx.options.minObservationWindowMs || total < ctx.options.minObservedRequests) return []
    const seen = new Set(ctx.matches.flatMap((m) => (m.operation !== undefined ? [m.operation] : [])))
    const out: Finding[] = []
    for (const op of ctx.spec.operations) {
      if (seen.has(op)) continue
      out.push(
        findingOf(unobservedOperation, {
          method: op.method,
          path: op.template,
          pointer: '',
          title: `${op.method} ${op.template} was never observed`,
          evidence: {
            count: 0,
            unit: 'requests',
            firstSeenMs,
            lastSeenMs,
            observed: `none of the ${total} requests observed over ${formatDuration(windowMs)}`,
            // What the spec says of it: its id or summary, and whether it is deprecated.
            documented:
              [
                op.operationId !== undefined ? `operationId ${op.operationId}` : undefined,
                op.summary !== undefined ? `"${op.summary.slice(0, 120)}"` : undefined,
                op.deprecated ? 'deprecated' : undefined,
              ]
                .filter((x) => x !== undefined)
                .join(', ') || 'in the spec, with no operationId or summary',
            details: { windowMs, observedRequests: total },
          },
          specPointer: op.location.pointer,
        }),
      )
    }
    return out
  },
}
