// The risk ranking the reports lead with: a score per observed operation from 0 to 100, the sum
// of documented points (capped), so that a reader can check every number:
//
//   undocumented (shadow)                        25
//   secrets in responses                         30  } the larger of the two
//   personal data in responses                   20  }
//   unauthenticated (2xx without credentials)    20
//   admin-like path (/admin, /internal, ...)     15
//   guessable integer ids                        10
//   object enumeration seen                      25
//   exposure: sensitive data AND reachable by
//     anyone (unauthenticated), by counting
//     (guessable ids) or being walked (enumeration) 15
//
// score = min(100, sum of the points that apply)
import { type EndpointMatch, type Finding, findingPath } from '../finding/index.js'
import { adminSegmentOf } from './admin-path.js'

export type RiskFactor =
  | 'undocumented'
  | 'secrets-exposed'
  | 'sensitive-data-exposed'
  | 'unauthenticated'
  | 'admin-path'
  | 'guessable-ids'
  | 'enumeration-seen'
  | 'exposure'

export const RISK_POINTS: Readonly<Record<RiskFactor, number>> = Object.freeze({
  undocumented: 25,
  'secrets-exposed': 30,
  'sensitive-data-exposed': 20,
  unauthenticated: 20,
  'admin-path': 15,
  'guessable-ids': 10,
  'enumeration-seen': 25,
  exposure: 15,
})

export const MAX_RISK_SCORE = 100

export interface RiskComponent {
  factor: RiskFactor
  points: number
  /** why it applies, e.g. the finding rule or the path segment */
  reason: string
}

export interface OperationRisk {
  method: string
  path: string
  score: number
  components: RiskComponent[]
  /** requests observed */
  requests: number
  /** rule ids of the findings on this operation */
  rules: string[]
}

// Which findings stand for which factor.
const FACTOR_OF_RULE: Readonly<Record<string, RiskFactor>> = {
  'shadow-operation': 'undocumented',
  'shadow-service': 'undocumented',
  'secret-in-response': 'secrets-exposed',
  'sensitive-data-in-response': 'sensitive-data-exposed',
  'unauthenticated-operation': 'unauthenticated',
  'security-requirement-contradicted': 'unauthenticated',
  'guessable-identifier': 'guessable-ids',
  'object-enumeration': 'enumeration-seen',
}

/**
 * Scores every observed operation from the diff's matches and findings and returns those with a
 * score above zero, riskiest first (ties: more traffic first, then path and method).
 */
export function rankRisks(input: { matches: readonly EndpointMatch[]; findings: readonly Finding[] }): OperationRisk[] {
  const ops = new Map<
    string,
    { method: string; path: string; requests: number; undocumented: boolean; pathKey: string }
  >()
  for (const m of input.matches) {
    const method = m.endpoint.method.toUpperCase()
    const path = findingPath(m)
    const key = `${method} ${path}`
    const prev = ops.get(key)
    if (prev === undefined) {
      ops.set(key, {
        method,
        path,
        requests: m.endpoint.count,
        undocumented: m.kind !== 'documented',
        pathKey: m.endpoint.pathKey,
      })
    } else {
      prev.requests += m.endpoint.count
    }
  }
  const findingsByOp = new Map<string, Finding[]>()
  const add = (key: string, f: Finding) => {
    const list = findingsByOp.get(key)
    if (list === undefined) findingsByOp.set(key, [f])
    else list.push(f)
  }
  for (const f of input.findings) {
    // Grouped findings name their operations as 'METHOD path'.
    if (f.operations !== undefined && f.operations.length > 0) for (const o of f.operations) add(o, f)
    else add(`${f.method} ${f.path}`, f)
  }
  const out: OperationRisk[] = []
  for (const [key, op] of ops) {
    const findings = findingsByOp.get(key) ?? []
    const present = new Map<RiskFactor, string>()
    for (const f of findings) {
      const factor = FACTOR_OF_RULE[f.rule]
      // Info-level findings (e.g. an integer query id known by its type only) do not score.
      if (factor !== undefined && f.severity !== 'info' && !present.has(factor)) present.set(factor, f.rule)
    }
    if (op.undocumented && !present.has('undocumented')) present.set('undocumented', 'not in the published spec')
    const admin = adminSegmentOf(op.pathKey) ?? adminSegmentOf(op.path)
    if (admin !== undefined) present.set('admin-path', `path segment /${admin}`)
    if (present.has('secrets-exposed')) present.delete('sensitive-data-exposed')
    const exposed = present.has('secrets-exposed') || present.has('sensitive-data-exposed')
    const reachable = ['unauthenticated', 'guessable-ids', 'enumeration-seen'].filter((f) =>
      present.has(f as RiskFactor),
    )
    if (exposed && reachable.length > 0) present.set('exposure', `sensitive data and ${reachable.join(', ')}`)
    const components: RiskComponent[] = [...present.entries()]
      .map(([factor, reason]) => ({ factor, points: RISK_POINTS[factor], reason }))
      .sort((a, b) => b.points - a.points || (a.factor < b.factor ? -1 : 1))
    const score = Math.min(
      MAX_RISK_SCORE,
      components.reduce((s, c) => s + c.points, 0),
    )
    if (score === 0) continue
    out.push({
      method: op.method,
      path: op.path,
      score,
      components,
      requests: op.requests,
      rules: [...new Set(findings.map((f) => f.rule))].sort(),
    })
  }
  return out.sort(
    (a, b) =>
      b.score - a.score ||
      b.requests - a.requests ||
      (a.path < b.path ? -1 : a.path > b.path ? 1 : a.method < b.method ? -1 : 1),
  )
}
