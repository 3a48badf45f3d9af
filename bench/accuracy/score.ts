// Scores an inferred OpenAPI document against the source document: operations (method +
// template, parameter names ignored), and for every matched operation the properties and types
// of its successful JSON responses.
import { resolve, type Schema } from './mock-data.js'

export interface Score {
  specOperations: number
  inferredOperations: number
  matchedOperations: number
  missingOperations: string[]
  extraOperations: string[]
  properties: number
  propertiesFound: number
  typesCorrect: number
  missingProperties: string[]
  wrongTypes: string[]
  /** the same for JSON request bodies */
  requestProperties: number
  requestPropertiesFound: number
  requestTypesCorrect: number
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']
const MAX_DEPTH = 8

function normalise(template: string): string {
  return template.replace(/\{[^}]*\}/g, '{}')
}

function operations(doc: Schema): Map<string, Schema> {
  const out = new Map<string, Schema>()
  for (const [template, item] of Object.entries((doc['paths'] ?? {}) as Record<string, Schema>)) {
    for (const m of METHODS)
      if (item[m] !== undefined) out.set(`${m.toUpperCase()} ${normalise(template)}`, item[m] as Schema)
  }
  return out
}

/** The one non-null type of a schema, or 'oneOf'/'any' when there is none. */
function typeOf(schema: Schema): string {
  if (schema['oneOf'] !== undefined) return 'oneOf'
  const t = schema['type']
  if (Array.isArray(t)) return (t.filter((x) => x !== 'null')[0] as string | undefined) ?? 'null'
  if (typeof t === 'string') return t
  return schema['properties'] !== undefined ? 'object' : 'any'
}

/** property path -> type, for every property below a schema (maps and truncated parts excluded). */
function propertyTypes(schema: Schema, doc: Schema): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (s0: Schema, prefix: string, depth: number): void => {
    if (depth > MAX_DEPTH) return
    const s = resolve(s0, doc)
    const props = s['properties'] as Record<string, Schema> | undefined
    if (props !== undefined) {
      for (const [name, p] of Object.entries(props)) {
        const path = `${prefix}.${name}`
        const rp = resolve(p, doc)
        out.set(path, typeOf(rp))
        walk(rp, path, depth + 1)
      }
    }
    const items = s['items'] as Schema | undefined
    if (items !== undefined) walk(items, `${prefix}[]`, depth + 1)
  }
  walk(schema, '', 0)
  return out
}

function requestSchemas(op: Schema, doc: Schema): Map<string, Schema> {
  const out = new Map<string, Schema>()
  const body = op['requestBody'] as Schema | undefined
  const content = (body === undefined ? {} : (resolve(body, doc)['content'] ?? {})) as Record<string, Schema>
  for (const [type, media] of Object.entries(content)) {
    if (type.includes('json') && media['schema'] !== undefined) out.set(type, media['schema'] as Schema)
  }
  return out
}

function jsonSchemas(op: Schema, doc: Schema): Map<string, Schema> {
  const out = new Map<string, Schema>()
  for (const [status, r] of Object.entries((op['responses'] ?? {}) as Record<string, Schema>)) {
    if (!status.startsWith('2')) continue
    const content = (resolve(r, doc)['content'] ?? {}) as Record<string, Schema>
    for (const [type, media] of Object.entries(content)) {
      if (type.includes('json') && media['schema'] !== undefined)
        out.set(`${status} ${type}`, media['schema'] as Schema)
    }
  }
  return out
}

export function scoreDocument(spec: Schema, inferred: Schema): Score {
  const specOps = operations(spec)
  const inferredOps = operations(inferred)
  const score: Score = {
    specOperations: specOps.size,
    inferredOperations: inferredOps.size,
    matchedOperations: 0,
    missingOperations: [],
    extraOperations: [...inferredOps.keys()].filter((k) => !specOps.has(k)).sort(),
    properties: 0,
    propertiesFound: 0,
    typesCorrect: 0,
    missingProperties: [],
    wrongTypes: [],
    requestProperties: 0,
    requestPropertiesFound: 0,
    requestTypesCorrect: 0,
  }
  for (const [key, op] of specOps) {
    const got = inferredOps.get(key)
    if (got === undefined) {
      score.missingOperations.push(key)
      continue
    }
    score.matchedOperations++
    const inferredSchemas = jsonSchemas(got, inferred)
    for (const [response, schema] of jsonSchemas(op, spec)) {
      const expected = propertyTypes(schema, spec)
      const actualSchema = inferredSchemas.get(response)
      const actual = actualSchema === undefined ? new Map<string, string>() : propertyTypes(actualSchema, inferred)
      for (const [path, type] of expected) {
        score.properties++
        const found = actual.get(path)
        if (found === undefined) {
          score.missingProperties.push(`${key} ${response} ${path}`)
          continue
        }
        score.propertiesFound++
        if (found === type) score.typesCorrect++
        else score.wrongTypes.push(`${key} ${response} ${path}: ${type} -> ${found}`)
      }
    }
    const inferredRequests = requestSchemas(got, inferred)
    for (const [type, schema] of requestSchemas(op, spec)) {
      const actualSchema = inferredRequests.get(type)
      const actual = actualSchema === undefined ? new Map<string, string>() : propertyTypes(actualSchema, inferred)
      for (const [path, t] of propertyTypes(schema, spec)) {
        score.requestProperties++
        const found = actual.get(path)
        if (found === undefined) {
          score.missingProperties.push(`${key} request ${type} ${path}`)
          continue
        }
        score.requestPropertiesFound++
        if (found === t) score.requestTypesCorrect++
        else score.wrongTypes.push(`${key} request ${type} ${path}: ${t} -> ${found}`)
      }
    }
  }
  return score
}
