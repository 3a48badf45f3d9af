// Matching observed endpoints (method + path key) to documented operations. Precedence follows the
// OpenAPI rule that concrete paths match before templated ones: fewer template parameters win, then
// a literal earlier in the path, then the longer server prefix. Parameter names never matter, and an
// observed placeholder ({int}, {uuid}) matches any documented parameter, never a literal.
import { answeredOnlyNotFound, isPrefixSegment, type PathPins, placeholderClass } from '../infer/index.js'
import type { SpecModel, SpecOperation } from '../spec/index.js'
import { OVERFLOW_PATH_KEY } from '../store/index.js'
import type { Inventory, ObservedEndpoint } from '../store/inventory.js'
import { endpointKey, inferredPaths } from './inferred-paths.js'
import type { DiffOptions, EndpointMatch } from '../finding/index.js'

interface Template {
  template: string
  prefix: string
  segments: string[]
  /** per segment: 0 literal, 1 whole-segment parameter, 2 mixed (literal text around parameters) */
  kinds: number[]
  params: number
  operations: SpecOperation[]
}

const segmentsOf = (path: string): string[] => {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path
  return trimmed === '/' || trimmed === '' ? [] : trimmed.slice(1).split('/')
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

function kindOf(segment: string): number {
  if (!segment.includes('{')) return 0
  return /^\{[^{}]*\}$/.test(segment) ? 1 : 2
}

// Mixed segments such as `{name}.json` or `report-{id}.pdf`: the literal pieces in order.
function mixedMatches(doc: string, observed: string): boolean {
  const pieces = doc.split(/\{[^{}]*\}/)
  let at = 0
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i] as string
    if (i === 0) {
      if (!observed.startsWith(piece)) return false
      at = piece.length
    } else if (i === pieces.length - 1) {
      if (observed.length - piece.length < at || !observed.endsWith(piece)) return false
    } else {
      const found = observed.indexOf(piece, at)
      if (found === -1) return false
      at = found + piece.length
    }
  }
  return true
}

/** The one raw value seen at a placeholder segment, when only one was ever seen (from the store's sample). */
type SoleValue = (index: number) => string | undefined

function segmentMatches(doc: string, kind: number, observed: string, sole?: string): boolean {
  const placeholder = placeholderClass(observed) !== undefined
  if (kind === 1) return observed !== ''
  if (kind === 2) return placeholder || mixedMatches(decode(doc), decode(observed))
  // A documented literal that capture turned into a placeholder (/reports/2024 -> /reports/{int})
  // matches only when that literal is the one value ever seen there.
  if (placeholder) return sole !== undefined && decode(doc) === decode(sole)
  return decode(doc) === decode(observed)
}

function soleValues(endpoint: ObservedEndpoint): SoleValue {
  return (index) => {
    const sample = endpoint.segments.find((s) => s.index === index)
    return sample !== undefined && sample.distinct === 1 && sample.values.length === 1 ? sample.values[0] : undefined
  }
}

/** Negative when a is the better (more specific) match. */
function compareTemplates(a: Template, b: Template): number {
  if (a.params !== b.params) return a.params - b.params
  for (let i = 0; i < Math.min(a.kinds.length, b.kinds.length); i++) {
    const d = (a.kinds[i] === 0 ? 0 : 1) - (b.kinds[i] === 0 ? 0 : 1)
    if (d !== 0) return d
  }
  return b.prefix.length - a.prefix.length
}

function buildTemplates(spec: SpecModel): Template[] {
  const byKey = new Map<string, Template>()
  for (const op of spec.operations) {
    for (const prefix of op.prefixes) {
      const key = `${prefix} ${op.template}`
      let t = byKey.get(key)
      if (t === undefined) {
        const segments = segmentsOf(op.template)
        const kinds = segments.map(kindOf)
        t = {
          template: op.template,
          prefix,
          segments,
          kinds,
          params: kinds.filter((k) => k !== 0).length,
          operations: [],
        }
        byKey.set(key, t)
      }
      t.operations.push(op)
    }
  }
  return [...byKey.values()]
}

function stripPrefix(pathKey: string, prefix: string): string | undefined {
  if (prefix === '') return pathKey
  if (pathKey === prefix) return '/'
  return pathKey.startsWith(`${prefix}/`) ? pathKey.slice(prefix.length) : undefined
}

