// Schema drift per matched operation, computed once and shared by the drift rules: observed body
// shapes are merged per documented response (or request body) and media type, then compared.
import { mergeShapes, type Shape } from '../infer/index.js'
import { escapeToken, type SpecMedia, type SpecModel, type SpecResponse } from '../spec/index.js'
import type { ObservedExchange } from '../store/inventory.js'
import { isFormMedia, isJsonMedia } from './evidence.js'
import { answered, type DiffOptions, type EndpointMatch, mediaFor, responseFor, succeeded } from '../finding/index.js'
import { compareShape, type SchemaIssue } from './schema-compare.js'

export interface DriftIssue extends SchemaIssue {
  side: 'request' | 'response'
  /** operation-relative pointer, e.g. /responses/200/content/application~1json/schema/properties/email */
  pointer: string
  /** pointer in the published spec (root document) where the documented schema is written */
  specPointer: string
  response?: SpecResponse
  media: SpecMedia
  exchanges: ObservedExchange[]
}

interface Group {
  response?: SpecResponse
  media: SpecMedia
  shape: Shape
  exchanges: ObservedExchange[]
}

const memo = new WeakMap<EndpointMatch, { response: DriftIssue[]; request: DriftIssue[] }>()

function specPointerOf(spec: SpecModel, issue: SchemaIssue, fallback: string): string {
  const loc = spec.locate(issue.node)
  if (loc === undefined || loc.source !== spec.source) return fallback
  return issue.kind === 'type-mismatch' ? loc.pointer : `${loc.pointer}/properties`
}

function analyse(
  m: EndpointMatch,
  spec: SpecModel,
  options: DiffOptions,
): { response: DriftIssue[]; request: DriftIssue[] } {
  const cached = memo.get(m)
  if (cached !== undefined) return cached
  const out = { response: [] as DriftIssue[], request: [] as DriftIssue[] }
  const op = m.operation
  if (op === undefined || m.endpoint.count < options.minDriftRequests) {
    memo.set(m, out)
    return out
  }
  const responseGroups = new Map<string, Group>()
  const requestGroups = new Map<string, Group>()
  const add = (
    groups: Map<string, Group>,
    key: string,
    g: Omit<Group, 'exchanges' | 'shape'>,
    e: ObservedExchange,
    shape: Shape,
  ) => {
    const prev = groups.get(key)
    if (prev === undefined) groups.set(key, { ...g, shape, exchanges: [e] })
    else {
      prev.shape = mergeShapes(prev.shape, shape)
      prev.exchanges.push(e)
    }
  }
  for (const e of m.endpoint.exchanges) {
    if (!answered(e)) continue
    const response = responseFor(op, e.status)
    const ct = e.responseContentType
    if (response !== undefined && e.responseBody !== undefined && isJsonMedia(ct)) {
      const media = mediaFor(response.content, ct)
      if (media?.schema !== undefined)
        add(responseGroups, `${response.status} ${media.mediaType}`, { response, media }, e, e.responseBody)
    }
    // Request side: only requests the API accepted; a 4xx to a malformed request is the client's drift.
    const rct = e.requestContentType
    if (
      succeeded(e) &&
      op.requestBody !== undefined &&
      e.requestBody !== undefined &&
      (isJsonMedia(rct) || isFormMedia(rct))
    ) {
      const media = mediaFor(op.requestBody.content, rct)
      if (media?.schema !== undefined) add(requestGroups, media.mediaType, { media }, e, e.requestBody)
    }
  }
  const opPointer = op.location.pointer
  for (const g of responseGroups.values()) {
    const base = `/responses/${escapeToken(g.response?.status ?? '')}/content/${escapeToken(g.media.mediaType)}/schema`
    for (const issue of compareShape(g.shape, g.media.schema ?? {}, {
      checkTypes: true,
      maxIssues: options.maxSchemaFindingsPerOperation,
    })) {
      const pointer = `${base}${issue.schemaPath}`
      const d: DriftIssue = {
        ...issue,
        side: 'response',
        pointer,
        specPointer: specPointerOf(spec, issue, `${opPointer}${pointer}`),
        media: g.media,
        exchanges: g.exchanges,
      }
      if (g.response !== undefined) d.response = g.response
      out.response.push(d)
    }
  }
  for (const g of requestGroups.values()) {
    const base = `/requestBody/content/${escapeToken(g.media.mediaType)}/schema`
    const checkTypes = !isFormMedia(g.media.mediaType)
    for (const issue of compareShape(g.shape, g.media.schema ?? {}, {
      checkTypes,
      maxIssues: options.maxSchemaFindingsPerOperation,
    })) {
      const pointer = `${base}${issue.schemaPath}`
      out.request.push({
        ...issue,
        side: 'request',
        pointer,
        specPointer: specPointerOf(spec, issue, `${opPointer}${pointer}`),
        media: g.media,
        exchanges: g.exchanges,
      })
    }
  }
  memo.set(m, out)
  return out
}

/** Response-body drift of a matched endpoint (empty for unmatched ones). */
export const responseDrift = (m: EndpointMatch, spec: SpecModel, options: DiffOptions): DriftIssue[] =>
  analyse(m, spec, options).response

/** Request-body drift of a matched endpoint, from 2xx exchanges only. */
export const requestDrift = (m: EndpointMatch, spec: SpecModel, options: DiffOptions): DriftIssue[] =>
  analyse(m, spec, options).request
