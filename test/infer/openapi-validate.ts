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
    const ajv = new Ajv({ strict: false, allErrors: true })
    addFormats(ajv)
    v30 = ajv.compile(adaptDraft04(load('v3.0/schema.json')) as object)
  }
  return v30
}

function validator31(): ValidateFunction {
  if (v31 === undefined) {
    const ajv = new Ajv2020({ strict: false, allErrors: true })
    addFormats(ajv)
    ajv.addSchema(load('v3.1/meta/base.schema.json'))
    ajv.addSchema(load('v3.1/dialect/base.schema.json'))
    ajv.addSchema(load('v3.1/schema.json'))
    v31 = ajv.compile(load('v3.1/schema-base.json'))
  }
  return v31
}

/** The validation errors of a document against its declared OpenAPI version ([] when valid). */
export function openApiErrors(document: Record<string, unknown>): ErrorObject[] {
  const version = String(document['openapi'])
  const validate = version.startsWith('3.1') ? validator31() : validator30()
  return validate(document) ? [] : (validate.errors ?? [])
}
