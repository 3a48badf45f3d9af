// The names undocumented operations go by: the path templates `specter infer` writes for them
// (`/admin/users/{userId}`), not the capture's path keys (`/admin/users/{int}`). Templating is
// infer's, fed exactly as its OpenAPI builder feeds it (isDescribable, templatingEndpointOf), with
// the published templates under each server prefix.
import { isDescribable, type PathPins, templatePaths, templatingEndpointOf } from '../infer/index.js'
import type { SpecModel } from '../spec/index.js'
import type { Inventory, ObservedEndpoint } from '../store/inventory.js'

/** The key of an endpoint in the map inferredPaths returns. */
export const endpointKey = (e: Pick<ObservedEndpoint, 'method' | 'pathKey'>): string => `${e.method} ${e.pathKey}`

/**
 * The inferred path template of every endpoint a document can describe, by endpointKey. Pure and
 * deterministic: the same inventory, spec and pins give the names `specter infer --spec` writes.
 */
export function inferredPaths(inventory: Inventory, spec: SpecModel, pins?: PathPins): Map<string, string> {
  const endpoints = inventory.endpoints.filter(isDescribable)
  const publishedTemplates = [
    ...new Set(spec.operations.flatMap((op) => op.prefixes.map((p) => `${p}${op.template}`))),
  ].sort()
  const templating = templatePaths(endpoints.map(templatingEndpointOf), {
    publishedTemplates,
    ...(pins === undefined ? {} : { pins }),
  })
  const out = new Map<string, string>()
  endpoints.forEach((e, i) => {
    const template = templating.endpointTemplates[i]
    if (template !== undefined && template !== '') out.set(endpointKey(e), template)
  })
  return out
}
