// undocumented-response-property: a response field the documented schema does not list. Higher when
// the schema forbids extra properties (a broken contract) or the field looks sensitive (a leak).
import { PERSONAL_CATEGORIES, SECRET_CATEGORIES } from '../../security/index.js'
import { driftRule, statusOf } from '../drift-rule.js'

// Field names that usually hold secrets or personal data. Anchored by word pieces; input capped.
const SENSITIVE =
  /(pass(word|wd|phrase)?|pwd|secret|token|api[-_]?key|private[-_]?key|access[-_]?key|credential|session|ssn|social[-_]?security|card[-_]?(number|no|num)|pan|cvv|cvc|iban|salt|hash|otp|pin|dob|birth|tax[-_]?id|national[-_]?id)/i

/** True when a property name looks like it holds a secret or personal data. */
export const isSensitiveName = (name: string): boolean => SENSITIVE.test(name.slice(0, 100))

export const undocumentedResponseProperty = driftRule({
  id: 'undocumented-response-property',
  severity: 'low',
  why: 'Fields the spec does not list are invisible to reviewers and clients; they are how internal data leaks out.',
  side: 'response',
  issue: 'undocumented-property',
  verdict: (d) => {
    const name = d.bodyTokens[d.bodyTokens.length - 1] ?? ''
    // The classifier's categories count; a bare 'token' tag (any long mixed run, ids included) does not.
    const categories = (d.tags ?? []).filter((t) => PERSONAL_CATEGORIES.has(t) || SECRET_CATEGORIES.has(t))
    const sensitive = isSensitiveName(name) || categories.length > 0
    return {
      title: `response ${statusOf(d)} has undocumented property ${d.bodyPath}${sensitive ? ' (looks sensitive)' : ''}`,
      severity: sensitive ? 'high' : d.forbidden === true ? 'medium' : 'low',
      documented: d.forbidden === true ? 'additionalProperties: false' : 'not documented',
      example: true,
      details: {
        additionalPropertiesFalse: d.forbidden === true,
        sensitiveName: isSensitiveName(name),
        ...(categories.length > 0 ? { categories: categories.join(',') } : {}),
      },
    }
  },
})
