// Shape -> JSON Schema, in the dialect of OpenAPI 3.1 (JSON Schema 2020-12) or OpenAPI 3.0.3
// (its Schema Object: `nullable`, no `type` arrays). Only what every observation supports is
// claimed: a format when all strings agree, `required` when the property was always present,
// an enum only with strong evidence, and it is marked as inferred.

import { type Shape, typesOf } from './shape.js'

export type OpenApiVersion = '3.1' | '3.0'

export type JsonSchema = Record<string, unknown>

export interface EnumEvidence {
  /** at most this many distinct values */
  maxValues: number
  /** over at least this many string observations */
  minObservations: number
  /** and every value seen at least this many times */
  minEach: number
}

export interface JsonSchemaOptions {
  openapi?: OpenApiVersion
  /** nesting levels described; deeper nodes become `{}` with a description */
  maxDepth?: number
  /** properties described per object; the rest fold into `additionalProperties` */
  maxProperties?: number
  enumEvidence?: Partial<EnumEvidence>
}

export const DEFAULT_ENUM_EVIDENCE: Readonly<EnumEvidence> = Object.freeze({
  maxValues: 8,
  minObservations: 20,
  minEach: 2,
})

const DEFAULT_MAX_DEPTH = 24
const DEFAULT_MAX_PROPERTIES = 200

interface Ctx {
  v31: boolean
  maxDepth: number
  maxProperties: number
  enums: EnumEvidence
}

type TypeName = ReturnType<typeof typesOf>[number]

/**
 * The JSON Schema of a shape. Deterministic: equal shapes give deeply equal schemas with the
 * same key order.
 */
export function toJsonSchema(shape: Shape, options: JsonSchemaOptions = {}): JsonSchema {
  const ctx: Ctx = {
    v31: (options.openapi ?? '3.1') === '3.1',
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    maxProperties: options.maxProperties ?? DEFAULT_MAX_PROPERTIES,
    enums: { ...DEFAULT_ENUM_EVIDENCE, ...options.enumEvidence },
  }
  return schemaOf(shape, 0, ctx)
}

function truncated(reason: string): JsonSchema {
  return { description: `not described: ${reason}` }
}

function schemaOf(s: Shape, depth: number, ctx: Ctx): JsonSchema {
  if (depth > ctx.maxDepth) return truncated(`nested deeper than ${ctx.maxDepth} levels`)
  const types = typesOf(s)
  const nullable = types.includes('null')
  const concrete = types.filter((t): t is Exclude<TypeName, 'null'> => t !== 'null')
  if (concrete.length === 0) {
    if (nullable) return ctx.v31 ? { type: 'null' } : { nullable: true, description: 'only null was observed' }
    return s.trunc ? truncated('over the size or depth limit at capture') : {}
  }
  if (concrete.length === 1)
    return withNull(typed(concrete[0] as Exclude<TypeName, 'null'>, s, depth, ctx), nullable, ctx)
  // A true type conflict: each observed type is one alternative (they are disjoint, so oneOf holds).
  const alternatives = concrete.map((t) => typed(t, s, depth, ctx))
  if (nullable) {
    if (ctx.v31) alternatives.push({ type: 'null' })
    else for (const a of alternatives) a['nullable'] = true
  }
  return { oneOf: alternatives }
}

function withNull(schema: JsonSchema, nullable: boolean, ctx: Ctx): JsonSchema {
  if (!nullable) return schema
  const out: JsonSchema = {}
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'type' && ctx.v31) out[k] = [v, 'null']
    else out[k] = v
    if (k === 'type' && !ctx.v31) out['nullable'] = true
  }
  // OpenAPI 3.0.3 §4.7.25.1 and JSON Schema alike: an enum must list null for null to validate.
  if (Array.isArray(out['enum'])) out['enum'] = [...(out['enum'] as unknown[]), null]
  return out
}

function typed(t: Exclude<TypeName, 'null'>, s: Shape, depth: number, ctx: Ctx): JsonSchema {
  switch (t) {
    case 'boolean':
    case 'integer':
    case 'number':
      return { type: t }
    case 'string':
      return stringSchema(s, ctx)
    case 'array': {
      const items = s.arr?.items
      return { type: 'array', items: items === undefined ? {} : schemaOf(items, depth + 1, ctx) }
    }
    case 'object':
      return objectSchema(s, depth, ctx)
  }
}

function stringSchema(s: Shape, ctx: Ctx): JsonSchema {
  const str = s.str
  const out: JsonSchema = { type: 'string' }
  if (str === undefined) return out
  if (str.fmt !== undefined) {
    const formats = Object.keys(str.fmt)
    if (formats.length === 1 && str.fmt[formats[0] as string] === str.n) out['format'] = formats[0]
  }
  const vals = str.vals
  if (vals !== null && vals !== undefined && out['format'] === undefined) {
    const values = Object.keys(vals).sort()
    const { maxValues, minObservations, minEach } = ctx.enums
    if (
      values.length > 0 &&
      values.length <= maxValues &&
      str.n >= minObservations &&
      values.every((v) => (vals[v] as number) >= minEach)
    ) {
      out['enum'] = values
      out['x-specter-inferred-enum'] = true
    }
  }
  return out
}

function objectSchema(s: Shape, depth: number, ctx: Ctx): JsonSchema {
  const obj = s.obj
  const out: JsonSchema = { type: 'object' }
  if (obj === undefined) return out
  const keys = Object.keys(obj.props).sort()
  // Objects keyed by identifiers are maps: one schema for every value.
  if (obj.idKeys !== undefined && obj.idKeys > 0 && keys.length === 0) {
    out['additionalProperties'] = obj.rest === undefined ? {} : schemaOf(obj.rest, depth + 1, ctx)
    return out
  }
  if (keys.length > 0) {
    // Null prototype: a property named `__proto__` is data, not a prototype change.
    const properties = Object.create(null) as JsonSchema
    const required: string[] = []
    keys.forEach((k, i) => {
      const p = obj.props[k] as Shape
      if (i >= ctx.maxProperties) return
      properties[k] = schemaOf(p, depth + 1, ctx)
      if (p.n >= obj.n) required.push(k)
    })
    out['properties'] = properties
    if (required.length > 0) out['required'] = required
  }
  if (keys.length > ctx.maxProperties) {
    out['additionalProperties'] = {}
    out['description'] = `more than ${ctx.maxProperties} properties; the rest are not described`
  } else if (obj.rest !== undefined) {
    // Map entries next to named properties, or properties beyond the capture cap.
    out['additionalProperties'] = schemaOf(obj.rest, depth + 1, ctx)
    if (obj.restKeys !== undefined) out['description'] = 'more properties were observed than are listed'
  }
  return out
}
