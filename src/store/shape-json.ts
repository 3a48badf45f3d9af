// Shapes to and from the store's JSON columns, faster than the infer module's shapeToJson /
// parseShape (a replacer and a reviver called for every value) and with the same results,
// which test/store/shape-json.test.ts checks against those two functions themselves.
import type { Shape } from '../infer/index.js'

/**
 * The same text as `shapeToJson` (keys sorted with `.sort()` at every level, undefined members
 * left out), built directly instead of through a replacer that copies every object: the store
 * serialises every touched shape on every write.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`
  const record = value as Record<string, unknown>
  let out = '{'
  for (const k of Object.keys(record).sort()) {
    const v = record[k]
    if (v === undefined) continue
    if (out.length > 1) out += ','
    out += `${JSON.stringify(k)}:${canonicalJson(v)}`
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
