// Small helpers the security rules share: the finding's path, the documented response schema of
// an exchange, and whether a documented schema lists a body path. Kept here rather than imported
// from diff internals: modules meet only through their index.
import type { EndpointMatch, Evidence, Finding, Rule, Severity } from '../diff/index.js'
import type { JsonSchema, SpecOperation } from '../spec/index.js'
import type { ObservedExchange } from '../store/inventory.js'

/** The path a finding names: the documented template when matched, else the observed path key. */
export function findingPath(m: EndpointMatch): string {
  if (m.operation !== undefined) return m.operation.template
  if (m.kind === 'method-undocumented' && m.pathOperations[0] !== undefined) return m.pathOperations[0].template
  return m.endpoint.pathKey
}

/** A finding with the rule's id and why filled in. */
export function securityFinding(
  rule: Pick<Rule, 'id' | 'severity' | 'why'>,
  fields: Omit<Finding, 'rule' | 'severity' | 'why'> & { severity?: Severity },
): Finding {
  return { ...fields, rule: rule.id, severity: fields.severity ?? rule.severity, why: rule.why }
}

/** Count and first/last seen over exchange groups. */
export function evidenceOf(exchanges: readonly ObservedExchange[], extra: Partial<Evidence> = {}): Evidence {
  let count = 0
  let first = Number.POSITIVE_INFINITY
  let last = 0
  for (const e of exchanges) {
    count += e.count
    first = Math.min(first, e.firstSeenMs)
    last = Math.max(last, e.lastSeenMs)
  }
  return { count, firstSeenMs: Number.isFinite(first) ? first : 0, lastSeenMs: last, ...extra }
}

const ORDER: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical']

/** A severity raised by `steps` levels, capped at critical. */
export function raise(severity: Severity, steps: number): Severity {
  return ORDER[Math.min(ORDER.length - 1, ORDER.indexOf(severity) + steps)] as Severity
}

/** The documented response schema for a status and content type, if any. */
export function documentedResponseSchema(
  op: SpecOperation,
  status: number,
  contentType: string,
): JsonSchema | undefined {
  const code = String(status)
  const response =
    op.responses.find((r) => r.status === code) ??
    op.responses.find((r) => r.status === `${code[0]}XX`) ??
    op.responses.find((r) => r.status === 'default')
  if (response === undefined) return undefined
  const ct = contentType.toLowerCase()
  const major = ct.slice(0, ct.indexOf('/') + 1)
  const media =
    response.content.find((m) => m.mediaType === ct) ??
    response.content.find((m) => major !== '' && m.mediaType === `${major}*`) ??
    response.content.find((m) => m.mediaType === '*/*')
  return media?.schema
}

const isObject = (v: unknown): v is JsonSchema => v !== null && typeof v === 'object' && !Array.isArray(v)
const MAX_SCHEMA_DEPTH = 24

/**
 * True when a documented schema lists the body path (`['users', '*', 'email']`; '*' is an array
 * item or a map value). Follows allOf/anyOf/oneOf; a schema that does not describe a level
 * (no properties, or a free-form object) counts as listing everything below it.
 */
export function schemaLists(schema: JsonSchema, tokens: readonly string[], depth = 0): boolean {
  if (tokens.length === 0 || depth > MAX_SCHEMA_DEPTH) return true
  for (const k of ['allOf', 'anyOf', 'oneOf']) {
    const branches = schema[k]
    if (Array.isArray(branches)) {
      for (const b of branches) if (isObject(b) && listsHere(b, tokens, depth)) return true
    }
  }
  return listsHere(schema, tokens, depth)
}

function listsHere(schema: JsonSchema, tokens: readonly string[], depth: number): boolean {
  const [head, ...rest] = tokens as [string, ...string[]]
  const items = schema['items']
  const props = schema['properties']
  const additional = schema['additionalProperties']
  const composed = ['allOf', 'anyOf', 'oneOf'].some((k) => Array.isArray(schema[k]))
  if (head === '*') {
    if (isObject(items)) return schemaLists(items, rest, depth + 1)
    if (isObject(additional)) return schemaLists(additional, rest, depth + 1)
    // Undescribed items or values: nothing below is documented, but nothing is contradicted either.
    return !composed && !isObject(props) && additional !== false
  }
  if (isObject(props) && Object.hasOwn(props, head)) {
    const child = props[head]
    return isObject(child) ? schemaLists(child, rest, depth + 1) : true
  }
  if (isObject(additional)) return schemaLists(additional, rest, depth + 1)
  // Free-form: no properties described at all and extra properties not forbidden.
  return !composed && !isObject(props) && additional !== false && schema['type'] !== 'array' && items === undefined
}
