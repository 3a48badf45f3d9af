// Which object a request addresses: the raw values of the placeholder segments of its path key
// (`/accounts/42/orders/7` under `/accounts/{int}/orders/{int}` is object `42/7`). The tracker
// hashes it at once; it is never stored.
import { placeholderClass } from '../infer/index.js'

const MAX_OBJECT_ID_CHARS = 512

/**
 * The object id of a request path under its path key, or undefined when the key has no
 * placeholder (a collection, not an object) or the two do not line up.
 */
export function objectIdOf(path: string, pathKey: string): string | undefined {
  const raw = path.split('/')
  const key = pathKey.split('/')
  if (raw.length !== key.length) return undefined
  let id: string | undefined
  for (let i = 1; i < key.length; i++) {
    if (placeholderClass(key[i] as string) === undefined) continue
    id = id === undefined ? (raw[i] as string) : `${id}/${raw[i] as string}`
  }
  return id?.slice(0, MAX_OBJECT_ID_CHARS)
}
