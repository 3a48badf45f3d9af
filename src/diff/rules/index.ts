// The rule list, in report order. One file per rule; append new rules here (one line each).
// The security module's rules (src/security/rules) come last: they read the same context.
import { securityRules } from '../../security/index.js'
import type { Rule } from '../../finding/index.js'
import { missingRequiredResponseProperty } from './missing-required-response-property.js'
import { probedPaths } from './probed-paths.js'
import { requestTypeMismatch } from './request-type-mismatch.js'
import { responseTypeMismatch } from './response-type-mismatch.js'
import { shadowOperation } from './shadow-operation.js'
import { shadowService } from './shadow-service.js'
import { undocumentedContentType } from './undocumented-content-type.js'
import { undocumentedQueryParameter } from './undocumented-query-parameter.js'
import { undocumentedRequestProperty } from './undocumented-request-property.js'
import { undocumentedResponseProperty } from './undocumented-response-property.js'
import { undocumentedResponseStatus } from './undocumented-response-status.js'
import { unobservedOperation } from './unobserved-operation.js'
import { zombieOperation } from './zombie-operation.js'

export const rules: Rule[] = [
  shadowService,
  shadowOperation,
  zombieOperation,
  unobservedOperation,
  probedPaths,
  undocumentedResponseProperty,
  missingRequiredResponseProperty,
  responseTypeMismatch,
  undocumentedResponseStatus,
  undocumentedContentType,
  undocumentedRequestProperty,
  undocumentedQueryParameter,
  requestTypeMismatch,
  ...securityRules,
]
