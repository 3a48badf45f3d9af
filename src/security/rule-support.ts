// What the security rules ask of a documented schema: the response schema of an exchange, and
// whether it lists a body path. The finding helpers they share with diff's rules are in src/finding.
import { mediaFor, responseFor } from '../finding/index.js'
import type { JsonSchema, SpecOperation } from '../spec/index.js'

/** The documented response schema for a status and content type, if any. */
export function documentedResponseSchema(
  op: SpecOperation,
  status: number,
  contentType: string,
): JsonSchema | undefined {
  const response = responseFor(op, status)
  return response === undefined ? undefined : mediaFor(response.content, contentType)?.schema
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
