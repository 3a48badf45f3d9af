// Property names in bodies are attacker-controlled and the shape keeps them verbatim, so a
// single 1 MiB key would be stored (and reported) as a name. Names longer than a real API
// uses are folded into the object's `rest`, counted like properties beyond the cap.
import { mergeShapes, type Shape } from '../infer/index.js'

/** Longest property name kept in a body shape. */
export const MAX_KEY_LENGTH = 128

/** The shape with over-long property names folded into `rest`; the same object when there are none. */
export function foldLongKeys(shape: Shape, maxKeyLength: number = MAX_KEY_LENGTH): Shape {
  let out = shape
  const items = shape.arr?.items
  if (items !== undefined) {
    const folded = foldLongKeys(items, maxKeyLength)
    if (folded !== items) out = { ...out, arr: { ...(shape.arr as NonNullable<Shape['arr']>), items: folded } }
  }
  const obj = shape.obj
  if (obj === undefined) return out
  let changed = false
  const props = Object.create(null) as Record<string, Shape>
  let rest = obj.rest === undefined ? undefined : foldLongKeys(obj.rest, maxKeyLength)
  let restKeys = obj.restKeys ?? 0
  if (rest !== obj.rest) changed = true
  for (const key of Object.keys(obj.props)) {
    const child = obj.props[key] as Shape
    if (key.length > maxKeyLength) {
      const folded = foldLongKeys(child, maxKeyLength)
      rest = rest === undefined ? folded : mergeShapes(rest, folded)
      restKeys += child.n
      changed = true
      continue
    }
    const folded = foldLongKeys(child, maxKeyLength)
    if (folded !== child) changed = true
    props[key] = folded
  }
  if (!changed) return out
  const next: NonNullable<Shape['obj']> = { ...obj, props }
  if (rest !== undefined) next.rest = rest
  if (restKeys > 0) next.restKeys = restKeys
  return { ...out, obj: next }
}
