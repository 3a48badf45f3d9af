// Redacted example bodies for reports: the structure of one real body with every value
// replaced by a placeholder of its kind ("<email>", "<string>", "<date-time>"). Keys stay
// (capped: they are attacker-controlled), arrays show three items, the text is bounded.
// Written into a character budget with a depth cap, so no input can make it deep, long or slow.
import { classifySegment, stringFormat } from '../infer/index.js'
import { isSecretField } from './secret-names.js'
import { looksLikeToken } from './value-classify.js'

const MAX_DEPTH = 8
const MAX_ITEMS = 3
const MAX_KEYS = 24
const MAX_KEY_LENGTH = 48
const SMALL_INT = 9999

export interface RedactOptions {
  maxChars: number
  classify: (key: string | undefined, value: string) => string | undefined
}

function placeholder(kind: string): string {
  return JSON.stringify(`<${kind}>`)
}

function redactKey(key: string): string {
  const f = stringFormat(key)
  if (f !== undefined) return `<${f}>`
  const cls = key.length > 0 ? classifySegment(key) : undefined
  // 'alnum' and 'str' also catch ordinary names (`key10`, `line2`); identifiers and tokens do not.
  if (cls !== undefined && cls !== 'alnum' && cls !== 'str') return `<${cls}>`
  if (looksLikeToken(key)) return '<token>'
  return key.length > MAX_KEY_LENGTH ? `${key.slice(0, MAX_KEY_LENGTH)}…` : key
}

function scalar(value: unknown, key: string | undefined, options: RedactOptions): string {
  const secret = key !== undefined && isSecretField(key)
  switch (typeof value) {
    case 'boolean':
      return secret ? placeholder('boolean') : String(value)
    case 'number':
      if (!secret && Number.isInteger(value) && Math.abs(value) <= SMALL_INT) return String(value)
      return placeholder(Number.isInteger(value) ? 'integer' : 'number')
    case 'bigint':
      return placeholder('integer')
    case 'string': {
      if (secret) return placeholder('secret')
      const tag = options.classify(key, value)
      if (tag !== undefined) return placeholder(tag)
      if (looksLikeToken(value)) return placeholder('token')
      return placeholder(stringFormat(value) ?? 'string')
    }
    default:
      return value === null ? 'null' : placeholder('value')
  }
}

/**
 * Redacted JSON text of a parsed body, at most about `maxChars` characters; always valid
 * JSON. Containers past the depth cap or the budget become `"<…>"`.
 */
export function redactExample(value: unknown, options: RedactOptions): string {
  const budget = { left: options.maxChars }
  return write(value, undefined, 0, options, budget)
}

function write(
  value: unknown,
  key: string | undefined,
  depth: number,
  options: RedactOptions,
  budget: { left: number },
): string {
  if (value === null || typeof value !== 'object') {
    const s = scalar(value, key, options)
    budget.left -= s.length
    return s
  }
  if (depth >= MAX_DEPTH || budget.left <= 0) {
    budget.left -= 5
    return placeholder('…')
  }
  if (Array.isArray(value)) {
    const parts: string[] = []
    const take = Math.min(value.length, MAX_ITEMS)
    budget.left -= 2
    for (let i = 0; i < take && budget.left > 0; i++) parts.push(write(value[i], key, depth + 1, options, budget))
    return `[${parts.join(',')}]`
  }
  const parts: string[] = []
  const seen = new Set<string>()
  budget.left -= 2
  const keys = Object.keys(value)
  for (let i = 0; i < keys.length && parts.length < MAX_KEYS && budget.left > 0; i++) {
    const k = keys[i] as string
    const shown = redactKey(k)
    // Map-like objects (ids as keys) collapse to one entry per placeholder.
    if (seen.has(shown)) continue
    seen.add(shown)
    const name = JSON.stringify(shown)
    budget.left -= name.length + 2
    parts.push(`${name}:${write((value as Record<string, unknown>)[k], k, depth + 1, options, budget)}`)
  }
  return `{${parts.join(',')}}`
}
