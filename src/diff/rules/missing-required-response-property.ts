// missing-required-response-property: a property the documented response schema requires is absent.
import { driftRule, statusOf } from '../drift-rule.js'

export const missingRequiredResponseProperty = driftRule({
  id: 'missing-required-response-property',
  severity: 'medium',
  why: 'Clients generated from the spec trust required fields to be there; their absence breaks them at runtime.',
  side: 'response',
  issue: 'missing-required',
  verdict: (d) => ({ title: `response ${statusOf(d)} lacks required property ${d.bodyPath}` }),
})
