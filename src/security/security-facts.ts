// What the security rules read from `RuleContext.facts['security']`: the object-enumeration
// suspects persisted by the proxy's tracker (the report runs in another process than the proxy).

export interface EnumerationEvent {
  /** the capture's keyed hash of the client credential or address */
  clientKey: string
  method: string
  pathKey: string
  /** the largest distinct-object count seen in one window */
  maxDistinct: number
  windowMs: number
  peers: number
  peerMedian: number
  /** the count above which the client was flagged */
  limit: number
  reason: 'threshold' | 'peers'
  firstSeenMs: number
  lastSeenMs: number
  /** evaluations that found this client suspicious */
  hits: number
}

export interface SecurityFacts {
  enumeration?: EnumerationEvent[]
}

/** The owner key of security facts in RuleContext.facts. */
export const SECURITY_FACTS_KEY = 'security'

/** Security facts from a rule context's facts (an empty object when absent or malformed). */
export function securityFactsOf(facts: Readonly<Record<string, unknown>>): SecurityFacts {
  const f = facts[SECURITY_FACTS_KEY]
  return f !== null && typeof f === 'object' ? (f as SecurityFacts) : {}
}
