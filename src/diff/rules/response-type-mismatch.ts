// response-type-mismatch: a response value whose JSON type the documented schema does not allow.
import { driftRule, statusOf, whereOf } from '../drift-rule.js'

export const responseTypeMismatch = driftRule({
  id: 'response-type-mismatch',
  severity: 'medium',
  why: 'A value of another type than documented breaks typed clients and often means the spec or the code is wrong.',
  side: 'response',
  issue: 'type-mismatch',
  verdict: (d) => ({
    title: `response ${statusOf(d)}: ${whereOf(d)} is ${d.observed}, documented ${d.documented}`,
    example: true,
  }),
})
