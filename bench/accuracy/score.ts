// Scores an inferred OpenAPI document against the source document: operations (method +
// template, parameter names ignored), and for every matched operation the properties and types
// of its successful JSON responses.
import { resolve, type Schema } from './mock-data.js'
import { type Direction, viewOf } from './schema-view.js'
import { preferJson, serverPrefix, statusOf } from './traffic.js'

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

/** Operations by `METHOD /template` (parameter names blanked), the spec's server path prefix in front. */
function operations(doc: Schema, prefix = ''): Map<string, Schema> {
  const out = new Map<string, Schema>()
  for (const [template, item] of Object.entries((doc['paths'] ?? {}) as Record<string, Schema>)) {
    for (const m of METHODS)
      if (item[m] !== undefined) out.set(`${m.toUpperCase()} ${normalise(`${prefix}${template}`)}`, item[m] as Schema)
  }
  return out
}

/**
 * property path -> type, for every property below a schema (maps and truncated parts excluded).
 * `allOf` is folded, `oneOf`/`anyOf` alternatives contribute their properties, readOnly and
 * writeOnly properties count on their side only.
 */
function propertyTypes(schema: Schema, doc: Schema, direction: Direction): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (schemas: Schema[], prefix: string, depth: number): void => {
    if (depth > MAX_DEPTH) return
    const view = viewOf(schemas, doc, direction)
    for (const [name, ps] of view.properties) {
      const path = `${prefix}.${name}`
      out.set(path, viewOf(ps, doc, direction).type)
      walk(ps, path, depth + 1)
    }
    if (view.items.length > 0) walk(view.items, `${prefix}[]`, depth + 1)
  }
  walk([schema], '', 0)
  return out
}

/** A schema that declares no type admits any value. */
const typeMatches = (expected: string, found: string): boolean => expected === 'any' || expected === found

function requestSchemas(op: Schema, doc: Schema): Map<string, Schema> {
  const out = new Map<string, Schema>()
  const body = op['requestBody'] as Schema | undefined
  const content = (body === undefined ? {} : (resolve(body, doc)['content'] ?? {})) as Record<string, Schema>
  for (const [type, media] of Object.entries(content)) {
    // The traffic sends the first JSON media type only.
    if (type === preferJson(Object.keys(content))[0] && type.includes('json') && media['schema'] !== undefined)
      out.set(type, media['schema'] as Schema)
  }
  return out
}

const successes = (op: Schema): number =>
  Object.keys((op['responses'] ?? {}) as Record<string, Schema>).filter((s) => s.startsWith('2')).length

function jsonSchemas(op: Schema, doc: Schema): Map<string, Schema> {
  const out = new Map<string, Schema>()
  for (const [status, r] of Object.entries((op['responses'] ?? {}) as Record<string, Schema>)) {
    if (!status.startsWith('2') && !(status === 'default' && successes(op) === 0)) continue
    const content = (resolve(r, doc)['content'] ?? {}) as Record<string, Schema>
    for (const [type, media] of Object.entries(content)) {
      if (type.includes('json') && media['schema'] !== undefined)
        out.set(`${statusOf(status)} ${type}`, media['schema'] as Schema)
    }
  }
  return out
}

export function scoreDocument(spec: Schema, inferred: Schema): Score {
  const specOps = operations(spec, serverPrefix(spec))
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
      const expected = propertyTypes(schema, spec, 'response')
      const actualSchema = inferredSchemas.get(response)
      const actual =
        actualSchema === undefined ? new Map<string, string>() : propertyTypes(actualSchema, inferred, 'response')
      for (const [path, type] of expected) {
        score.properties++
        const found = actual.get(path)
        if (found === undefined) {
          score.missingProperties.push(`${key} ${response} ${path}`)
          continue
        }
        score.propertiesFound++
        if (typeMatches(type, found)) score.typesCorrect++
        else score.wrongTypes.push(`${key} ${response} ${path}: ${type} -> ${found}`)
      }
    }
    // Request bodies are inferred from successful exchanges only: an operation that never succeeds has none.
    if (successes(op) === 0 && (op['responses'] as Record<string, unknown> | undefined)?.['default'] === undefined)
      continue
    const inferredRequests = requestSchemas(got, inferred)
    for (const [type, schema] of requestSchemas(op, spec)) {
      const actualSchema = inferredRequests.get(type)
      const actual =
        actualSchema === undefined ? new Map<string, string>() : propertyTypes(actualSchema, inferred, 'request')
      for (const [path, t] of propertyTypes(schema, spec, 'request')) {
        score.requestProperties++
        const found = actual.get(path)
        if (found === undefined) {
          score.missingProperties.push(`${key} request ${type} ${path}`)
          continue
        }
        score.requestPropertiesFound++
        if (typeMatches(t, found)) score.requestTypesCorrect++
        else score.wrongTypes.push(`${key} request ${type} ${path}: ${t} -> ${found}`)
      }
    }
  }
  return score
}
