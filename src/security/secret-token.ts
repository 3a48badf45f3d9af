// Credentials recognisable by their own format, whatever the field is called: cloud and SaaS
// access keys with vendor prefixes, PEM private keys, and password hashes (crypt formats).
// Every pattern is anchored with single quantifiers over disjoint character classes.

export type SecretKind = 'access-key' | 'private-key' | 'password-hash'

const MAX_CHARS = 4096
const MAX_PEM_CHARS = 65_536

// AWS access key ids (AKIA long-term, ASIA temporary, others for roles, users, certificates).
const AWS_KEY_ID = /^(AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA)[A-Z2-7]{16}$/
const GCP_API_KEY = /^AIza[0-9A-Za-z_-]{35}$/
const GITHUB_TOKEN = /^gh[opsur]_[A-Za-z0-9]{36,251}$/
const GITHUB_PAT = /^github_pat_[A-Za-z0-9_]{22,251}$/
const SLACK_TOKEN = /^xox[abeoprs]-[A-Za-z0-9-]{10,250}$/
const STRIPE_KEY = /^(sk|rk)_(live|test)_[A-Za-z0-9]{16,247}$/
const GITLAB_PAT = /^glpat-[A-Za-z0-9_-]{20,64}$/

// bcrypt ($2a$, $2b$, $2x$, $2y$): cost, then 22 salt and 31 hash characters.
const BCRYPT = /^\$2[abxy]?\$[0-9]{2}\$[./A-Za-z0-9]{53}$/
// PHC string format for argon2: $argon2id$v=19$m=65536,t=3,p=4$salt$hash
const ARGON2 =
  /^\$argon2(id|i|d)\$(v=[0-9]{1,4}\$)?m=[0-9]{1,10},t=[0-9]{1,10},p=[0-9]{1,4}\$[A-Za-z0-9+/]{8,128}\$[A-Za-z0-9+/]{16,256}$/
// SHA-crypt ($5$ SHA-256, $6$ SHA-512) and MD5-crypt ($1$).
const SHA_CRYPT = /^\$[56]\$(rounds=[0-9]{1,9}\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{43,86}$/
const MD5_CRYPT = /^\$1\$[./A-Za-z0-9]{1,8}\$[./A-Za-z0-9]{22}$/
// scrypt in PHC form and Django's pbkdf2_<digest>$iterations$salt$hash.
const SCRYPT = /^\$scrypt\$[a-z0-9=,$./+]{8,200}$/i
const PBKDF2 = /^pbkdf2_sha(1|256|512)\$[0-9]{1,8}\$[A-Za-z0-9./+]{1,64}\$[A-Za-z0-9+/=]{20,128}$/

/** True for a PEM private key block (PKCS#1, PKCS#8, EC, OpenSSH, encrypted). */
export function isPrivateKey(value: string): boolean {
  if (value.length > MAX_PEM_CHARS) return false
  let start = 0
  // Tolerate leading whitespace (keys pasted into JSON often start with a newline).
  while (start < value.length && start < 8 && value.charCodeAt(start) <= 32) start++
  if (!value.startsWith('-----BEGIN ', start)) return false
  // The label is short: look for its closing dashes in the first line only.
  const end = value.slice(0, start + 80).indexOf('-----', start + 11)
  if (end < 0 || end - start > 64) return false
  return value.slice(start + 11, end).endsWith('PRIVATE KEY')
}

/** True for a password hash in one of the crypt formats. */
export function isPasswordHash(value: string): boolean {
  const len = value.length
  if (len < 20 || len > 512) return false
  const c = value.charCodeAt(0)
  if (c === 112 /* p */) return PBKDF2.test(value)
  if (c !== 36 /* $ */) return false
  switch (value.charCodeAt(1)) {
    case 50 /* 2 */:
      return BCRYPT.test(value)
    case 97 /* a */:
      return ARGON2.test(value)
    case 53 /* 5 */:
    case 54 /* 6 */:
      return SHA_CRYPT.test(value)
    case 49 /* 1 */:
      return MD5_CRYPT.test(value)
    case 115 /* s */:
      return SCRYPT.test(value)
    default:
      return false
  }
}

/** True for a vendor access key or token (AWS, GCP, GitHub, GitLab, Slack, Stripe). */
export function isAccessKey(value: string): boolean {
  const len = value.length
  if (len < 20 || len > MAX_CHARS) return false
  switch (value.charCodeAt(0)) {
    case 65 /* A */:
      return (len === 20 && AWS_KEY_ID.test(value)) || (len === 39 && GCP_API_KEY.test(value))
    case 103 /* g */:
      return GITHUB_TOKEN.test(value) || GITHUB_PAT.test(value) || GITLAB_PAT.test(value)
    case 120 /* x */:
      return SLACK_TOKEN.test(value)
    case 114 /* r */:
    case 115 /* s */:
      return STRIPE_KEY.test(value)
    default:
      return false
  }
}

/** The kind of credential `value` is by its format alone, or undefined. */
export function secretKindOf(value: string): SecretKind | undefined {
  const c = value.charCodeAt(0)
  if (c === 36 /* $ */ || c === 112 /* p */) return isPasswordHash(value) ? 'password-hash' : undefined
  if (c === 45 /* - */ || c <= 32) return isPrivateKey(value) ? 'private-key' : undefined
  return isAccessKey(value) ? 'access-key' : undefined
}
