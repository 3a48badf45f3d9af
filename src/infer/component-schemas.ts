// Reusable component schemas: object schemas that recur in a document (the same resource in a
// list and in its detail response, an address in two payloads) move to `components.schemas`
// and are referenced. Names come from where a schema is first met in document order, so the
// same document always gets the same names.

import type { JsonSchema } from './json-schema.js'
import { pascalCase, singularIdentifier } from './singular.js'

/** A schema slot in document order, with a name hint for its component (e.g. `User`). */
export interface SchemaSite {
  schema: JsonSchema
  hint: string
  /** how good the hint is: 0 for a resource's own response, higher for weaker hints */
  rank?: number
  replace: (next: JsonSchema) => void
}

const MIN_PROPERTIES = 2
const MIN_OCCURRENCES = 2
const MAX_WALK_DEPTH = 64

/** Canonical text of a JSON value (keys sorted), for equality of schemas. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v
    const out = Object.create(null) as Record<string, unknown>
    for (const k of Object.keys(v).sort()) out[k] = (v as Record<string, unknown>)[k]
    return out
  })
}

function isNamedObject(schema: JsonSchema): boolean {
  const props = schema['properties']
  return props !== null && typeof props === 'object' && Object.keys(props as object).length >= MIN_PROPERTIES
}

type Visit = (s: JsonSchema, hint: string, rank: number, set: (n: JsonSchema) => void) => void

/**
 * Visits every sub-schema below `schema` (not itself) that could be a component, pre-order,
 * with a name hint and its rank (lower is better: a resource's own response beats a property).
 */
function children(schema: JsonSchema, hint: string, rank: number, visit: Visit): void {
  const props = schema['properties'] as Record<string, JsonSchema> | undefined
  if (props !== undefined && props !== null && typeof props === 'object') {
    for (const k of Object.keys(props)) {
      visit(props[k] as JsonSchema, pascalCase(k) || hint, rank + 2, (n) => {
        props[k] = n
      })
    }
  }
  const items = schema['items'] as JsonSchema | undefined
  if (items !== undefined && typeof items === 'object' && items !== null) {
    // Items of a list keep the list's name in the singular (`/users` -> `User`).
    visit(items, pascalCase(singularIdentifier(hint)) || hint, rank + 1, (n) => {
      schema['items'] = n
    })
  }
  const extra = schema['additionalProperties']
  if (extra !== undefined && typeof extra === 'object' && extra !== null) {
    visit(extra as JsonSchema, `${hint}Value`, rank + 2, (n) => {
      schema['additionalProperties'] = n
    })
  }
  const oneOf = schema['oneOf']
  if (Array.isArray(oneOf)) {
    oneOf.forEach((alt, i) => {
      visit(alt as JsonSchema, hint, rank + 1, (n) => {
        oneOf[i] = n
      })
    })
  }
}

/**
 * Moves recurring object schemas of the given sites into components (mutating the schemas in
 * place) and returns the components, keyed by name, in the order they were first met.
 */
export function extractComponents(sites: readonly SchemaSite[]): Record<string, JsonSchema> {
  const counts = new Map<string, number>()
  // The best hint per schema: lowest rank, then first in document order.
  const hints = new Map<string, { hint: string; rank: number }>()
  const count = (s: JsonSchema, hint: string, rank: number, depth: number): void => {
    if (depth > MAX_WALK_DEPTH) return
    if (isNamedObject(s)) {
      const key = canonicalJson(s)
      counts.set(key, (counts.get(key) ?? 0) + 1)
      const best = hints.get(key)
      if (best === undefined || rank < best.rank) hints.set(key, { hint, rank })
    }
    children(s, hint, rank, (c, h, r) => count(c, h, r, depth + 1))
  }
  for (const site of sites) count(site.schema, site.hint, site.rank ?? 0, 0)

  const components: Record<string, JsonSchema> = {}
  const nameOf = new Map<string, string>()
  const taken = new Set<string>()
  const rewrite = (s: JsonSchema, hint: string, rank: number, set: (n: JsonSchema) => void, depth: number): void => {
    if (depth > MAX_WALK_DEPTH) return
    const key = isNamedObject(s) ? canonicalJson(s) : undefined
    if (key !== undefined && (counts.get(key) ?? 0) >= MIN_OCCURRENCES) {
      let name = nameOf.get(key)
      if (name === undefined) {
        const base = sanitize(hints.get(key)?.hint ?? hint)
        name = base
        for (let k = 2; taken.has(name); k++) name = `${base}${k}`
        taken.add(name)
        nameOf.set(key, name)
        components[name] = s
        children(s, name, rank, (c, h, r, setChild) => rewrite(c, h, r, setChild, depth + 1))
      }
      set({ $ref: `#/components/schemas/${name}` })
      return
    }
    children(s, hint, rank, (c, h, r, setChild) => rewrite(c, h, r, setChild, depth + 1))
  }
  for (const site of sites) rewrite(site.schema, site.hint, site.rank ?? 0, site.replace, 0)
  return components
}

function sanitize(hint: string): string {
  const clean = hint.replace(/[^A-Za-z0-9._-]/g, '')
  return clean.length > 0 ? clean.slice(0, 64) : 'Schema'
}