function matchesTemplate(t: Template, observed: string[], sole: SoleValue, offset: number): boolean {
  if (t.segments.length !== observed.length) return false
  for (let i = 0; i < observed.length; i++) {
    const kind = t.kinds[i] as number
    const value = kind === 0 ? sole(i + offset) : undefined
    if (!segmentMatches(t.segments[i] as string, kind, observed[i] as string, value)) return false
  }
  return true
}

// HEAD is GET without a body (RFC 9110 §9.3.2); OPTIONS on a documented path is a CORS preflight.
function operationFor(t: Template, method: string): SpecOperation | undefined {
  const exact = t.operations.find((o) => o.method === method)
  if (exact !== undefined) return exact
  if (method === 'HEAD') return t.operations.find((o) => o.method === 'GET')
  return undefined
}

const VERSION = /^v([0-9]{1,4})(?:[.]([0-9]{1,4}))?$/i

function versionOf(segment: string): number | undefined {
  const m = VERSION.exec(segment)
  if (m === null) return undefined
  return Number(m[1]) * 10_000 + Number(m[2] ?? 0)
}

// Names of prefixes that are back-offices or internals even with a single operation under them.
const ADMIN_LIKE =
  /^(_.*|admin.*|internal|private|debug|actuator|management|manage|ops|backoffice|back-office|console|system|sys|staff|root|superuser|console)$/i

/** True when a path segment names an administrative or internal area. */
export const isAdminLike = (segment: string): boolean => segment.length <= 40 && ADMIN_LIKE.test(segment)

/** The service part of a relative path: its first literal segment (after a version or API word). */
export function serviceKeyOf(relativePath: string): string | undefined {
  const segs = segmentsOf(relativePath)
  const out: string[] = []
  for (const s of segs) {
    if (placeholderClass(s) !== undefined || s.includes('{')) return undefined
    out.push(s)
    if (!isPrefixSegment(s)) return `/${out.join('/')}`
  }
  return undefined
}

/**
 * Matches every observed endpoint to the documented operations, and names the undocumented paths
 * as inference does (`pins`: the configured `paths.templates` and `paths.literals`). Pure.
 */
export function matchEndpoints(
  inventory: Inventory,
  spec: SpecModel,
  options: DiffOptions,
  pins?: PathPins,
): EndpointMatch[] {
  const templates = buildTemplates(spec)
  const prefixes = spec.prefixes.length > 0 ? spec.prefixes : ['']
  const matches: EndpointMatch[] = inventory.endpoints.map((endpoint) => matchOne(endpoint, templates, prefixes))
  for (const m of matches) {
    if (m.kind !== 'documented' && m.overflow !== true && answeredOnlyNotFound(m.endpoint)) m.notFound = true
  }
  const undocumented = matches.filter(
    (m) => m.kind === 'path-undocumented' && m.overflow !== true && m.notFound !== true,
  )
  if (undocumented.length > 0) {
    const names = inferredPaths(inventory, spec, pins)
    for (const m of undocumented) {
      const name = names.get(endpointKey(m.endpoint))
      if (name !== undefined) m.inferredPath = name
    }
  }
  markSuperseded(matches, templates)
  markServices(matches, templates, options)
  return matches
}

