// shadow-operation: traffic on a method or path the published spec does not document.
import { exampleAt } from '../evidence.js'
import { endpointEvidence, type Finding, findingOf, findingPath, type Rule } from '../../finding/index.js'

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export const shadowOperation: Rule = {
  id: 'shadow-operation',
  severity: 'medium',
  kind: 'inventory',
  why: 'An undocumented operation escapes review, testing and security controls that the documented API gets.',
  check(ctx) {
    const out: Finding[] = []
    for (const m of ctx.matches) {
      // Grouped under a shadow service, or reported as a zombie of a newer version: not twice.
      if (m.service !== undefined || m.supersededBy !== undefined || m.overflow === true) continue
      if (m.kind === 'documented') continue
      const method = m.endpoint.method.toUpperCase()
      const methodLevel = m.kind === 'method-undocumented'
      const documentedMethods = [...new Set(m.pathOperations.map((o) => o.method))].sort().join(', ')
      const evidence = endpointEvidence(m.endpoint, {
        observed: `${method} ${m.endpoint.pathKey}`,
        documented: methodLevel
          ? `${m.pathOperations[0]?.template ?? ''} documents ${documentedMethods}`
          : 'no matching path',
        example: exampleAt(m.endpoint, 'response', undefined, []),
        details: { level: methodLevel ? 'method' : 'path' },
      })
      const path = findingPath(m)
      const finding = findingOf(shadowOperation, {
        severity: methodLevel && MUTATING.has(method) ? 'high' : 'medium',
        method,
        path,
        pointer: '',
        title: methodLevel
          ? `${method} is not documented on ${path} (documented: ${documentedMethods})`
          : `${method} ${path} is not documented`,
        evidence,
      })
      if (methodLevel && m.pathOperations[0] !== undefined)
        finding.specPointer = m.pathOperations[0].pathLocation.pointer
      out.push(finding)
    }
    return out
  },
}
