// Maps a live request target to a bounded `route` label. The route is a template (documented
// or inferred, from the matcher) or the path key of infer's segment classifier (`/users/{int}`);
// never the raw path. Distinct routes are capped: past `maxRoutes`, new ones share `__other__`,
// whatever clients send (see Prometheus' "Use labels" guidance on cardinality).
import { foldDigitSegments, pathKeyOf } from '../infer/index.js'

export const OTHER_ROUTE = '__other__'

/** A runtime template matcher: the template for a live path, or undefined when none matches. */
export type RouteMatcher = (method: string, path: string) => string | undefined

export interface RouteLabelOptions {
  /** distinct routes kept before overflowing into `__other__` */
  maxRoutes: number
  matchRoute?: RouteMatcher | undefined
}

// Longer targets are cut before classification: the classifier is linear, but there is no
// reason to spend it on megabytes of path.
const MAX_PATH_CHARS = 2048
// A literal segment stays in the label only when it is plainly a word; anything else (percent
// escapes, punctuation, very long runs) becomes `{str}` so labels never carry odd client bytes.
const SAFE_LITERAL = /^[A-Za-z0-9_.~-]{1,64}$/
// Template segments: `{id}`, or mixed such as `{name}.json` (from the matcher or the path key).
const TEMPLATE_SEGMENT = /^[A-Za-z0-9_.~{}-]{1,96}$/
const MAX_SEGMENTS = 32
// Raw (method, path) -> route, so repeated paths skip the matcher and the classifier (measured at
// 5-12 µs a request). Bounded (paths are cut at MAX_PATH_CHARS): cleared when full, so
// identifier-laden paths cannot grow it.
const MAX_CACHED_PATHS = 1024
// Most paths differ only in their ids, which miss the raw cache. Behind it: the classifier's
// route by the path with every all-digit segment folded to `0` (infer's foldDigitSegments: the
// fold keeps the path key), and matched templates by their normalised label.
const MAX_CACHED_TEMPLATES = 1024

function pathOf(url: string): string | undefined {
  if (url.length === 0 || url[0] !== '/') return undefined
  let end = url.length
  const q = url.indexOf('?')
  if (q !== -1) end = q
  const h = url.indexOf('#')
  if (h !== -1 && h < end) end = h
  return url.slice(0, Math.min(end, MAX_PATH_CHARS))
}

function normalise(pathKey: string): string {
  const segments = pathKey.split('/')
  if (segments.length > MAX_SEGMENTS + 1) return OTHER_ROUTE
  for (let i = 1; i < segments.length; i++) {
    const seg = segments[i] as string
    if (seg === '' || SAFE_LITERAL.test(seg) || (seg.includes('{') && TEMPLATE_SEGMENT.test(seg))) continue
    segments[i] = '{str}'
  }
  return segments.join('/')
}

/** Bounded memo: cleared when full, so hostile variety cannot grow it. */
function remember(map: Map<string, string>, key: string, value: string, max: number): void {
  if (map.size >= max) map.clear()
  map.set(key, value)
}

/** Keeps the set of route label values seen so far and caps it. */
export class RouteLabels {
  readonly #maxRoutes: number
  #matchRoute: RouteMatcher | undefined
  readonly #known = new Set<string>()
  readonly #routeOfPath = new Map<string, string>()
  /** folded path -> route, for paths no template matches */
  readonly #routeOfFolded = new Map<string, string>()
  /** template -> its label */
  readonly #routeOfTemplate = new Map<string, string>()
  #overflowed = 0

  constructor(options: RouteLabelOptions) {
    this.#maxRoutes = Math.max(0, Math.floor(options.maxRoutes))
    this.#matchRoute = options.matchRoute
  }

  /** Installs (or removes) the runtime template matcher, e.g. once the published spec is loaded. */
  setMatcher(matchRoute: RouteMatcher | undefined): void {
    this.#matchRoute = matchRoute
    this.#routeOfPath.clear()
    this.#routeOfTemplate.clear()
  }

  /** The route label for a request target (path and query, as received). */
  label(method: string, url: string): string {
    const path = pathOf(url)
    if (path === undefined) return OTHER_ROUTE
    const key = `${method} ${path}`
    let route = this.#routeOfPath.get(key)
    if (route === undefined) {
      route = this.#routeOf(method, path)
      remember(this.#routeOfPath, key, route, MAX_CACHED_PATHS)
    }
    if (this.#known.has(route)) return route
    if (route === OTHER_ROUTE || this.#known.size >= this.#maxRoutes) {
      this.#overflowed++
      return OTHER_ROUTE
    }
    this.#known.add(route)
    return route
  }

  #routeOf(method: string, path: string): string {
    let route: string | undefined
    if (this.#matchRoute !== undefined) {
      try {
        route = this.#matchRoute(method, path)
      } catch {
        // A failing matcher must not cost the request its metrics: fall back to the path key.
        route = undefined
      }
    }
    if (route !== undefined) {
      let label = this.#routeOfTemplate.get(route)
      if (label === undefined) {
        label = normalise(route)
        remember(this.#routeOfTemplate, route, label, MAX_CACHED_TEMPLATES)
      }
      return label
    }
    const folded = foldDigitSegments(path)
    let label = this.#routeOfFolded.get(folded)
    if (label === undefined) {
      label = normalise(pathKeyOf(path).pathKey)
      remember(this.#routeOfFolded, folded, label, MAX_CACHED_PATHS)
    }
    return label
  }

  /** distinct routes currently labelled (without `__other__`) */
  get size(): number {
    return this.#known.size
  }

  /** requests whose route was folded into `__other__` */
  get overflowed(): number {
    return this.#overflowed
  }
}
