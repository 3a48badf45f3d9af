// The names undocumented operations go by: the path templates `specter infer` writes for them
// (`/admin/users/{userId}`), not the capture's path keys (`/admin/users/{int}`). Templating is
// infer's, fed the way its OpenAPI builder feeds it (buildOpenApi in src/infer/openapi-builder.ts):
// every endpoint a document can describe, with its segment samples, request count and merged 2xx
// response shape, and the published templates under each server prefix. A test keeps the two in step.
import { mergeAll, type PathPins, placeholderClass, segmentsOf, templatePaths } from '../infer/index.js'
import type { SpecModel } from '../spec/index.js'
import type { Inventory, ObservedEndpoint } from '../store/inventory.js'

// Methods an OpenAPI path item has a field for, and the capture's segment classes: anything else
// (the store's `/{other}` overflow bucket) is never templated.
const METHODS: ReadonlySet<string> = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'])
const SEGMENT_CLASSES: ReadonlySet<string> = new Set([
  'int',
  'uuid',
  'oid',
  'hex',
  'date',
  'email',
  'token',
  'alnum',
  'str',
])

const describable = (e: ObservedEndpoint): boolean =>
  METHODS.has(e.method.toLowerCase()) &&
  segmentsOf(e.pathKey).every((seg) => {
    const cls = placeholderClass(seg)
    return cls === undefined || SEGMENT_CLASSES.has(cls)
  })

/** The key of an endpoint in the map inferredPaths returns. */
export const endpointKey = (e: Pick<ObservedEndpoint, 'method' | 'pathKey'>): string => `${e.method} ${e.pathKey}`

/**
 * The inferred path template of every describable endpoint, by endpointKey. Pure and
 * deterministic: the same inventory, spec and pins give the same names as `specter infer --spec`.
 */
export function inferredPaths(inventory: Inventory, spec: SpecModel, pins?: PathPins): Map<string, string> {
  const endpoints = inventory.endpoints.filter(describable)
  const publishedTemplates = [
    ...new Set(spec.operations.flatMap((op) => op.prefixes.map((p) => `${p}${op.template}`))),
  ].sort()
  const templating = templatePaths(
    endpoints.map((e) => {
      const responseShape = mergeAll(
        e.exchanges.flatMap((x) =>
          x.status >= 200 && x.status < 300 && x.responseBody !== undefined ? [x.responseBody] : [],
        ),
      )
      const input = { method: e.method, pathKey: e.pathKey, segments: e.segments, count: e.count }
      return responseShape === undefined ? input : { ...input, responseShape }
    }),
    { publishedTemplates, ...(pins === undefined ? {} : { pins }) },
  )
  const out = new Map<string, string>()
  endpoints.forEach((e, i) => {
    const template = templating.endpointTemplates[i]
    if (template !== undefined && template !== '') out.set(endpointKey(e), template)
  })
  return out
}
