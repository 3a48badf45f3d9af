// Mock values per JSON Schema (the subset our example specs use), varied with a seeded RNG:
// optional properties come and go, nullable fields are sometimes null, arrays vary in length.
import type { Rng } from './rng.js'
import {
  type Direction,
  flatten,
  isNullable,
  pickAlternative,
  propertiesOf,
  resolve,
  type Schema,
} from './schema-view.js'

export { resolve, type Schema }

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
    case 'ipv6':
      return `fd00::${hex(rng, 4)}:${hex(rng, 4)}`
    case 'time':
      return `${String(rng.int(0, 23)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:00`
    case 'byte':
      return Buffer.from(`${rng.pick(WORDS)}${rng.int(1, 999)}`).toString('base64')
  }
  const set = key === undefined ? undefined : SMALL_SETS[key]
  if (set !== undefined) return rng.pick(set)
  if (key === 'name' || key === 'author' || key === 'counterparty') return rng.pick(NAMES)
  return `${rng.pick(WORDS)} ${rng.pick(WORDS)} ${rng.int(1, 999)}`
}

const MAX_DEPTH = 10

/**
 * A value for a schema: `$ref`, `allOf` folded, one `oneOf`/`anyOf` alternative drawn, enums and
 * consts honoured, nullable values sometimes null, readOnly properties only in responses and
 * writeOnly ones only in requests. `depth` bounds recursive schemas.
 */
export function mockValue(
  schema: Schema,
  root: Schema,
  rng: Rng,
  key?: string,
  depth = 0,
  direction: Direction = 'response',
): unknown {
  if (isNullable(schema, root) && rng.chance(0.25)) return null
  const s = flatten(pickAlternative(schema, root, rng), root)
  if ('const' in s) return s['const']
  const values = Array.isArray(s['enum']) ? (s['enum'] as unknown[]).filter((v) => v !== null) : []
  if (values.length > 0) return rng.pick(values)
  let type = s['type']
  if (Array.isArray(type)) type = type.find((t) => t !== 'null')
  if (type === undefined && (s['properties'] !== undefined || s['additionalProperties'] !== undefined)) type = 'object'
  if (type === undefined && s['items'] !== undefined) type = 'array'
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
      return Array.from({ length: depth > MAX_DEPTH ? 0 : n }, () =>
        mockValue(items, root, rng, undefined, depth + 1, direction),
      )
    }
    case 'object': {
      const out: Record<string, unknown> = {}
      if (depth > MAX_DEPTH) return out
      const props = propertiesOf(s, root, direction)
      const required = new Set((s['required'] as string[] | undefined) ?? [])
      for (const [name, ps] of props) {
        if (!required.has(name) && !rng.chance(0.7)) continue
        out[name] = mockValue(ps, root, rng, name, depth + 1, direction)
      }
      const extra = s['additionalProperties']
      if (extra !== undefined && typeof extra === 'object' && props.size === 0) {
        for (let i = rng.int(1, 3); i > 0; i--) {
          out[`${rng.pick(WORDS)}-${rng.int(1, 99)}.py`] = mockValue(
            extra as Schema,
            root,
            rng,
            undefined,
            depth + 1,
            direction,
          )
        }
      }
      return out
    }
    default:
      // No type declared (any value): a word.
      return rng.pick(WORDS)
  }
}
