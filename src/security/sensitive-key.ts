// Field names that announce what a value is. A name alone never makes a finding for value
// categories (a `phone` field must still hold a phone number); it widens what the value rules
// accept and, for passwords and secrets, is the only evidence there is.

export type KeyClass = 'password' | 'secret' | 'date-of-birth' | 'phone' | 'ssn' | 'ip' | 'version' | 'none'

const MAX_KEY_CHARS = 64
const CACHE_CAP = 4096

const PASSWORD_WORDS: ReadonlySet<string> = new Set(['password', 'passwd', 'pwd', 'passphrase', 'passcode'])
const SECRET_WORDS: ReadonlySet<string> = new Set([
  'secret',
  'token',
  'apikey',
  'credential',
  'credentials',
  'privatekey',
  'accesskey',
  'secretkey',
  'clientsecret',
  'accesstoken',
  'refreshtoken',
  'authtoken',
  'idtoken',
  'bearertoken',
  'sessiontoken',
  'sessionid',
  'sessionkey',
  'authorization',
  'otp',
  'pin',
  'cvv',
  'cvc',
  'cvv2',
])
// `<word> key` pairs that name a credential (api_key, signing-key, ...).
const KEY_QUALIFIERS: ReadonlySet<string> = new Set([
  'api',
  'access',
  'secret',
  'private',
  'signing',
  'encryption',
  'master',
  'client',
  'auth',
  'session',
])
// Words before `token`/`id` that make it an opaque but harmless handle, not a credential.
const HARMLESS_QUALIFIERS: ReadonlySet<string> = new Set([
  'page',
  'next',
  'prev',
  'previous',
  'continuation',
  'sync',
  'pagination',
  'cursor',
  'resume',
  'idempotency',
  'request',
  'csrf',
  'xsrf',
  'device',
  'push',
  'notification',
  'fcm',
  'apns',
])
// Last words that describe a property of the secret rather than the secret itself.
const META_SUFFIXES: ReadonlySet<string> = new Set([
  'type',
  'types',
  'kind',
  'policy',
  'length',
  'len',
  'min',
  'max',
  'expires',
  'expiry',
  'expiration',
  'exp',
  'ttl',
  'at',
  'date',
  'time',
  'ms',
  'seconds',
  'changed',
  'updated',
  'created',
  'set',
  'required',
  'hint',
  'url',
  'uri',
  'endpoint',
  'count',
  'strength',
  'rules',
  'enabled',
  'valid',
  'present',
  'name',
  'label',
  'scope',
  'scopes',
  'status',
  'format',
  'header',
  'location',
  'mode',
  'method',
  'version',
  'last4',
  'prefix',
  'hash',
  'salt',
])
const PHONE_WORDS: ReadonlySet<string> = new Set([
  'phone',
  'mobile',
  'tel',
  'telephone',
  'msisdn',
  'cell',
  'cellphone',
  'fax',
  'phonenumber',
  'mobilenumber',
])
const IP_WORDS: ReadonlySet<string> = new Set(['ip', 'ipaddress', 'ipaddr', 'ipv4', 'ipv6', 'remoteaddr', 'clientip'])
const VERSION_WORDS: ReadonlySet<string> = new Set(['version', 'ver', 'release', 'build', 'semver', 'revision'])

/** Splits a field name into lower-case words at case changes, digits-to-letters and separators. */
export function keyWords(key: string): string[] {
  const words: string[] = []
  let cur = ''
  let prevLower = false
  for (let i = 0; i < key.length; i++) {
    const ch = key[i] as string
    const c = key.charCodeAt(i)
    const upper = c >= 65 && c <= 90
    const lower = (c >= 97 && c <= 122) || (c >= 48 && c <= 57)
    if (!upper && !lower) {
      if (cur !== '') words.push(cur)
      cur = ''
      prevLower = false
      continue
    }
    if (upper && prevLower && cur !== '') {
      words.push(cur)
      cur = ''
    }
    cur += upper ? ch.toLowerCase() : ch
    prevLower = lower
  }
  if (cur !== '') words.push(cur)
  return words
}

function classifyWords(words: string[]): KeyClass {
  const n = words.length
  if (n === 0) return 'none'
  const last = words[n - 1] as string
  const prev = n > 1 ? (words[n - 2] as string) : ''
  const joined = words.join('')
  if (joined === 'dob' || joined.includes('birth') || joined === 'bday') return 'date-of-birth'
  if (joined === 'ssn' || joined.includes('socialsecurity') || words.includes('ssn')) return 'ssn'
  if (META_SUFFIXES.has(last) && n > 1) {
    // password_hash / passwordSalt still hold credential material.
    if ((last === 'hash' || last === 'salt') && PASSWORD_WORDS.has(prev)) return 'secret'
    return VERSION_WORDS.has(last) ? 'version' : 'none'
  }
  for (const w of words) if (VERSION_WORDS.has(w)) return 'version'
  if (PASSWORD_WORDS.has(last) || PASSWORD_WORDS.has(joined) || (PASSWORD_WORDS.has(prev) && n === 2)) {
    return 'password'
  }
  if (last === 'key' && KEY_QUALIFIERS.has(prev)) return 'secret'
  if (SECRET_WORDS.has(joined) || SECRET_WORDS.has(last)) {
    return HARMLESS_QUALIFIERS.has(prev) || HARMLESS_QUALIFIERS.has(words[0] as string) ? 'none' : 'secret'
  }
  if (last === 'id' && prev === 'session') return 'secret'
  if (PHONE_WORDS.has(last) || PHONE_WORDS.has(joined) || (last === 'number' && PHONE_WORDS.has(prev))) return 'phone'
  if (IP_WORDS.has(joined) || IP_WORDS.has(last) || (last === 'address' && prev === 'ip')) return 'ip'
  return 'none'
}

const cache = new Map<string, KeyClass>()

/**
 * What a field name says about its value. Memoised: the same few hundred keys repeat on every
 * body, so after warm-up this is one map lookup. The memo is bounded (cleared when full).
 */
export function keyClassOf(key: string): KeyClass {
  const hit = cache.get(key)
  if (hit !== undefined) return hit
  const cls = key.length > MAX_KEY_CHARS ? 'none' : classifyWords(keyWords(key))
  if (cache.size >= CACHE_CAP) cache.clear()
  cache.set(key, cls)
  return cls
}
