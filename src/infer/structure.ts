// Structural fingerprints used as evidence when deciding whether literal path siblings are
// values of one parameter: the set of property paths of a response shape.

import type { Shape } from './shape.js'

const MAX_PATH_DEPTH = 4
const MAX_PATHS = 256
/** A property name: letters, digits, `_`, `$`, `@` and `-`, not starting with a digit. */
const PROPERTY_NAME = /^[A-Za-z_$@][A-Za-z0-9_$@-]{0,63}$/

function isDataKey(key: string): boolean {
  return !PROPERTY_NAME.test(key)
}

/**
 * Property paths of a shape (`:object`, `items[]`, `items[].id`), bounded in depth and count.
 * Two responses of the same resource share most of them whatever their values.
 */
export function propertyPaths(shape: Shape | undefined): Set<string> {
  const out = new Set<string>()
  if (shape === undefined) return out
  if (shape.obj !== undefined) out.add(':object')
  if (shape.arr !== undefined) out.add(':array')
  const walk = (s: Shape, prefix: string, depth: number): void => {
    if (depth > MAX_PATH_DEPTH || out.size >= MAX_PATHS) return
    if (s.obj !== undefined) {
      const keys = Object.keys(s.obj.props).sort()
      // Keys that could not be property names (`petstore.json`, `maple-20.py`, `42`) are data:
      // the object is a map, whatever keys this observation happened to carry.
      const map = keys.length > 0 && keys.every(isDataKey)
      if (map) out.add(`${prefix}{}`)
      for (const key of map ? [] : keys) {
        if (out.size >= MAX_PATHS) return
        const path = prefix === '' ? key : `${prefix}.${key}`
        out.add(path)
        walk(s.obj.props[key] as Shape, path, depth + 1)
      }
      if (s.obj.idKeys !== undefined && s.obj.rest !== undefined) {
        out.add(`${prefix}{}`)
        walk(s.obj.rest, `${prefix}{}`, depth + 1)
      }
    }
    if (s.arr?.items !== undefined) {
      out.add(`${prefix}[]`)
      walk(s.arr.items, `${prefix}[]`, depth + 1)
    }
  }
  walk(shape, '', 0)
  return out
}

/** Jaccard similarity of two sets (1 for two empty sets). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1
  let common = 0
  for (const x of a) if (b.has(x)) common++
  return common / (a.size + b.size - common)
}
