// undocumented-request-property: the API accepted (2xx) a request body field the spec does not list.
import { driftRule } from '../drift-rule.js'

export const undocumentedRequestProperty = driftRule({
  id: 'undocumented-request-property',
  severity: 'low',
  why: 'An accepted but undocumented input is untested attack surface (mass assignment hides here).',
  side: 'request',
  issue: 'undocumented-property',
  verdict: (d) => ({
    title: `request body property ${d.bodyPath} is accepted but not documented`,
    severity: d.forbidden === true ? 'medium' : 'low',
    documented: d.forbidden === true ? 'additionalProperties: false' : 'not documented',
    details: { additionalPropertiesFalse: d.forbidden === true },
  }),
})
