// request-type-mismatch: the API accepted (2xx) a request body value of a type the spec does not allow.
import { driftRule, whereOf } from '../drift-rule.js'

export const requestTypeMismatch = driftRule({
  id: 'request-type-mismatch',
  severity: 'medium',
  why: 'The server accepts input the spec says is invalid: its validation is looser than documented.',
  side: 'request',
  issue: 'type-mismatch',
  verdict: (d) => ({ title: `request ${whereOf(d)} accepted as ${d.observed}, documented ${d.documented}` }),
})
