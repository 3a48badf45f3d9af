// A spec and traffic that produce findings of several kinds, including hostile paths and keys.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Ajv, type ValidateFunction } from 'ajv'
import { onTestFinished } from 'vitest'
import type { Call } from '../diff/traffic.js'

export const SPEC = `openapi: 3.0.3
info:
  title: Shop <b>API</b>
  version: '1'
paths:
  /users/{id}:
    get:
      responses:
        '200':
          description: a user
          content:
            application/json:
              schema:
                type: object
                additionalProperties: false
                properties:
                  id: { type: integer }
  /v1/orders:
    get:
      deprecated: true
      responses:
        '200': { description: orders }
`

/** The spec the proxy end-to-end tests record traffic against: a required field that can drift,
 * a deprecated v1 route and its v2 successor. */
export const TRAFFIC_SPEC = `openapi: 3.0.3
info:
  title: Shop <b>API</b>
  version: '1'
paths:
  /users/{id}:
    get:
      responses:
        '200':
          description: a user
          content:
            application/json:
              schema:
                type: object
                required: [id, name]
                properties:
                  id: { type: integer }
                  name: { type: string }
  /v1/orders:
    get:
      deprecated: true
      responses:
        '200': { description: orders }
  /v2/orders:
    get:
      responses:
        '200': { description: orders }
`

export const HOSTILE_PATH = '/admin/<script>alert(1)</script>'
/** A value that must never appear in a report (only its shape is recorded). */
export const PLANTED_VALUE = 'Ada Lovelace, 1815'

export const HOSTILE_KEY = '<img src=x onerror=alert(2)>'

export const CALLS: Call[] = [
  { url: '/users/1', responseBody: { id: 1, [HOSTILE_KEY]: 'x', nickname: PLANTED_VALUE }, times: 3 },
  { url: '/v1/orders', times: 2 },
  { url: HOSTILE_PATH },
  { method: 'POST', url: '/admin/users', status: 201 },
  { url: '/reports/[x](javascript:alert(3))' },
]

/** Writes the spec to a temp dir and returns its path. */
export function writeSpec(text = SPEC): string {
  const dir = mkdtempSync(join(tmpdir(), 'specter-report-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'openapi.yaml')
  writeFileSync(file, text)
  return file
}

/** A validator for JSON reports: the published report schema (src/report/report-schema.json), strict. */
export function reportValidator(): ValidateFunction {
  const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../../src/report/report-schema.json'), 'utf8'))
  return new Ajv({ strict: true, allowUnionTypes: true, allErrors: true }).compile(schema)
}
