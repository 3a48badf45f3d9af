// One field, one finding per concern. A response field can be undocumented (a contract problem for
// whoever owns the spec) and hold personal data or credentials (a data problem for whoever owns
// privacy); a query parameter can be undocumented and carry a credential. Both concerns stay, but
// each finding says only its own: the contract finding drops the raise it took from the data, names
// what the field holds and points at the data finding, which points back. Identity (rule, method,
// path, pointer) never changes.
import { bodyPathText, type Finding, type Severity } from '../finding/index.js'

// Data rules and the contract rule that can report the same thing.
const DATA_RULES: ReadonlySet<string> = new Set(['sensitive-data-in-response', 'secret-in-response'])
const RESPONSE_CONTRACT_RULE = 'undocumented-response-property'
const QUERY_DATA_RULE = 'credentials-in-query'
const QUERY_CONTRACT_RULE = 'undocumented-query-parameter'

/** Whether a documented status ('200', '2XX', 'default') covers an observed one ('200'). */
const covers = (documented: string, observed: string): boolean =>
  documented === observed || documented === `${observed[0]}XX` || documented === 'default'

const detail = (f: Finding, key: string): string => String(f.evidence.details?.[key] ?? '')

function relate(f: Finding, related: readonly Finding[], documented?: string): void {
  const rules = [...new Set(related.map((r) => r.rule))].sort().join(',')
  f.evidence = {
    ...f.evidence,
    ...(documented === undefined ? {} : { documented: `${documented} (see ${rules})` }),
    details: { ...f.evidence.details, related: rules },
  }
}

/** The severity an undocumented response property has as a contract problem alone. */
const contractSeverity = (f: Finding): Severity =>
  f.evidence.details?.['additionalPropertiesFalse'] === true ? 'medium' : 'low'

/** Cross-references findings that describe one field under two concerns (in place). */
export function crossReferenceFields(findings: Finding[]): void {
  const byField = new Map<string, Finding[]>()
  const add = (key: string, f: Finding) => byField.set(key, [...(byField.get(key) ?? []), f])
  for (const f of findings) {
    if (DATA_RULES.has(f.rule)) add(`${f.method} ${f.path} ${detail(f, 'bodyPath')}`, f)
    else if (f.rule === QUERY_DATA_RULE) add(`${f.method} ${f.path} ${f.pointer}`, f)
  }
  if (byField.size === 0) return
  for (const f of findings) {
    if (f.rule === RESPONSE_CONTRACT_RULE) {
      const status = detail(f, 'status')
      const data = (byField.get(`${f.method} ${f.path} ${detail(f, 'bodyPath')}`) ?? []).filter((d) =>
        covers(status, detail(d, 'status')),
      )
      if (data.length === 0) continue
      const categories = [...new Set(data.flatMap((d) => detail(d, 'categories').split(',')))].filter(Boolean).sort()
      f.severity = contractSeverity(f)
      f.title = `response ${status} has undocumented property ${bodyPathText(detail(f, 'bodyPath'))}, which holds ${categories.join(', ')} (see ${[...new Set(data.map((d) => d.rule))].sort().join(', ')})`
      relate(f, data)
      for (const d of data) relate(d, [f], 'field not documented')
    } else if (f.rule === QUERY_CONTRACT_RULE) {
      const data = byField.get(`${f.method} ${f.path} ${f.pointer}`) ?? []
      if (data.length === 0) continue
      f.title = `${f.title}; it carries a credential (see ${QUERY_DATA_RULE})`
      relate(f, data)
      for (const d of data) relate(d, [f], 'not a documented parameter')
    }
  }
}
