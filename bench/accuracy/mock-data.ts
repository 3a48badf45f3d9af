// Mock values per JSON Schema (the subset our example specs use), varied with a seeded RNG:
// optional properties come and go, nullable fields are sometimes null, arrays vary in length.
import type { Rng } from './rng.js'

export type Schema = Record<string, unknown>

const WORDS = ['alpha', 'river', 'stone', 'maple', 'orbit', 'cedar', 'ember', 'quartz', 'harbor', 'meadow', 'copper']
const NAMES = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Edsger Dijkstra', 'Barbara Liskov', 'Ken Thompson']
const SMALL_SETS: Record<string, string[]> = {
  status: ['active', 'pending', 'closed'],
  state: ['open', 'closed'],
  type: ['User', 'Organization', 'checking', 'savings'],
  role: ['owner', 'admin', 'member', 'viewer'],
  plan: ['free', 'team', 'enterprise'],
  currency: ['EUR', 'USD', 'GBP'],
  segment: ['retail', 'private'],
}

/** Resolves local `#/components/...` references (one level at a time, as the generator walks). */
export function resolve(schema: Schema, root: Schema): Schema {
  let s = schema
  for (let i = 0; i < 16 && typeof s['$ref'] === 'string'; i++) {
    const path = (s['$ref'] as string).replace(/^#\//, '').split('/')
    let node: unknown = root
    for (const p of path) node = (node as Record<string, unknown>)[p]
    s = node as Schema
  }
  return s
}

function hex(rng: Rng, n: number): string {
  let out = ''
  for (let i = 0; i < n; i++) out += '0123456789abcdef'[rng.int(0, 15)]
  return out
}

export function uuid(rng: Rng): string {
  return `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-a${hex(rng, 3)}-${hex(rng, 12)}`
}

function date(rng: Rng): string {
  return `${rng.int(2019, 2025)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`
}

function stringFor(schema: Schema, key: string | undefined, rng: Rng): string {
  switch (schema['format']) {
    case 'date-time':
      return `${date(rng)}T${String(rng.int(0, 23)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:07Z`
    case 'date':
      return date(rng)
    case 'email':
      return `${rng.pick(WORDS)}.${rng.int(1, 999)}@example.com`
    case 'uri':
      return `https://example.com/${rng.pick(WORDS)}/${rng.int(1, 9999)}`
    case 'uuid':
      return uuid(rng)
    case 'ipv4':
      return `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`
  }
  const set = key === undefined ? undefined : SMALL_SETS[key]
  if (set !== undefined) return rng.pick(set)
  if (key === 'name' || key === 'author' || key === 'counterparty') return rng.pick(NAMES)
  return `${rng.pick(WORDS)} ${rng.pick(WORDS)} ${rng.int(1, 999)}`
}

/** A value for a schema. `depth` bounds recursive schemas. */
export function mockValue(schema: Schema, root: Schema, rng: Rng, key?: string, depth = 0): unknown {
  const s = resolve(schema, root)
  let type = s['type']
  if (Array.isArray(type)) {
    const nonNull = type.filter((t) => t !== 'null')
    if (type.includes('null') && rng.chance(0.25)) return null
    type = nonNull[0]
  }
  if (type === undefined && s['properties'] !== undefined) type = 'object'
  switch (type) {
    case 'integer':
      return rng.int(1, 100_000)
    case 'number':
      // Always fractional: a number that happens to be whole would read as an integer.
      return rng.int(0, 99_999) + rng.int(1, 99) / 100
    case 'boolean':
      return rng.chance(0.5)
    case 'string':
      return stringFor(s, key, rng)
    case 'array': {
      const items = (s['items'] as Schema | undefined) ?? {}
      const n = rng.chance(0.1) ? 0 : rng.int(1, 3)
      return Array.from({ length: depth > 6 ? 0 : n }, () => mockValue(items, root, rng, undefined, depth + 1))
    }
    case 'object': {
      const out: Record<string, unknown> = {}
      const props = (s['properties'] as Record<string, Schema> | undefined) ?? {}
      const required = new Set((s['required'] as string[] | undefined) ?? [])
      for (const [name, ps] of Object.entries(props)) {
        if (!required.has(name) && !rng.chance(0.7)) continue
        out[name] = mockValue(ps, root, rng, name, depth + 1)
      }
      const extra = s['additionalProperties']
      if (extra !== undefined && typeof extra === 'object' && Object.keys(props).length === 0) {
        for (let i = rng.int(1, 3); i > 0; i--) {
          out[`${rng.pick(WORDS)}-${rng.int(1, 99)}.py`] = mockValue(extra as Schema, root, rng, undefined, depth + 1)
        }
      }
      return out
    }
    default:
      return {}
  }
}
