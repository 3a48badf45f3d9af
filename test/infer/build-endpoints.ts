// Test helper: raw requests -> templating endpoints, the way capture and the store see them
// (path keys from pathKeyOf, bounded value samples, merged 2xx response shapes).
import {
  mergeShapes,
  pathKeyOf,
  type Shape,
  shapeOf,
  type TemplatingEndpoint,
  type TemplatingResult,
  templatePaths,
  type TemplatePathsOptions,
} from '../../src/infer/index.js'

export interface Request {
  method?: string
  path: string
  body?: unknown
}

/** With `counts`, each endpoint carries its request count, as the store's do. */
export function endpointsFrom(requests: readonly Request[], counts = false): TemplatingEndpoint[] {
  const byKey = new Map<
    string,
    { method: string; pathKey: string; values: Map<number, Set<string>>; shape?: Shape; count: number }
  >()
  for (const r of requests) {
    const method = r.method ?? 'GET'
    const { pathKey, values } = pathKeyOf(r.path)
    const key = `${method} ${pathKey}`
    let entry = byKey.get(key)
    if (entry === undefined) {
      entry = { method, pathKey, values: new Map(), count: 0 }
      byKey.set(key, entry)
    }
    entry.count++
    for (const [index, value] of values) {
      const set = entry.values.get(index) ?? new Set<string>()
      set.add(value)
      entry.values.set(index, set)
    }
    if (r.body !== undefined) {
      const s = shapeOf(r.body)
      entry.shape = entry.shape === undefined ? s : mergeShapes(entry.shape, s)
    }
  }
  return [...byKey.values()].map((e) => {
    const out: TemplatingEndpoint = {
      method: e.method,
      pathKey: e.pathKey,
      segments: [...e.values].map(([index, set]) => ({ index, values: [...set].sort() })),
    }
    if (e.shape !== undefined) out.responseShape = e.shape
    if (counts) out.count = e.count
    return out
  })
}

/** Templating of raw requests: raw path -> template. */
export function templatesOf(
  requests: readonly Request[],
  options?: TemplatePathsOptions,
  counts = false,
): Map<string, string> {
  const endpoints = endpointsFrom(requests, counts)
  const result: TemplatingResult = templatePaths(endpoints, options)
  const byKey = new Map(endpoints.map((e, i) => [`${e.method} ${e.pathKey}`, result.endpointTemplates[i] as string]))
  const out = new Map<string, string>()
  for (const r of requests) out.set(r.path, byKey.get(`${r.method ?? 'GET'} ${pathKeyOf(r.path).pathKey}`) as string)
  return out
}
