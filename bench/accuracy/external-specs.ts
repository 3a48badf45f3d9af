// Third-party example specs from the `@readme/oas-examples` package (a devDependency): the ones that
// describe a real API with several operations, path parameters and JSON responses. Those that only
// exercise one OpenAPI feature (parameter styles, callbacks, discriminators, security schemes,
// status-code lists, schema-type catalogues...) are left out: their "operations" are feature
// fixtures on made-up paths, often without a JSON response, and say nothing about real traffic.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

export interface ExternalSpec {
  /** path inside the package */
  file: string
  /** why it is in the selection */
  why: string
}

export const EXTERNAL_SPECS: readonly ExternalSpec[] = [
  {
    file: '3.0/yaml/petstore.yaml',
    why: 'Swagger Petstore (YAML): /v2 server prefix, integer and username path ids next to literal siblings (findByStatus, login)',
  },
  { file: '3.0/json/petstore-expanded.json', why: 'Petstore expanded: allOf composition, /api server prefix' },
  {
    file: '3.0/json/link-example.json',
    why: 'the OpenAPI links example (a Bitbucket-like API): /2.0/ prefix, nested username/slug/pid string parameters',
  },
  { file: '3.0/json/uspto.json', why: 'USPTO Data Set API: two string parameters in a row, a version segment' },
  {
    file: '3.0/yaml/readme-legacy.yaml',
    why: 'ReadMe API v1 (36 operations): word slugs, ids and versions under /api/v1, CRUD collections',
  },
  {
    file: '3.0/json/star-trek.json',
    why: 'STAPI (120 operations): large nested response schemas; search operations by query parameters',
  },
  { file: '3.1/json/petstore.json', why: 'Swagger Petstore in 3.1 form (type lists)' },
  {
    file: '3.1/yaml/train-travel.yaml',
    why: 'Train Travel API: uuid ids, nested /bookings/{id}/payment, oneOf payment sources',
  },
  {
    file: '3.1/json/readme.json',
    why: 'ReadMe API v2 (54 operations): branches, sections (an enum), titles, file names, ObjectIds and anyOf ids',
  },
]

/** The package's directory, or undefined when it is not installed. */
export function oasExamplesDir(): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve('@readme/oas-examples/package.json'))
  } catch {
    return undefined
  }
}

/** Absolute paths of the selected specs (optionally only those whose file names contain one of `only`). */
export function externalSpecFiles(only: readonly string[] = []): string[] {
  const dir = oasExamplesDir()
  if (dir === undefined) return []
  return EXTERNAL_SPECS.filter((s) => only.length === 0 || only.some((o) => s.file.includes(o))).map((s) =>
    join(dir, s.file),
  )
}
