// Tagged response fields per observed endpoint, grouped by status and content type: the input of
// sensitive-data-in-response and secret-in-response.
import {
  bodyPathText,
  type EndpointMatch,
  evidenceOf,
  type Finding,
  findingOf,
  findingPath,
  type Rule,
  type Severity,
} from '../finding/index.js'
import { mergeShapes, type Shape } from '../infer/index.js'
import type { ObservedEndpoint, ObservedExchange } from '../store/inventory.js'
import { PERSONAL_CATEGORIES, SECRET_CATEGORIES } from './sensitive-category.js'
import { keyClassOf } from './sensitive-key.js'
import { escapeToken } from '../spec/index.js'
import { type TaggedField, taggedFields } from './tagged-fields.js'

/** Credentials whose format proves what they are: never expected in a response. */
export const PROVEN_SECRETS: ReadonlySet<string> = new Set(['private-key', 'access-key', 'password-hash', 'password'])

export interface ResponseExposure {
  status: number
  contentType: string
  exchanges: ObservedExchange[]
  field: TaggedField
  /** some of these responses answered requests without credentials */
  unauthenticated: boolean
}

/** Tagged fields in the endpoint's answered responses, one entry per (status, content type, field). */
export function responseExposures(endpoint: ObservedEndpoint): ResponseExposure[] {
  const groups = new Map<string, { status: number; contentType: string; shape: Shape; exchanges: ObservedExchange[] }>()
  for (const e of endpoint.exchanges) {
    if (e.outcome !== 'ok' || e.status === 0 || e.responseBody === undefined) continue
    const key = `${e.status} ${e.responseContentType}`
    const g = groups.get(key)
    if (g === undefined) {
      groups.set(key, { status: e.status, contentType: e.responseContentType, shape: e.responseBody, exchanges: [e] })
    } else {
      g.shape = mergeShapes(g.shape, e.responseBody)
      g.exchanges.push(e)
    }
  }
  const out: ResponseExposure[] = []
  for (const g of [...groups.values()].sort(
    (a, b) => a.status - b.status || (a.contentType < b.contentType ? -1 : 1),
  )) {
    const unauthenticated = g.exchanges.some((e) => (e.auth['none'] ?? 0) > 0 && e.status >= 200 && e.status < 300)
    for (const field of taggedFields(g.shape)) {
      out.push({ status: g.status, contentType: g.contentType, exchanges: g.exchanges, field, unauthenticated })
    }
  }
  return out
}

/**
 * The credential categories of a field worth reporting, most frequent first. A 'secret' tag
 * counts only when the field name says so by the classifier's own rules (the capture also tags
 * 'secret' by a broad name guard: `author`, `cardinality`); tokens and secrets count nowhere on
 * endpoints that issue them (sign-in, token).
 */
export function secretCategories(field: TaggedField, issuesTokens: boolean): Array<[string, number]> {
  const name = field.tokens[field.tokens.length - 1] ?? ''
  return Object.entries(field.tags)
    .filter(([c, n]) => {
      if (n <= 0 || !SECRET_CATEGORIES.has(c)) return false
      if (PROVEN_SECRETS.has(c)) return true
      if (issuesTokens) return false
      return c !== 'secret' || ['secret', 'password'].includes(keyClassOf(name))
    })
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
}

/** The personal-data categories of a field, most frequent first. */
export function personalCategories(field: TaggedField): Array<[string, number]> {
  return Object.entries(field.tags)
    .filter(([c, n]) => n > 0 && PERSONAL_CATEGORIES.has(c))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
}

/** The finding for a response field carrying the given data categories (secret and personal data rules). */
export function exposureFinding(
  rule: Pick<Rule, 'id' | 'severity' | 'why'>,
  m: EndpointMatch,
  x: ResponseExposure,
  categories: ReadonlyArray<[string, number]>,
  severity: Severity,
  more: { documented?: string; details?: Record<string, string | number | boolean> } = {},
): Finding {
  const names = categories.map(([c]) => c)
  const matched = categories.reduce((s, [, n]) => s + n, 0)
  const bodyPath = x.field.bodyPath
  return findingOf(rule, {
    severity,
    method: m.endpoint.method.toUpperCase(),
    path: findingPath(m),
    pointer: `/responses/${x.status}/content/${escapeToken(x.contentType)}/schema${x.field.schemaPath}`,
    title: `response ${x.status} returns ${names.join(', ')} in ${bodyPathText(bodyPath)}`,
    evidence: evidenceOf(x.exchanges, {
      count: matched,
      unit: 'values',
      observed: `${names.join(', ')} in ${matched} of ${x.field.strings} values`,
      ...(more.documented === undefined ? {} : { documented: more.documented }),
      details: {
        categories: names.join(','),
        matched,
        values: x.field.strings,
        status: String(x.status),
        bodyPath,
        unauthenticated: x.unauthenticated,
        ...more.details,
      },
    }),
  })
}
