// Shapes to and from the store's JSON columns, faster than the infer module's shapeToJson /
// parseShape (a replacer and a reviver called for every value) and with the same results,
// which test/store/shape-json.test.ts checks against those two functions themselves.
import type { Shape } from '../infer/index.js'

// Quoted property names: shapes repeat the same few (n, obj, props, str, ...) and the body's own
// field names in every row. Bounded: a flood of distinct names only fills it once.
const quoted = new Map<string, string>()
const MAX_QUOTED = 4096

function quote(key: string): string {
  let q = quoted.get(key)
  if (q === undefined) {
    q = JSON.stringify(key)
    if (quoted.size < MAX_QUOTED) quoted.set(key, q)
  }
  return q
}

function isSorted(keys: string[], from: number): boolean {
  for (let i = from + 1; i < keys.length; i++) if ((keys[i - 1] as string) > (keys[i] as string)) return false
  return true
}

/** An array-index name ("0", "17", up to 2^32 - 2): objects list these first, in numeric order. */
function isIndexKey(key: string): boolean {
  const c = key.charCodeAt(0)
  if (key.length > 10 || c < 0x30 || c > 0x39 || (c === 0x30 && key.length > 1)) return false
  for (let i = 1; i < key.length; i++) {
    const d = key.charCodeAt(i)
    if (d < 0x30 || d > 0x39) return false
  }
  return Number(key) < 4294967295
}

/**
 * Property names in shapeToJson's order: it rebuilds each object with its names sorted, and an
 * object lists array-index names first (ascending) whatever the insertion order, so those stay
 * first and only the others are sorted.
 */
function orderedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record)
  let from = 0
  while (from < keys.length && isIndexKey(keys[from] as string)) from++
  // Most objects are built in name order already; sorting them again is what cost most here.
  if (keys.length - from < 2 || isSorted(keys, from)) return keys
  if (from === 0) return keys.sort()
  return [...keys.slice(0, from), ...keys.slice(from).sort()]
}

/**
 * The same text as `shapeToJson` (names sorted with `.sort()` at every level after the array-index
 * names, undefined members left out), built directly instead of through a replacer that copies every object: the store
 * serialises every touched shape on every write, so this is on the write path of every batch.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) {
    let out = '['
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i]
      if (i > 0) out += ','
      out += v === undefined ? 'null' : canonicalJson(v)
    }
    return `${out}]`
  }
  const record = value as Record<string, unknown>
  const keys = orderedKeys(record)
  let out = '{'
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string
    const v = record[k]
    if (v === undefined) continue
    if (out.length > 1) out += ','
    out += quote(k)
    out += ':'
    if (typeof v === 'object' && v !== null) out += canonicalJson(v)
    else if (typeof v === 'number') out += Number.isFinite(v) ? String(v) : 'null'
    else if (typeof v === 'string') out += JSON.stringify(v)
    else out += JSON.stringify(v) ?? 'null'
  }
  return `${out}}`
}

function nullPrototype(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = nullPrototype(value[i])
    return value
  }
  const record = value as Record<string, unknown>
  // Null prototypes: property names such as __proto__ or constructor are plain data (an own
  // "__proto__" from JSON.parse is copied as a data property, not a prototype change).
  const out = Object.create(null) as Record<string, unknown>
  for (const k of Object.keys(record)) out[k] = nullPrototype(record[k])
  return out
}

/** A shape read back from JSON, every object with a null prototype (as parseShape gives). */
export function parseShapeJson(json: string): Shape {
  return nullPrototype(JSON.parse(json)) as Shape
}

/** A count map read back from JSON with a null prototype. */
export function parseCountsJson(json: string): Record<string, number> {
  return nullPrototype(JSON.parse(json)) as Record<string, number>
}
