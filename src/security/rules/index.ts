// The security rules, in report order; the diff's rule list includes them.
import type { Rule } from '../../finding/index.js'
import { credentialsInQuery } from './credentials-in-query.js'
import { guessableIdentifier } from './guessable-identifier.js'
import { objectEnumeration } from './object-enumeration.js'
import { secretInResponse } from './secret-in-response.js'
import { securityRequirementContradicted } from './security-requirement-contradicted.js'
import { sensitiveDataInResponse } from './sensitive-data-in-response.js'
import { unauthenticatedOperation } from './unauthenticated-operation.js'

export const securityRules: Rule[] = [
  objectEnumeration,
  secretInResponse,
  sensitiveDataInResponse,
  unauthenticatedOperation,
  securityRequirementContradicted,
  credentialsInQuery,
  guessableIdentifier,
]
