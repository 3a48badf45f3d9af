// The categories the sensitive-data classifier assigns. They are stored as tag counts on string
// shapes (`shape.str.tag`), so a category name that has shipped is never renamed.

export type SensitiveCategory =
  | 'email'
  | 'phone'
  | 'payment-card'
  | 'us-ssn'
  | 'iban'
  | 'ip-address'
  | 'date-of-birth'
  | 'jwt'
  | 'access-key'
  | 'private-key'
  | 'password-hash'
  | 'password'
  | 'secret'

/** Personal data: exposure is a privacy problem (`sensitive-data-in-response`). */
export const PERSONAL_CATEGORIES: ReadonlySet<string> = new Set<SensitiveCategory>([
  'email',
  'phone',
  'payment-card',
  'us-ssn',
  'iban',
  'ip-address',
  'date-of-birth',
])

/** Credentials: exposure lets someone act as someone else (`secret-in-response`). */
export const SECRET_CATEGORIES: ReadonlySet<string> = new Set<SensitiveCategory>([
  'jwt',
  'access-key',
  'private-key',
  'password-hash',
  'password',
  'secret',
])

/** Categories whose exposure is serious on its own (regulated data and credentials). */
export const HIGH_RISK_CATEGORIES: ReadonlySet<string> = new Set<SensitiveCategory>([
  'payment-card',
  'us-ssn',
  'iban',
  'private-key',
  'password-hash',
  'password',
  'access-key',
])
