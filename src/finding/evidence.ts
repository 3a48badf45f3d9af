// Helpers every rule shares (diff's and security's): which exchanges count, evidence from them,
// the documented response and media entry of an exchange, the path a finding names, and a
// finding with its rule's id, severity and why filled in.
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

function withExtra(out: Evidence, extra: EvidenceExtra): Evidence {
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v
  return out
}

/**
 * Requests and first/last seen over some exchanges. With a count of another unit (values), the
 * requests behind it are kept beside it.
 */
export function evidenceOf(exchanges: readonly ObservedExchange[], extra: EvidenceExtra = {}): Evidence {
  let requests = 0
  let first = Number.POSITIVE_INFINITY
  let last = 0
  for (const e of exchanges) {
    requests += e.count
    first = Math.min(first, e.firstSeenMs)
    last = Math.max(last, e.lastSeenMs)
  }
  const unit = extra.unit ?? 'requests'
  return withExtra(
    {
      count: extra.count ?? requests,
      unit,
      ...(unit === 'requests' ? {} : { requests }),
      firstSeenMs: Number.isFinite(first) ? first : 0,
      lastSeenMs: last,
    },
    extra,
  )
}

/** Evidence for a whole endpoint: its requests. */
export const endpointEvidence = (e: ObservedEndpoint, extra: EvidenceExtra = {}): Evidence =>
  withExtra({ count: e.count, unit: 'requests', firstSeenMs: e.firstSeenMs, lastSeenMs: e.lastSeenMs }, extra)

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

/**
 * The path a finding names: the documented template when matched, else the template inference
 * gives the undocumented path (as `specter infer` writes it), else the observed path key.
 */
export function findingPath(m: EndpointMatch): string {
  if (m.operation !== undefined) return m.operation.template
  if (m.kind === 'method-undocumented' && m.pathOperations[0] !== undefined) return m.pathOperations[0].template
  return m.inferredPath ?? m.endpoint.pathKey
}

/** A finding with the rule's id, severity and why filled in. */
export function findingOf(
  rule: Pick<Rule, 'id' | 'severity' | 'why'>,
  fields: Omit<Finding, 'rule' | 'severity' | 'why'> & Partial<Pick<Finding, 'severity'>>,
): Finding {
  return { rule: rule.id, severity: fields.severity ?? rule.severity, why: rule.why, ...fields } as Finding
}
