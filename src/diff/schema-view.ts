// A flattened reading of a documented JSON Schema, enough to compare it with an observed shape:
// allOf merges (properties and required add up), oneOf/anyOf unite (a property of any branch is
// documented; required only when every branch requires it), 3.0 `nullable`, 2.0 `x-nullable` and
// 3.1 type arrays all become a `null` type.
import type { JsonSchema } from '../spec/index.js'

export type TypeName = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'object' | 'array'

export interface SchemaView {
  /** accepted types; undefined when the schema accepts any type */
  types: Set<TypeName> | undefined
  /** property name -> the schemas documenting it (any of them may hold) */
  properties: Map<string, JsonSchema[]>
  required: Set<string>
  /** 'open': extra properties are allowed but undocumented; 'forbidden': additionalProperties false */
  additional: 'open' | 'forbidden' | JsonSchema[]
  /** patternProperties or a free-form object: extra property names are not drift */
  freeForm: boolean
  /** array item schemas (any may hold); undefined when items are not described */
  items: JsonSchema[] | undefined
  /** the object the view mostly comes from (to locate it in the spec) */
  node: JsonSchema
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

const ALL_TYPES: TypeName[] = ['null', 'boolean', 'integer', 'number', 'string', 'object', 'array']

function typeOfValue(v: unknown): TypeName {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number'
  return typeof v as TypeName
}

function ownTypes(s: JsonSchema): Set<TypeName> | undefined {
  const t = s['type']
  let types: Set<TypeName> | undefined
  if (typeof t === 'string') types = new Set([t as TypeName])
  else if (Array.isArray(t)) types = new Set(t.filter((x): x is TypeName => typeof x === 'string') as TypeName[])
  else if (Array.isArray(s['enum'])) types = new Set(s['enum'].map(typeOfValue))
  else if (Object.hasOwn(s, 'const')) types = new Set([typeOfValue(s['const'])])
  if (types !== undefined && (s['nullable'] === true || s['x-nullable'] === true)) types.add('null')
  if (types !== undefined && Array.isArray(s['enum']) && s['enum'].includes(null)) types.add('null')
  return types
}

function intersect(a: Set<TypeName> | undefined, b: Set<TypeName> | undefined): Set<TypeName> | undefined {
  if (a === undefined) return b
  if (b === undefined) return a
  const out = new Set<TypeName>()
  for (const t of a) {
    if (b.has(t)) out.add(t)
    else if (t === 'integer' && b.has('number')) out.add('integer')
    else if (t === 'number' && b.has('integer')) out.add('integer')
  }
  return out
}

function unite(a: Set<TypeName> | undefined, b: Set<TypeName> | undefined): Set<TypeName> | undefined {
  if (a === undefined || b === undefined) return undefined
  return new Set([...a, ...b])
}

const MAX_DEPTH = 16

/** Flattens a schema's composition keywords (bounded: cyclic allOf chains stop at MAX_DEPTH). */
export function viewOf(schema: JsonSchema, depth = 0): SchemaView {
  const view: SchemaView = {
    types: ownTypes(schema),
    properties: new Map(),
    required: new Set(),
    additional: 'open',
    freeForm: false,
    items: undefined,
    node: schema,
  }
  // 3.0 `nullable: true` beside an allOf/oneOf without a type widens whatever the branches allow.
  const nullable = schema['nullable'] === true || schema['x-nullable'] === true
  if (isObject(schema['properties'])) {
    const props = schema['properties']
    for (const k of Object.keys(props)) {
      const p = props[k]
      view.properties.set(k, [isObject(p) ? p : {}])
    }
  }
  if (Array.isArray(schema['required'])) {
    for (const r of schema['required']) if (typeof r === 'string') view.required.add(r)
  }
  const ap = schema['additionalProperties']
  if (ap === false) view.additional = 'forbidden'
  else if (isObject(ap) && Object.keys(ap).length > 0) view.additional = [ap]
  else if (ap === true || isObject(ap)) view.freeForm = true
  if (isObject(schema['patternProperties']) || schema['unevaluatedProperties'] === true) view.freeForm = true
  if (isObject(schema['items'])) view.items = [schema['items']]
  else if (Array.isArray(schema['items'])) view.items = schema['items'].filter(isObject)
  if (depth >= MAX_DEPTH) return view

  if (Array.isArray(schema['allOf'])) {
    for (const part of schema['allOf']) {
      if (!isObject(part)) continue
      const v = viewOf(part, depth + 1)
      view.types = intersect(view.types, v.types)
      for (const [k, list] of v.properties) view.properties.set(k, [...(view.properties.get(k) ?? []), ...list])
      for (const r of v.required) view.required.add(r)
      // Authors use allOf to extend: a branch's `additionalProperties: false` is read as meant for the whole.
      if (v.additional === 'forbidden') view.additional = 'forbidden'
      else if (Array.isArray(v.additional) && view.additional !== 'forbidden') {
        view.additional = [...(Array.isArray(view.additional) ? view.additional : []), ...v.additional]
      }
      view.freeForm ||= v.freeForm
      if (v.items !== undefined) view.items = [...(view.items ?? []), ...v.items]
    }
  }
  for (const key of ['oneOf', 'anyOf'] as const) {
    const branches = schema[key]
    if (!Array.isArray(branches) || branches.length === 0) continue
    const views = branches.filter(isObject).map((b) => viewOf(b, depth + 1))
    let types: Set<TypeName> | undefined = new Set()
    let required: Set<string> | undefined
    let allForbid = true
    for (const v of views) {
      types = unite(types, v.types)
      for (const [k, list] of v.properties) view.properties.set(k, [...(view.properties.get(k) ?? []), ...list])
      required = required === undefined ? new Set(v.required) : new Set([...required].filter((r) => v.required.has(r)))
      if (v.additional !== 'forbidden') allForbid = false
      if (Array.isArray(v.additional)) {
        view.additional = [...(Array.isArray(view.additional) ? view.additional : []), ...v.additional]
      }
      // A branch with no properties that accepts objects makes every property name acceptable.
      if (v.freeForm || (v.properties.size === 0 && (v.types === undefined || v.types.has('object')))) {
        view.freeForm = true
      }
      if (v.items !== undefined) view.items = [...(view.items ?? []), ...v.items]
    }
    view.types = intersect(view.types, types)
    for (const r of required ?? []) view.required.add(r)
    if (allForbid && views.length > 0 && view.additional === 'open') view.additional = 'forbidden'
  }
  if (nullable && view.types !== undefined) view.types.add('null')
  return view
}

/** Whether a view accepts an observed type ('integer' fits 'number'). */
export function acceptsType(view: SchemaView, t: TypeName): boolean {
  if (view.types === undefined) return true
  if (view.types.has(t)) return true
  return t === 'integer' && view.types.has('number')
}

/** The documented types as text, e.g. 'string|null'; 'any' when unconstrained. */
export function typesText(view: SchemaView): string {
  if (view.types === undefined) return 'any'
  return ALL_TYPES.filter((t) => view.types?.has(t)).join('|') || 'nothing'
}

/** A schema for a list of alternatives (one stays itself). */
export const anyOfList = (list: JsonSchema[]): JsonSchema =>
  list.length === 1 ? (list[0] as JsonSchema) : { anyOf: list }
