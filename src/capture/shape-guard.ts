// Property names in bodies are attacker-controlled and the shape keeps them verbatim, so a
// single 1 MiB key would be stored (and reported) as a name, and a map keyed by session tokens
// or e-mail addresses would store those as names. Such names are folded into the object's
// `rest`, counted like properties beyond the cap: the shape keeps their values' shape, not them.
import { mergeShapes, type Shape, stringFormat } from '../infer/index.js'

// Field names are words (`shippingAddress2`); credentials are long runs with several digits.
const KEY_TOKEN = /^[A-Za-z0-9_.~+/=-]{16,512}$/
const JWT = /^eyJ[A-Za-z0-9_-]{4,}\./

function looksLikeTokenKey(key: string): boolean {
  if (!KEY_TOKEN.test(key)) return false
  if (JWT.test(key)) return true
  let digits = 0
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i)
    if (c >= 48 && c <= 57) digits++
  }
  return digits >= 3 && digits < key.length
}

/** Longest property name kept in a body shape. */
export const MAX_KEY_LENGTH = 128

/** True for a property name that must not be kept: over-long, credential-like, or an e-mail address. */
export function isUnsafeKey(key: string, maxKeyLength: number = MAX_KEY_LENGTH): boolean {
  if (key.length > maxKeyLength) return true
  if (key.length >= 16 && looksLikeTokenKey(key)) return true
  return key.includes('@') && stringFormat(key) === 'email'
}

/** The shape with unsafe property names folded into `rest`; the same object when there are none. */
export function foldUnsafeKeys(shape: Shape, maxKeyLength: number = MAX_KEY_LENGTH): Shape {
  let out = shape
  const items = shape.arr?.items
  if (items !== undefined) {
    const folded = foldUnsafeKeys(items, maxKeyLength)
    if (folded !== items) out = { ...out, arr: { ...(shape.arr as NonNullable<Shape['arr']>), items: folded } }
  }
  const obj = shape.obj
  if (obj === undefined) return out
  let rest = obj.rest === undefined ? undefined : foldUnsafeKeys(obj.rest, maxKeyLength)
  let restKeys = obj.restKeys ?? 0
  // Nearly every shape has nothing to fold: the props map is only copied once something changes.
  let props: Record<string, Shape> | undefined
  const keys = Object.keys(obj.props)
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string
    const child = obj.props[key] as Shape
    const unsafe = isUnsafeKey(key, maxKeyLength)
    const folded = foldUnsafeKeys(child, maxKeyLength)
    if (props === undefined) {
      if (!unsafe && folded === child) continue
      props = Object.create(null) as Record<string, Shape>
      for (let j = 0; j < i; j++) props[keys[j] as string] = obj.props[keys[j] as string] as Shape
    }
    if (unsafe) {
      rest = rest === undefined ? folded : mergeShapes(rest, folded)
      restKeys += child.n
      continue
    }
    props[key] = folded
  }
  const changed = props !== undefined || rest !== obj.rest
  if (!changed) return out
  const next: NonNullable<Shape['obj']> = { ...obj, props: props ?? obj.props }
  if (rest !== undefined) next.rest = rest
  if (restKeys > 0) next.restKeys = restKeys
  return { ...out, obj: next }
}
