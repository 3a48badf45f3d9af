// The OpenAPI document rebuilt from the inventory: path templates, parameters, request bodies
// and responses per status and media type, security schemes, recurring schemas as components.
// Pure and deterministic: the same inventory and options give a byte-identical document.

import type { Inventory, ObservedEndpoint, ObservedExchange } from '../store/index.js'
import { extractComponents, type SchemaSite } from './component-schemas.js'
import { type JsonSchema, type JsonSchemaOptions, type OpenApiVersion, toJsonSchema } from './json-schema.js'
import {
  type PathPins,
  type PathTemplate,
  type TemplateParam,
  type TemplatingEndpoint,
  templatePaths,
} from './path-template.js'
import { isCredentialHeader, type SecuritySchemeObject, schemeOfFact } from './security-schemes.js'
import { placeholderClass, segmentsOf } from './segment.js'
import { mergeAll, type Shape } from './shape.js'
import { pascalCase, singularIdentifier } from './singular.js'
import { statusText } from './status-text.js'

export interface BuildOpenApiOptions {
  openapi?: OpenApiVersion
  /** the published spec's path templates, matched before inference */
  publishedTemplates?: readonly string[]
  /** user pins (config `paths.templates`, `paths.literals`) */
  pins?: PathPins
  title?: string
  /** document version (info.version); default `0.0.0-observed` */
  version?: string
  /** generation time, epoch ms; when given it is recorded (and the output then depends on it) */
  now?: number
  schema?: Omit<JsonSchemaOptions, 'openapi'>
}

export type OpenApiDocument = Record<string, unknown>

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const

// Request headers every client sends or proxies add: never "notable" parameters.
const STANDARD_HEADERS: ReadonlySet<string> = new Set([
  'accept',
  'accept-charset',
  'accept-encoding',
  'accept-language',
  'cache-control',
  'connection',
  'content-encoding',
  'content-length',
  'content-type',
  'date',
  'dnt',
  'expect',
  'forwarded',
  'host',
  'if-match',
  'if-modified-since',
  'if-none-match',
  'if-range',
  'if-unmodified-since',
  'keep-alive',
  'origin',
  'pragma',
  'priority',
  'range',
  'referer',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'upgrade-insecure-requests',
  'user-agent',
  'via',
  'x-real-ip',
  'x-request-id',
  'x-correlation-id',
  'x-amzn-trace-id',
  'traceparent',
  'tracestate',
  'baggage',
  'b3',
])
const STANDARD_HEADER_PREFIX = /^(sec-|x-forwarded-|x-b3-|cf-|x-envoy-)/

interface Operation {
  template: PathTemplate
  method: string
  endpoints: ObservedEndpoint[]
}

const SEGMENT_CLASSES: ReadonlySet<string> = new Set([
  'int',
  'uuid',
  'oid',
  'hex',
  'date',
  'email',
  'token',
  'alnum',
  'str',
])

/** A media type key (`type/subtype`); '' and the store's `{other}` overflow bucket are not. */
function isMediaType(type: string): boolean {
  return type.length > 2 && type.length <= 255 && !type.startsWith('{') && type.includes('/')
}

function iso(ms: number): string {
  return new Date(ms).toISOString()
}

function is2xx(x: ObservedExchange): boolean {
  return x.status >= 200 && x.status < 300
}

function sortedKeys(record: object): string[] {
  return Object.keys(record).sort()
}

function successShape(e: ObservedEndpoint): Shape | undefined {
  const ok = e.exchanges.filter((x) => is2xx(x) && x.responseBody !== undefined)
  return mergeAll(ok.map((x) => x.responseBody as Shape))
}

function operationId(method: string, template: string, used: Set<string>): string {
  const words = template
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => pascalCase(s.replace(/[{}]/g, ' ')))
  const base = `${method.toLowerCase()}${words.join('') || 'Root'}`
  let id = base
  for (let k = 2; used.has(id); k++) id = `${base}${k}`
  used.add(id)
  return id
}

/** A name for the resource a template serves: its last literal segment, singular (`/users/{userId}` -> `User`). */
function resourceName(template: string): string {
  const literal = template
    .split('/')
    .filter((s) => s.length > 0 && !s.includes('{'))
    .pop()
  return pascalCase(singularIdentifier(literal ?? '')) || 'Root'
}

function paramSchema(p: TemplateParam): JsonSchema {
  const s: JsonSchema = { type: p.type }
  if (p.format !== undefined) s['format'] = p.format
  return s
}

