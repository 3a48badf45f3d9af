// OpenAPI 3.1 -> 3.0 for tools that read 3.0 only (openapi-diff). Lossy where 3.0 has no
// equivalent; what matters for a compatibility diff (types, nullability, enums, bounds) is kept.
type Json = Record<string, unknown>

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v)

function schema30(s: unknown, depth: number): unknown {
  if (depth > 64) return {}
  if (Array.isArray(s)) return s.map((x) => schema30(x, depth + 1))
  if (!isObject(s)) return s
  const out: Json = {}
  for (const [k, v] of Object.entries(s)) {
    if (k === '$schema' || k === '$id' || k === '$anchor' || k === '$defs' || k === 'unevaluatedProperties') continue
    out[k] = k === 'example' || k === 'default' || k === 'enum' || k === 'const' ? v : schema30(v, depth + 1)
  }
  const t = s['type']
  if (Array.isArray(t)) {
    const types = t.filter((x) => x !== 'null')
    if (types.length < t.length) out['nullable'] = true
    if (types.length === 1) out['type'] = types[0]
    else {
      delete out['type']
      if (types.length > 1) out['anyOf'] = types.map((x) => ({ type: x }))
    }
  }
  if (Object.hasOwn(s, 'const')) {
    out['enum'] = [s['const']]
    delete out['const']
  }
  if (Array.isArray(s['examples'])) {
    if (out['example'] === undefined && s['examples'].length > 0) out['example'] = s['examples'][0]
    delete out['examples']
  }
  if (typeof s['exclusiveMinimum'] === 'number') {
    out['minimum'] = s['exclusiveMinimum']
    out['exclusiveMinimum'] = true
  }
  if (typeof s['exclusiveMaximum'] === 'number') {
    out['maximum'] = s['exclusiveMaximum']
    out['exclusiveMaximum'] = true
  }
  return out
}

// Walks the document and rewrites every object under a `schema`/`schemas` key as a 3.0 schema.
function walk(node: unknown, depth: number): unknown {
  if (depth > 64) return node
  if (Array.isArray(node)) return node.map((x) => walk(x, depth + 1))
  if (!isObject(node)) return node
  const out: Json = {}
  for (const [k, v] of Object.entries(node)) {
    if (k === 'schema') out[k] = schema30(v, 0)
    else if (k === 'schemas' && isObject(v)) {
      out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, schema30(s, 0)]))
    } else out[k] = walk(v, depth + 1)
  }
  return out
}

/** A 3.0.3 rendering of an OpenAPI 3.1 document (webhooks and other 3.1-only parts dropped). */
export function downgradeTo30(doc: Json): Json {
  const out = walk(doc, 0) as Json
  out['openapi'] = '3.0.3'
  delete out['webhooks']
  delete out['jsonSchemaDialect']
  const info = out['info']
  if (isObject(info)) {
    delete info['summary']
    if (isObject(info['license'])) delete info['license']['identifier']
  }
  return out
}
