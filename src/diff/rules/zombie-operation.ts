// zombie-operation: a deprecated operation, or an older API version superseded by a documented
// newer one, that still receives traffic.
import { counted, endpointEvidence, type Finding, findingOf, findingPath, type Rule } from '../../finding/index.js'

export const zombieOperation: Rule = {
  id: 'zombie-operation',
  severity: 'medium',
  kind: 'inventory',
  why: 'Retired API versions keep old bugs and weaker controls alive; clients still calling them block the retirement.',
  check(ctx) {
    const out: Finding[] = []
    for (const m of ctx.matches) {
      const method = m.endpoint.method.toUpperCase()
      const deprecated = m.kind === 'documented' && m.operation?.deprecated === true
      const newer = m.supersededBy
      if (!deprecated && newer === undefined) continue
      const undocumented = m.kind === 'path-undocumented'
      const reasons: string[] = []
      if (deprecated) reasons.push('documented as deprecated')
      if (newer !== undefined) reasons.push(`superseded by ${newer.method} ${newer.prefixes[0] ?? ''}${newer.template}`)
      const path = findingPath(m)
      const finding = findingOf(zombieOperation, {
        // An old version nobody documents any more is both a shadow and a zombie: the worst case.
        severity: undocumented ? 'high' : 'medium',
        method,
        path,
        pointer: '',
        title: `${method} ${path} still receives traffic (${reasons.join('; ')}${undocumented ? '; not documented' : ''})`,
        evidence: endpointEvidence(m.endpoint, {
          observed: `${counted(m.endpoint.count, 'request')} to ${method} ${m.endpoint.pathKey}`,
          documented: reasons.join('; '),
          details: { deprecated, documented: !undocumented },
        }),
      })
      const pointer = m.operation?.location.pointer ?? newer?.location.pointer
      if (pointer !== undefined) finding.specPointer = pointer
      out.push(finding)
    }
    return out
  },
}