/**
 * True when every answer the upstream gave was 404 (at least one; aborted and failed exchanges
 * carry no answer): a path that does not exist, asked for by a scanner or a stale client. 401, 403
 * and 405 are not in this set: they prove the path exists (RFC 9110 §15.5.2, §15.5.4, §15.5.6).
 */
export function answeredOnlyNotFound(e: ObservedEndpoint): boolean {
  let notFound = 0
  for (const x of e.exchanges) {
    if (x.outcome !== 'ok' || x.status <= 0) continue
    if (x.status !== 404) return false
    notFound += x.count
  }
  return notFound > 0
}

/**
 * True when a document can describe the endpoint: not a method OpenAPI has no field for, nor the
 * store's overflow bucket (a path key with a placeholder that is no segment class), nor a path
 * that only ever answered 404 (no evidence it is part of the API).
 */
export const isDescribable = (e: ObservedEndpoint): boolean =>
  !answeredOnlyNotFound(e) &&
  (METHODS as readonly string[]).includes(e.method.toLowerCase()) &&
  segmentsOf(e.pathKey).every((seg) => {
    const cls = placeholderClass(seg)
    return cls === undefined || SEGMENT_CLASSES.has(cls)
  })

/** What templating reads of an endpoint: path key, segment samples, requests, merged 2xx response shape. */
export function templatingEndpointOf(e: ObservedEndpoint): TemplatingEndpoint {
  const responseShape = successShape(e)
  return responseShape === undefined
    ? { method: e.method, pathKey: e.pathKey, segments: e.segments, count: e.count }
    : { method: e.method, pathKey: e.pathKey, segments: e.segments, count: e.count, responseShape }
}

/**
 * Builds an OpenAPI 3.1.0 (or 3.0.3) document from an inventory. Pure: no I/O, no clock.
 */
export function buildOpenApi(inventory: Inventory, options: BuildOpenApiOptions = {}): OpenApiDocument {
  const version = options.openapi ?? '3.1'
  const schemaOptions: JsonSchemaOptions = { ...options.schema, openapi: version }
  // Endpoints a document cannot describe are counted, not emitted.
  const endpoints = inventory.endpoints.filter(isDescribable)
  const notFound = inventory.endpoints.filter(answeredOnlyNotFound).length
  const skipped = inventory.endpoints.length - endpoints.length - notFound
  const templating = templatePaths(endpoints.map(templatingEndpointOf), {
    ...(options.publishedTemplates === undefined ? {} : { publishedTemplates: options.publishedTemplates }),
    ...(options.pins === undefined ? {} : { pins: options.pins }),
  })
  const templateByName = new Map(templating.templates.map((t) => [t.template, t]))
  const operations = new Map<string, Operation>()
  endpoints.forEach((e, i) => {
    const template = templateByName.get(templating.endpointTemplates[i] as string) as PathTemplate
    const method = e.method.toLowerCase()
    const key = `${template.template}\u0000${method}`
    const op = operations.get(key)
    if (op === undefined) operations.set(key, { template, method, endpoints: [e] })
    else op.endpoints.push(e)
  })

  const sites: SchemaSite[] = []
  const schemes = new Map<string, SecuritySchemeObject>()
  const usedIds = new Set<string>()
  const paths: Record<string, Record<string, unknown>> = {}
  for (const t of templating.templates) {
    const item: Record<string, unknown> = {}
    for (const method of METHODS) {
      const op = operations.get(`${t.template}\u0000${method}`)
      if (op === undefined) continue
      item[method] = buildOperation(op, version, schemaOptions, sites, schemes, usedIds)
    }
    if (Object.keys(item).length > 0) paths[t.template] = item
  }

  const components: Record<string, unknown> = {}
  const extracted = extractComponents(sites)
  if (Object.keys(extracted).length > 0) {
    const sorted: Record<string, JsonSchema> = {}
    for (const name of sortedKeys(extracted)) sorted[name] = extracted[name] as JsonSchema
    components['schemas'] = sorted
  }
  if (schemes.size > 0) {
    const sorted: Record<string, SecuritySchemeObject> = {}
    for (const id of [...schemes.keys()].sort()) sorted[id] = schemes.get(id) as SecuritySchemeObject
    components['securitySchemes'] = sorted
  }

  const totals = endpoints.reduce(
    (acc, e) => ({
      requests: acc.requests + e.count,
      first: Math.min(acc.first, e.firstSeenMs),
      last: Math.max(acc.last, e.lastSeenMs),
    }),
    { requests: 0, first: Number.POSITIVE_INFINITY, last: Number.NEGATIVE_INFINITY },
  )
  const xSpecter: Record<string, unknown> = {
    endpoints: endpoints.length,
    operations: operations.size,
    requestCount: totals.requests,
  }
  if (totals.requests > 0 && Number.isFinite(totals.first)) {
    xSpecter['firstSeen'] = iso(totals.first)
    xSpecter['lastSeen'] = iso(totals.last)
  }
  if (skipped > 0) xSpecter['undescribedEndpoints'] = skipped
  if (notFound > 0) xSpecter['notFoundEndpoints'] = notFound
  if (options.now !== undefined) xSpecter['generatedAt'] = iso(options.now)
  const overflow = sortedKeys(inventory.overflow).filter((k) => (inventory.overflow[k] ?? 0) > 0)
  if (overflow.length > 0) {
    xSpecter['overflow'] = Object.fromEntries(overflow.map((k) => [k, inventory.overflow[k]]))
  }

  const doc: OpenApiDocument = {
    openapi: version === '3.1' ? '3.1.0' : '3.0.3',
    info: {
      title: options.title ?? 'Observed API',
      version: options.version ?? '0.0.0-observed',
      description:
        'Inferred by Specter from observed traffic. Only what was observed is described; unobserved operations, fields and status codes are absent.',
    },
    paths,
  }
  if (Object.keys(components).length > 0) doc['components'] = components
  doc['x-specter'] = xSpecter
  return doc
}

