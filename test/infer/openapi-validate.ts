// Validates generated documents against the official OpenAPI 3.0 and 3.1 JSON Schemas
// (vendored in test/fixtures/openapi-schemas, see its README).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'

const dir = join(import.meta.dirname, '..', 'fixtures', 'openapi-schemas')
const load = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>
const addFormats = addFormatsModule as unknown as (ajv: Ajv | Ajv2020) => void

let v30: ValidateFunction | undefined
let v31: ValidateFunction | undefined
let ajv31: Ajv2020 | undefined

/** Draft-04 idioms of the 3.0 schema, adapted in memory for ajv's draft-07 engine. */
function adaptDraft04(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(adaptDraft04)
  if (node === null || typeof node !== 'object') return node
  const out: Record<string, unknown> = {}
  const record = node as Record<string, unknown>
  for (const [k, v] of Object.entries(record)) {
    if (k === 'id' || k === '$schema') continue
    if (k === 'exclusiveMinimum' && v === true) {
      out['exclusiveMinimum'] = record['minimum']
      continue
    }
    if (k === 'minimum' && record['exclusiveMinimum'] === true) continue
    out[k] = adaptDraft04(v)
  }
  return out
}

function validator30(): ValidateFunction {
  if (v30 === undefined) {
    const ajv = new Ajv({ strict: false, allErrors: true, formats: { 'media-range': true } })
    addFormats(ajv)
    v30 = ajv.compile(adaptDraft04(load('v3.0/schema.json')) as object)
  }
  return v30
}

function validator31(): ValidateFunction {
  if (v31 === undefined) {
    const ajv = new Ajv2020({ strict: false, allErrors: true, formats: { 'media-range': true } })
    addFormats(ajv)
    // ajv resolves schema.json's `$dynamicRef: #meta` to the wrong scope (spurious
    // unevaluatedProperties errors), so the reference is made static in memory, and every
    // Schema Object is checked against the JSON Schema 2020-12 meta-schema separately.
    v31 = ajv.compile(staticMeta(load('v3.1/schema.json')) as object)
    ajv31 = ajv
  }
  return v31
}

/** `$dynamicRef: #meta` -> a plain `$ref` to the schema definition (same meaning without a dialect override). */
function staticMeta(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(staticMeta)
  if (node === null || typeof node !== 'object') return node
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(node)) {
    if (k === '$dynamicRef' && v === '#meta') out['$ref'] = '#/$defs/schema'
    else if (k === '$dynamicAnchor') continue
    else out[k] = staticMeta(v)
  }
  return out
}

/** Schema Objects of a 3.1 document (components and every media type / parameter schema). */
function schemaObjects(document: Record<string, unknown>): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = []
  const walk = (node: unknown, path: string): void => {
    if (node === null || typeof node !== 'object') return
    for (const [k, v] of Object.entries(node)) {
      if (k === 'schema') out.push([`${path}/schema`, v])
      else walk(v, `${path}/${k}`)
    }
  }
  walk(document['paths'], '#/paths')
  const components = document['components'] as Record<string, unknown> | undefined
  for (const [name, s] of Object.entries((components?.['schemas'] ?? {}) as Record<string, unknown>)) {
    out.push([`#/components/schemas/${name}`, s])
  }
  return out
}

/** The validation errors of a document against its declared OpenAPI version ([] when valid). */
export function openApiErrors(document: Record<string, unknown>): ErrorObject[] {
  const version = String(document['openapi'])
  const validate = version.startsWith('3.1') ? validator31() : validator30()
  const errors = validate(document) ? [] : [...(validate.errors ?? [])]
  if (version.startsWith('3.1') && ajv31 !== undefined) {
    for (const [path, schema] of schemaObjects(document)) {
      if (!ajv31.validateSchema(schema as object)) {
        for (const e of ajv31.errors ?? []) errors.push({ ...e, instancePath: `${path}${e.instancePath}` })
      }
    }
  }
  return errors
}