function matchOne(endpoint: ObservedEndpoint, templates: Template[], prefixes: string[]): EndpointMatch {
  if (endpoint.pathKey === OVERFLOW_PATH_KEY) {
    return {
      endpoint,
      kind: 'path-undocumented',
      pathOperations: [],
      prefix: '',
      relativePath: endpoint.pathKey,
      overflow: true,
    }
  }
  const method = endpoint.method.toUpperCase()
  let bestWithMethod: { t: Template; op: SpecOperation; rel: string } | undefined
  let bestPath: { t: Template; rel: string } | undefined
  const sole = soleValues(endpoint)
  for (const t of templates) {
    const rel = stripPrefix(endpoint.pathKey, t.prefix)
    if (rel === undefined || !matchesTemplate(t, segmentsOf(rel), sole, segmentsOf(t.prefix).length)) continue
    const op = operationFor(t, method)
    if (op !== undefined && (bestWithMethod === undefined || compareTemplates(t, bestWithMethod.t) < 0)) {
      bestWithMethod = { t, op, rel }
    }
    if (bestPath === undefined || compareTemplates(t, bestPath.t) < 0) bestPath = { t, rel }
  }
  if (bestWithMethod !== undefined) {
    return {
      endpoint,
      kind: 'documented',
      operation: bestWithMethod.op,
      pathOperations: bestWithMethod.t.operations,
      prefix: bestWithMethod.t.prefix,
      relativePath: bestWithMethod.rel,
    }
  }
  if (bestPath !== undefined) {
    // A preflight to a documented path is part of serving it, not a hidden operation.
    if (method === 'OPTIONS') {
      return {
        endpoint,
        kind: 'documented',
        pathOperations: bestPath.t.operations,
        prefix: bestPath.t.prefix,
        relativePath: bestPath.rel,
      }
    }
    return {
      endpoint,
      kind: 'method-undocumented',
      pathOperations: bestPath.t.operations,
      prefix: bestPath.t.prefix,
      relativePath: bestPath.rel,
    }
  }
  const prefix = prefixes.find((p) => p !== '' && stripPrefix(endpoint.pathKey, p) !== undefined) ?? ''
  return {
    endpoint,
    kind: 'path-undocumented',
    pathOperations: [],
    prefix,
    relativePath: stripPrefix(endpoint.pathKey, prefix) ?? endpoint.pathKey,
  }
}

// /v1/users/{int} is superseded when /v2/users/{id} (same method) is documented: same segments
// except one version segment, where the documented one is newer.
function markSuperseded(matches: EndpointMatch[], templates: Template[]): void {
  for (const m of matches) {
    if (m.kind === 'method-undocumented' || m.overflow === true || m.notFound === true) continue
    if (m.kind === 'documented' && m.operation === undefined) continue
    const observed = segmentsOf(m.endpoint.pathKey)
    const method = m.endpoint.method.toUpperCase()
    const vIndex = observed.findIndex((s) => versionOf(s) !== undefined)
    if (vIndex === -1) continue
    const oldVersion = versionOf(observed[vIndex] as string) as number
    let best: { op: SpecOperation; version: number } | undefined
    for (const t of templates) {
      const op = operationFor(t, method)
      if (op === undefined) continue
      const full = [...segmentsOf(t.prefix), ...t.segments]
      const kinds = [...segmentsOf(t.prefix).map(kindOf), ...t.kinds]
      if (full.length !== observed.length) continue
      const newVersion = versionOf(full[vIndex] as string)
      if (newVersion === undefined || newVersion <= oldVersion) continue
      let same = true
      for (let i = 0; i < observed.length && same; i++) {
        if (i !== vIndex) same = segmentMatches(full[i] as string, kinds[i] as number, observed[i] as string)
      }
      if (same && (best === undefined || newVersion > best.version)) best = { op, version: newVersion }
    }
    if (best !== undefined) m.supersededBy = best.op
  }
}

function markServices(matches: EndpointMatch[], templates: Template[], options: DiffOptions): void {
  const documented = new Set<string>()
  for (const t of templates) {
    const key = serviceKeyOf(t.template)
    if (key !== undefined) documented.add(`${t.prefix}${key}`.toLowerCase())
    // A parameter in the first place (/{tenant}/...) could be any prefix: nothing is "undocumented service".
    if (t.kinds[0] !== 0) documented.add('*')
  }
  const groups = new Map<string, EndpointMatch[]>()
  for (const m of matches) {
    if (m.kind !== 'path-undocumented' || m.supersededBy !== undefined || m.notFound === true) continue
    const key = serviceKeyOf(m.relativePath)
    if (key === undefined) continue
    const full = `${m.prefix}${key}`
    if (documented.has(full.toLowerCase()) || documented.has('*')) continue
    groups.set(full, [...(groups.get(full) ?? []), m])
  }
  for (const [full, members] of groups) {
    const last = full.slice(full.lastIndexOf('/') + 1)
    // Operations as inference names them: /x/{int} and /x/{uuid} can be one operation.
    const operations = new Set(
      members.map((m) => `${m.endpoint.method.toUpperCase()} ${m.inferredPath ?? m.endpoint.pathKey}`),
    )
    if (operations.size >= options.minServiceOperations || isAdminLike(last)) {
      for (const m of members) m.service = full
    }
  }
}
