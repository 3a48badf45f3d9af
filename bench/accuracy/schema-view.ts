// What a JSON Schema (OpenAPI 3.0 or 3.1 flavour) says a value looks like, with `$ref`, `allOf`,
// `oneOf`/`anyOf`, `enum`, `const` and `nullable` folded in: the generator draws values from it and
// the scorer compares property types through it, so both read third-party specs the same way.
import type { Rng } from './rng.js'

export type Schema = Record<string, unknown>

/** Which side of the exchange: readOnly properties appear only in responses, writeOnly only in requests. */
export type Direction = 'response' | 'request'

/** Resolves local `#/...` references (JSON pointers, with ~0/~1 escapes); unresolvable ones become `{}`. */
export function resolve(schema: Schema, root: Schema): Schema {
  let s = schema
  for (let i = 0; i < 16 && typeof s['$ref'] === 'string'; i++) {
    const ref = s['$ref'] as string
    if (!ref.startsWith('#/')) return {}
    let node: unknown = root
    for (const p of ref.slice(2).split('/')) {
      node = (node as Record<string, unknown> | undefined)?.[p.replace(/~1/g, '/').replace(/~0/g, '~')]
    }
    s = (node as Schema | undefined) ?? {}
  }
  return s
}

const asSchemas = (v: unknown): Schema[] => (Array.isArray(v) ? (v as Schema[]) : [])

/** The JSON type a schema declares (first non-null), or undefined. */
function declaredType(s: Schema): string | undefined {
  const t = s['type']
  if (typeof t === 'string') return t === 'null' ? undefined : t
  if (Array.isArray(t)) return t.find((x) => x !== 'null') as string | undefined
  const values = Array.isArray(s['enum']) ? (s['enum'] as unknown[]) : 'const' in s ? [s['const']] : []
  const v = values.find((x) => x !== null)
  if (v !== undefined) return Number.isInteger(v) ? 'integer' : Array.isArray(v) ? 'array' : typeof v
  if (s['properties'] !== undefined || s['additionalProperties'] !== undefined) return 'object'
  if (s['items'] !== undefined) return 'array'
  return undefined
}

/**
 * Folds `allOf` into one schema (properties, required, type, items and the rest merged), resolving
 * references on the way. `oneOf`/`anyOf` are left for the caller to choose from.
 */
export function flatten(schema: Schema, root: Schema, depth = 0): Schema {
  const s = resolve(schema, root)
  const parts = asSchemas(s['allOf'])
  if (parts.length === 0 || depth > 8) return s
  const out: Schema = { ...s }
  delete out['allOf']
  const props: Record<string, Schema> = { ...((s['properties'] as Record<string, Schema> | undefined) ?? {}) }
  const required = new Set((s['required'] as string[] | undefined) ?? [])
  for (const part of parts) {
    const p = flatten(part, root, depth + 1)
    for (const [k, v] of Object.entries(p)) {
      if (k === 'properties') Object.assign(props, v as Record<string, Schema>)
      else if (k === 'required') for (const r of v as string[]) required.add(r)
      else if (!(k in out)) out[k] = v
    }
  }
  if (Object.keys(props).length > 0) out['properties'] = props
  if (required.size > 0) out['required'] = [...required]
  return out
}

/** The alternatives of a `oneOf`/`anyOf` (each with the siblings of the keyword merged in), or the schema itself. */
export function alternatives(schema: Schema, root: Schema): Schema[] {
  const s = flatten(schema, root)
  const variants = [...asSchemas(s['oneOf']), ...asSchemas(s['anyOf'])]
  if (variants.length === 0) return [s]
  const base: Schema = { ...s }
  delete base['oneOf']
  delete base['anyOf']
  delete base['discriminator']
  return variants.map((v) => flatten({ allOf: [base, v] }, root))
}

const isNullOnly = (s: Schema): boolean =>
  s['type'] === 'null' || (Array.isArray(s['enum']) && (s['enum'] as unknown[]).every((v) => v === null))

/** Picks one alternative, never the bare `null` one (nullability is drawn separately). */
export function pickAlternative(schema: Schema, root: Schema, rng: Rng): Schema {
  const all = alternatives(schema, root)
  const usable = all.filter((a) => !isNullOnly(a))
  const from = usable.length > 0 ? usable : all
  return from.length === 1 ? (from[0] as Schema) : rng.pick(from)
}

/** True when the schema admits null (3.1 type list, 3.0 nullable, a null alternative). */
export function isNullable(schema: Schema, root: Schema): boolean {
  const all = alternatives(schema, root)
  return all.some(
    (a) =>
      a['nullable'] === true ||
      isNullOnly(a) ||
      (Array.isArray(a['type']) && (a['type'] as unknown[]).includes('null')),
  )
}

/** The properties a value of this schema may carry in the given direction. */
export function propertiesOf(schema: Schema, root: Schema, direction: Direction): Map<string, Schema> {
  const out = new Map<string, Schema>()
  for (const [name, p] of Object.entries((schema['properties'] as Record<string, Schema> | undefined) ?? {})) {
    const rp = flatten(p, root)
    if (direction === 'response' && rp['writeOnly'] === true) continue
    if (direction === 'request' && rp['readOnly'] === true) continue
    out.set(name, p)
  }
  return out
}

export interface SchemaView {
  /** 'oneOf' when the alternatives disagree on the type; 'any' when nothing is declared */
  type: string
  /** properties of every object alternative, by name (a property in several alternatives lists each) */
  properties: Map<string, Schema[]>
  /** item schemas of every array alternative */
  items: Schema[]
}

/** The type, properties and items of one or more schemas seen as alternatives of one value. */
export function viewOf(schemas: readonly Schema[], root: Schema, direction: Direction): SchemaView {
  const types = new Set<string>()
  const properties = new Map<string, Schema[]>()
  const items: Schema[] = []
  for (const schema of schemas) {
    for (const alt of alternatives(schema, root)) {
      if (isNullOnly(alt)) continue
      const t = declaredType(alt)
      if (t === undefined) continue
      types.add(t)
      for (const [name, p] of propertiesOf(alt, root, direction)) {
        properties.set(name, [...(properties.get(name) ?? []), p])
      }
      if (alt['items'] !== undefined) items.push(alt['items'] as Schema)
    }
  }
  // Integers among numbers are numbers (the lattice widens them the same way).
  if (types.has('number')) types.delete('integer')
  const type = types.size === 0 ? 'any' : types.size === 1 ? ([...types][0] as string) : 'oneOf'
  return { type, properties, items }
}
