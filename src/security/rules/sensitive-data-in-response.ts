// sensitive-data-in-response: personal data (emails, phones, cards, SSNs, IBANs, IPs, dates of
// birth) in a response body, found by the classifier's tags. Severity (low; medium for regulated
// data) goes up when the operation
// or the field is undocumented, and again when the data went out without credentials.
import { type Finding, raiseSeverity, type Rule, type Severity } from '../../finding/index.js'
import { exposureFinding, personalCategories, responseExposures } from '../body-exposure.js'
import { documentedResponseSchema, schemaLists } from '../rule-support.js'
import { HIGH_RISK_CATEGORIES } from '../sensitive-category.js'

/** Fewer matches than this, and under 1% of the field's values, read as classifier noise. */
const MIN_MATCHES = 3
const MIN_MATCH_RATIO = 0.01

export const sensitiveDataInResponse: Rule = {
  id: 'sensitive-data-in-response',
  severity: 'low',
  kind: 'security',
  why: 'Personal data in responses is regulated (GDPR, PCI DSS, HIPAA); every operation that returns it must be known, documented and access-controlled.',
  check(ctx) {
    const out: Finding[] = []
    for (const m of ctx.matches) {
      const undocumentedOperation = m.kind !== 'documented'
      for (const x of responseExposures(m.endpoint)) {
        const categories = personalCategories(x.field)
        if (categories.length === 0) continue
        const matched = categories.reduce((s, [, n]) => s + n, 0)
        if (matched < MIN_MATCHES && matched / x.field.strings < MIN_MATCH_RATIO) continue
        const schema =
          m.operation === undefined ? undefined : documentedResponseSchema(m.operation, x.status, x.contentType)
        const undocumentedField =
          m.operation !== undefined && (schema === undefined || !schemaLists(schema, x.field.tokens))
        // Documented personal data behind credentials is the API doing its job: low, an inventory
        // entry. Regulated data (cards, SSNs, IBANs) starts at medium.
        let severity: Severity = categories.some(([c]) => HIGH_RISK_CATEGORIES.has(c)) ? 'medium' : 'low'
        severity = raiseSeverity(
          severity,
          (undocumentedOperation || undocumentedField ? 1 : 0) + (x.unauthenticated ? 1 : 0),
        )
        out.push(
          exposureFinding(sensitiveDataInResponse, m, x, categories, severity, {
            documented:
              m.operation === undefined
                ? 'operation not documented'
                : undocumentedField
                  ? 'field not documented'
                  : 'documented',
            details: { undocumentedOperation, undocumentedField },
          }),
        )
      }
    }
    return out
  },
}
