// Helpers only diff's rules use: media kinds and redacted example excerpts. The helpers security's
// rules share as well live in src/finding.
import type { ObservedEndpoint } from '../store/inventory.js'

/** JSON media types: application/json and any +json suffix (RFC 6839). */
export const isJsonMedia = (ct: string): boolean => ct === 'application/json' || ct.endsWith('+json')

/** Form media types, whose fields are names with string values. */
export const isFormMedia = (ct: string): boolean =>
  ct === 'application/x-www-form-urlencoded' || ct === 'multipart/form-data'

const MAX_EXAMPLE_CHARS = 200

/**
 * A bounded excerpt of an (already redacted) example body at a body path; '0' steps into the first
 * array item and '*' into the first property. Undefined when there is no such example.
 */
export function exampleAt(
  endpoint: ObservedEndpoint,
  side: 'request' | 'response',
  status: ((s: number) => boolean) | undefined,
  tokens: readonly string[],
): string | undefined {
  for (const ex of endpoint.examples) {
    if (status !== undefined && !status(ex.status)) continue
    const text = ex[side]
    if (text === undefined) continue
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      continue
    }
    let ok = true
    for (const t of tokens) {
      if (Array.isArray(value)) value = value[0]
      else if (value !== null && typeof value === 'object') {
        const o = value as Record<string, unknown>
        value = t === '*' ? o[Object.keys(o)[0] ?? ''] : Object.hasOwn(o, t) ? o[t] : undefined
      } else value = undefined
      if (value === undefined) {
        ok = false
        break
      }
    }
    if (!ok) continue
    const json = JSON.stringify(value)
    return json.length > MAX_EXAMPLE_CHARS ? `${json.slice(0, MAX_EXAMPLE_CHARS)}…` : json
  }
  return undefined
}
