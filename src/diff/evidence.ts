// Helpers shared by the rules: evidence from exchanges, documented response/media lookup, examples.
import type { SpecMedia, SpecOperation, SpecResponse } from '../spec/index.js'
import { OVERFLOW_CONTENT_TYPE } from '../store/index.js'
import type { ObservedEndpoint, ObservedExchange } from '../store/inventory.js'
import type { Evidence, Finding } from './finding.js'
import type { EndpointMatch } from './match-types.js'
import type { Rule } from './rule.js'

/**
 * Exchanges the upstream actually answered (aborted and failed ones say nothing about the API), and
 * whose content types the store kept (beyond its cap they fold into an overflow bucket).
 */
export const answered = (e: ObservedExchange): boolean =>
  e.outcome === 'ok' &&
  e.status > 0 &&
  e.requestContentType !== OVERFLOW_CONTENT_TYPE &&
  e.responseContentType !== OVERFLOW_CONTENT_TYPE

/** 2xx exchanges: the only ones request-side rules look at (a 4xx to a malformed request is not drift). */
export const succeeded = (e: ObservedExchange): boolean => answered(e) && e.status >= 200 && e.status < 300

/** Optional evidence fields; undefined ones are left out. */
export type EvidenceExtra = { [K in keyof Evidence]?: Evidence[K] | undefined }

/** Count and first/last seen over some exchanges. */
export function evidenceOf(exchanges: readonly ObservedExchange[], extra: EvidenceExtra = {}): Evidence {
  let count = 0
  let first = Number.POSITIVE_INFINITY
  let last = 0
  for (const e of exchanges) {
    count += e.count
    first = Math.min(first, e.firstSeenMs)
    last = Math.max(last, e.lastSeenMs)
  }
  const out: Evidence = { count, firstSeenMs: Number.isFinite(first) ? first : 0, lastSeenMs: last }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v
  return out
}

/** Evidence for a whole endpoint. */
export const endpointEvidence = (e: ObservedEndpoint, extra: EvidenceExtra = {}): Evidence => ({
  count: e.count,
  firstSeenMs: e.firstSeenMs,
  lastSeenMs: e.lastSeenMs,
  ...(Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined)) as Partial<Evidence>),
})

/** The documented response for a status: exact code, then its range (2XX), then default. */
export function responseFor(op: SpecOperation, status: number): SpecResponse | undefined {
  const code = String(status)
  return (
    op.responses.find((r) => r.status === code) ??
    op.responses.find((r) => r.status === `${code[0]}XX`) ??
    op.responses.find((r) => r.status === 'default')
  )
}

/** The documented media entry for a content type: exact, then type/*, then *\/*. */
export function mediaFor(list: readonly SpecMedia[], contentType: string): SpecMedia | undefined {
  const ct = contentType.toLowerCase()
  const major = ct.slice(0, ct.indexOf('/') + 1)
  return (
    list.find((m) => m.mediaType === ct) ??
    list.find((m) => major !== '' && m.mediaType === `${major}*`) ??
    list.find((m) => m.mediaType === '*/*')
  )
}

/** JSON media types: application/json and any +json suffix (RFC 6839). */
export const isJsonMedia = (ct: string): boolean => ct === 'application/json' || ct.endsWith('+json')

/** Form media types, whose fields are names with string values. */
export const isFormMedia = (ct: string): boolean =>
  ct === 'application/x-www-form-urlencoded' || ct === 'multipart/form-data'

const MAX_EXAMPLE_CHARS = 200

/**
 * A bounded excerpt of an (already redacted) example body at a body path; '0' steps into the first
 * array item and '*' into the first property. Undefined when there is no such example.
 */
export function exampleAt(
  endpoint: ObservedEndpoint,
  side: 'request' | 'response',
  status: ((s: number) => boolean) | undefined,
  tokens: readonly string[],
): string | undefined {
  for (const ex of endpoint.examples) {
    if (status !== undefined && !status(ex.status)) continue
    const text = ex[side]
    if (text === undefined) continue
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      continue
    }
    let ok = true
    for (const t of tokens) {
      if (Array.isArray(value)) value = value[0]
      else if (value !== null && typeof value === 'object') {
        const o = value as Record<string, unknown>
        value = t === '*' ? o[Object.keys(o)[0] ?? ''] : Object.hasOwn(o, t) ? o[t] : undefined
      } else value = undefined
      if (value === undefined) {
        ok = false
        break
      }
    }
    if (!ok) continue
    const json = JSON.stringify(value)
    return json.length > MAX_EXAMPLE_CHARS ? `${json.slice(0, MAX_EXAMPLE_CHARS)}…` : json
  }
  return undefined
}

/** The path a finding names: the documented template when matched, else the observed path key. */
export function findingPath(m: EndpointMatch): string {
  if (m.operation !== undefined) return m.operation.template
  if (m.kind === 'method-undocumented' && m.pathOperations[0] !== undefined) return m.pathOperations[0].template
  return m.endpoint.pathKey
}

/** A finding with the rule's id, severity and why filled in. */
export function findingOf(
  rule: Pick<Rule, 'id' | 'severity' | 'why'>,
  fields: Omit<Finding, 'rule' | 'severity' | 'why'> & Partial<Pick<Finding, 'severity'>>,
): Finding {
  return { rule: rule.id, severity: fields.severity ?? rule.severity, why: rule.why, ...fields } as Finding
}

/** A JSON pointer into the spec for an operation ('/paths/~1users~1{id}/get'). */
export const operationPointer = (op: SpecOperation): string => op.location.pointer