function buildOperation(
  op: Operation,
  version: OpenApiVersion,
  schemaOptions: JsonSchemaOptions,
  sites: SchemaSite[],
  schemes: Map<string, SecuritySchemeObject>,
  usedIds: Set<string>,
): Record<string, unknown> {
  const exchanges = op.endpoints.flatMap((e) => e.exchanges)
  const ok = exchanges.filter(is2xx)
  const resource = resourceName(op.template.template)
  const out: Record<string, unknown> = {
    operationId: operationId(op.method, op.template.template, usedIds),
  }

  // Security: the credentials carried by successful requests (all requests when none succeeded).
  const authSource = ok.length > 0 ? ok : exchanges
  const facts = new Map<string, number>()
  for (const x of authSource) {
    for (const fact of sortedKeys(x.auth)) facts.set(fact, (facts.get(fact) ?? 0) + (x.auth[fact] ?? 0))
  }
  const requirements: Array<Record<string, string[]>> = []
  const keyNames = { query: new Set<string>(), header: new Set<string>() }
  for (const fact of [...facts.keys()].sort()) {
    if ((facts.get(fact) ?? 0) <= 0) continue
    const detected = schemeOfFact(fact)
    if (detected === undefined) continue
    schemes.set(detected.id, detected.scheme)
    requirements.push({ [detected.id]: [] })
    if (detected.scheme.in === 'query') keyNames.query.add(detected.scheme.name as string)
    if (detected.scheme.in === 'header') keyNames.header.add((detected.scheme.name as string).toLowerCase())
  }

  const parameters: Array<Record<string, unknown>> = []
  for (const p of op.template.params) {
    parameters.push({ name: p.name, in: 'path', required: true, schema: paramSchema(p) })
  }
  // Query parameters: required when present in every request.
  const query = mergeAll(exchanges.map((x) => x.query).filter((q) => q.obj !== undefined))
  if (query?.obj !== undefined) {
    for (const name of sortedKeys(query.obj.props)) {
      if (keyNames.query.has(name)) continue
      const shape = query.obj.props[name] as Shape
      parameters.push({
        name,
        in: 'query',
        required: shape.n >= query.obj.n,
        schema: toJsonSchema(shape, schemaOptions),
      })
    }
  }
  const headers = mergeAll(exchanges.map((x) => x.requestHeaders).filter((h) => h.obj !== undefined))
  if (headers?.obj !== undefined) {
    for (const raw of sortedKeys(headers.obj.props)) {
      const name = raw.toLowerCase()
      if (STANDARD_HEADERS.has(name) || STANDARD_HEADER_PREFIX.test(name)) continue
      if (keyNames.header.has(name) || isCredentialHeader(name)) continue
      const shape = headers.obj.props[raw] as Shape
      parameters.push({ name: raw, in: 'header', required: shape.n >= headers.obj.n, schema: { type: 'string' } })
    }
  }
  if (parameters.length > 0) out['parameters'] = parameters

  // Request bodies from successful exchanges only: a 400 for a malformed body says nothing.
  const bodySource = ok.length > 0 ? ok : []
  const byRequestType = new Map<string, ObservedExchange[]>()
  for (const x of bodySource) {
    if (!isMediaType(x.requestContentType) || x.requestBody === undefined) continue
    const list = byRequestType.get(x.requestContentType)
    if (list === undefined) byRequestType.set(x.requestContentType, [x])
    else list.push(x)
  }
  if (byRequestType.size > 0) {
    const content: Record<string, unknown> = {}
    for (const type of [...byRequestType.keys()].sort()) {
      const shape = mergeAll((byRequestType.get(type) as ObservedExchange[]).map((x) => x.requestBody as Shape))
      const media: Record<string, unknown> = { schema: toJsonSchema(shape as Shape, schemaOptions) }
      content[type] = media
      sites.push({
        schema: media['schema'] as JsonSchema,
        hint: `${resource}Request`,
        rank: 1,
        replace: (next) => {
          media['schema'] = next
        },
      })
    }
    const withoutBody = bodySource.reduce((n, x) => n + (x.requestKinds['none'] ?? 0), 0)
    out['requestBody'] = { required: withoutBody === 0, content }
  }

  // Responses per status code and media type.
  const byStatus = new Map<number, Map<string, ObservedExchange[]>>()
  for (const x of exchanges) {
    if (x.status < 100 || x.status > 599) continue
    let byType = byStatus.get(x.status)
    if (byType === undefined) {
      byType = new Map()
      byStatus.set(x.status, byType)
    }
    const list = byType.get(x.responseContentType)
    if (list === undefined) byType.set(x.responseContentType, [x])
    else list.push(x)
  }
  const responses: Record<string, unknown> = {}
  for (const status of [...byStatus.keys()].sort((a, b) => a - b)) {
    const response: Record<string, unknown> = { description: statusText(status) }
    const byType = byStatus.get(status) as Map<string, ObservedExchange[]>
    const content: Record<string, unknown> = {}
    for (const type of [...byType.keys()].sort()) {
      if (!isMediaType(type)) continue
      const list = byType.get(type) as ObservedExchange[]
      const schema = responseSchema(list, type, version, schemaOptions)
      if (schema === undefined) continue
      const media: Record<string, unknown> = { schema }
      content[type] = media
      sites.push({
        schema,
        hint: status >= 200 && status < 300 ? resource : status >= 400 ? 'Error' : `${resource}${status}`,
        rank: status >= 200 && status < 300 ? 0 : 1,
        replace: (next) => {
          media['schema'] = next
        },
      })
    }
    if (Object.keys(content).length > 0) response['content'] = content
    responses[String(status)] = response
  }
  // OpenAPI requires at least one response; an operation seen only failing upstream gets `default`.
  if (Object.keys(responses).length === 0) responses['default'] = { description: 'No response was observed' }
  out['responses'] = responses
  if (requirements.length > 0) {
    const anonymous = authSource.some((x) => (x.auth['none'] ?? 0) > 0)
    out['security'] = anonymous ? [...requirements, {}] : requirements
  }

  const count = op.endpoints.reduce((n, e) => n + e.count, 0)
  const first = Math.min(...op.endpoints.map((e) => e.firstSeenMs))
  const last = Math.max(...op.endpoints.map((e) => e.lastSeenMs))
  out['x-specter'] = {
    requestCount: count,
    firstSeen: iso(first),
    lastSeen: iso(last),
    template: op.template.source,
  }
  return out
}

function responseSchema(
  list: readonly ObservedExchange[],
  mediaType: string,
  version: OpenApiVersion,
  schemaOptions: JsonSchemaOptions,
): JsonSchema | undefined {
  const bodies = list.filter((x) => x.responseBody !== undefined).map((x) => x.responseBody as Shape)
  const shape = mergeAll(bodies)
  if (shape !== undefined) return toJsonSchema(shape, schemaOptions)
  const kinds = new Set(list.flatMap((x) => Object.keys(x.responseKinds).filter((k) => (x.responseKinds[k] ?? 0) > 0)))
  if (kinds.has('binary')) {
    return version === '3.1' ? { type: 'string', contentMediaType: mediaType } : { type: 'string', format: 'binary' }
  }
  if (kinds.has('text') || kinds.has('json') || kinds.has('invalid') || kinds.has('form')) return { type: 'string' }
  return undefined
}
