// The value classifier every name/value shape goes through: the configured classifier (the
// security module's PII and secret categories) first, then two guards so that no credential
// becomes an enum candidate even without it: values of secret field names are tagged 'secret'
// (a security category), and credential-looking values under other names 'token' (a capture
// marker meaning "withheld", not a finding). A tagged value is never an enum candidate.
import type { ObserveOptions } from './options.js'
import { isSecretField } from './secret-names.js'

// The same few property names come with every string of every body: the secret-name test (a
// 25-way regex over the lower-cased name) is remembered per name. Names only, never values;
// forgotten all at once when full.
const MAX_MEMO_NAMES = 2048
const secretFieldMemo = new Map<string, boolean>()

function isSecretFieldName(key: string): boolean {
  let known = secretFieldMemo.get(key)
  if (known === undefined) {
    known = isSecretField(key)
    if (secretFieldMemo.size >= MAX_MEMO_NAMES) secretFieldMemo.clear()
    secretFieldMemo.set(key, known)
  }
  return known
}

const guarded = new WeakMap<
  ObserveOptions['classify'],
  (key: string | undefined, value: string) => string | undefined
>()

/** Wraps the configured classifier with the secret-name and token-value guards (one wrapper per classifier). */
export function guardedClassify(
  classify: ObserveOptions['classify'],
): (key: string | undefined, value: string) => string | undefined {
  let wrapped = guarded.get(classify)
  if (wrapped === undefined) {
    wrapped = (key, value) => {
      const tag = classify(key, value)
      if (tag !== undefined) return tag
      if (key !== undefined && isSecretFieldName(key)) return 'secret'
      return looksLikeToken(value) ? 'token' : undefined
    }
    guarded.set(classify, wrapped)
  }
  return wrapped
}

const JWT = /^eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\./
const TOKEN_CHARS = /^[A-Za-z0-9_.~+/=-]{16,512}$/

/** A credential-like value: a JWT, or a long run of mixed letters and digits with no spaces. */
export function looksLikeToken(value: string): boolean {
  const len = value.length
  if (len < 16 || len > 512) return false
  if (JWT.test(value)) return true
  if (!TOKEN_CHARS.test(value)) return false
  let digits = 0
  let upper = 0
  let lower = 0
  for (let i = 0; i < len; i++) {
    const c = value.charCodeAt(i)
    if (c >= 48 && c <= 57) digits++
    else if (c >= 65 && c <= 90) upper++
    else if (c >= 97 && c <= 122) lower++
  }
  return digits > 0 && upper + lower > 0 && digits + upper + lower >= len * 0.75
}
