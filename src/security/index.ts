// security: sensitive-data classification, auth and identifier analysis, object enumeration, risk ranking. Pure.
// Everything here is pure except enumeration-store.ts (suspects in and out of a better-sqlite3 handle
// the edges pass in; only the driver's types are imported) and enumeration-recorder.ts (its timer).
export { classifyNumber, classifyValue, isIpv4, MAX_CLASSIFIED_CHARS } from './classify-value.js'
export { ibanMod97, isIban } from './iban.js'
export { isJwt } from './jwt.js'
export { isLuhnValid } from './luhn.js'
export { hasCardBrand, isPaymentCard } from './payment-card.js'
export { isPhone } from './phone.js'
export { isAccessKey, isPasswordHash, isPrivateKey, type SecretKind, secretKindOf } from './secret-token.js'
export {
  HIGH_RISK_CATEGORIES,
  PERSONAL_CATEGORIES,
  SECRET_CATEGORIES,
  type SensitiveCategory,
} from './sensitive-category.js'
export { type KeyClass, keyClassOf, keyWords } from './sensitive-key.js'
export { isUsSsn, isValidSsnDigits } from './us-ssn.js'
export {
  DEFAULT_ENUMERATION_OPTIONS,
  type EnumerationOptions,
  type EnumerationStats,
  type EnumerationSuspect,
  EnumerationTracker,
  EXACT_CAP,
} from './enumeration-tracker.js'
export { hash30 } from './hash30.js'
export { HLL_REGISTERS, hllAdd, hllEstimate } from './hyperloglog.js'
export { objectIdOf } from './object-id.js'
export { MAD_TO_SIGMA, medianAndMad, medianOfSorted } from './robust-stats.js'
export { adminSegmentOf } from './admin-path.js'
export { type EndpointAuth, endpointAuth, isPublicByNature, requiresCredentials, serviceOf } from './auth-analysis.js'
export { type ResponseExposure, responseExposures } from './body-exposure.js'
export {
  DEFAULT_GUESSABLE_ID_OPTIONS,
  type GuessableId,
  type GuessableIdOptions,
  guessableIds,
} from './guessable-id.js'
export {
  MAX_RISK_SCORE,
  type OperationRisk,
  RISK_POINTS,
  type RiskComponent,
  type RiskFactor,
  rankRisks,
} from './risk-score.js'
export { securityRules } from './rules/index.js'
export {
  type EnumerationEvent,
  SECURITY_FACTS_KEY,
  type SecurityFacts,
  securityFactsOf,
} from './security-facts.js'
export { type TaggedField, taggedFields } from './tagged-fields.js'
export { observeForEnumeration, withEnumerationTracking } from './enumeration-feed.js'
export {
  DEFAULT_ENUMERATION_STORE_OPTIONS,
  type EnumerationRow,
  EnumerationStore,
  type EnumerationStoreOptions,
  eventOfRow,
  persistSuspects,
} from './enumeration-store.js'
export {
  createEnumerationRecorder,
  type EnumerationRecorder,
  type EnumerationRecorderOptions,
} from './enumeration-recorder.js'
