// The shape lattice as first written (test-only): every value walked into its own shape, array
// items, map values and overflow properties folded with pairwise immutable merges. The optimised
// src/infer/shape.ts must give exactly what this gives.
import {
  type ArrShape,
  DEFAULT_SHAPE_LIMITS,
  ENUM_CAP,
  isIdLikeKey,
  type ObjShape,
  PROPS_CAP,
  type Shape,
  type ShapeLimits,
  type ShapeOfOptions,
  type StrShape,
} from '../../src/infer/shape.js'
import { stringFormat } from '../../src/infer/string-format.js'

const PERSONAL_KEY =
  /(name|user|login|mail|phone|mobile|addr|street|city|zip|postal|birth|dob|ssn|passw|pwd|secret|token|key|auth|session|cookie|card|iban|account|note|comment|message|text|desc|title|url|uri|link|ip|host)/i
const ENUM_TOKEN = /^[A-Za-z][A-Za-z0-9_.:-]*$/

const own = Object.hasOwn

function newMap<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>
}

function sortedMap<T>(m: Record<string, T>): Record<string, T> {
  const out = newMap<T>()
  for (const k of Object.keys(m).sort()) out[k] = m[k] as T
  return out
}

export function referenceShapeOf(value: unknown, options: ShapeOfOptions = {}): Shape {
  const limits: ShapeLimits = { ...DEFAULT_SHAPE_LIMITS, ...options.limits }
  const budget = { nodes: limits.maxNodes }
  return walk(value, undefined, 0, limits, budget, options.classify)
}

function walk(
  value: unknown,
  key: string | undefined,
  depth: number,
  limits: ShapeLimits,
  budget: { nodes: number },
  classify: ShapeOfOptions['classify'],
): Shape {
  if (budget.nodes <= 0 || depth > limits.maxDepth) return { n: 1, trunc: 1 }
  budget.nodes--
  if (value === null) return { n: 1, nul: 1 }
  switch (typeof value) {
    case 'boolean':
      return { n: 1, bool: 1 }
    case 'number':
      return Number.isInteger(value) ? { n: 1, int: 1 } : { n: 1, num: 1 }
    case 'bigint':
      return { n: 1, int: 1 }
    case 'string':
      return { n: 1, str: strShape(value, key, limits, classify) }
    case 'object':
      break
    default:
      return { n: 1, trunc: 1 }
  }
  if (Array.isArray(value)) {
    const arr: ArrShape = { n: 1, minLen: value.length, maxLen: value.length }
    const take = Math.min(value.length, limits.maxItemsPerArray)
    let items: Shape | undefined
    for (let i = 0; i < take; i++) {
      const s = walk(value[i], undefined, depth + 1, limits, budget, classify)
      items = items === undefined ? s : referenceMergeShapes(items, s)
    }
    if (items !== undefined) arr.items = items
    return { n: 1, arr }
  }
  const keys = Object.keys(value as object)
  const obj: ObjShape = { n: 1, props: newMap() }
  const record = value as Record<string, unknown>
  if (keys.length > 0 && keys.every(isIdLikeKey)) {
    obj.idKeys = 1
    let rest: Shape | undefined
    const take = Math.min(keys.length, limits.maxPropsPerObject)
    for (let i = 0; i < take; i++) {
      const s = walk(record[keys[i] as string], undefined, depth + 1, limits, budget, classify)
      rest = rest === undefined ? s : referenceMergeShapes(rest, s)
    }
    if (rest !== undefined) obj.rest = rest
    return { n: 1, obj }
  }
  keys.sort()
  const kept = Math.min(keys.length, limits.maxPropsPerObject)
  for (let i = 0; i < kept; i++) {
    const k = keys[i] as string
    obj.props[k] = walk(record[k], k, depth + 1, limits, budget, classify)
  }
  if (keys.length > kept) {
    obj.restKeys = keys.length - kept
    // Beyond the cap, shapes are merged without descending further than one level.
    let rest: Shape | undefined
    for (let i = kept; i < keys.length && budget.nodes > 0; i++) {
      const s = walk(record[keys[i] as string], keys[i], limits.maxDepth, limits, budget, classify)
      rest = rest === undefined ? s : referenceMergeShapes(rest, s)
    }
    obj.rest = rest ?? { n: 1, trunc: 1 }
  }
  return { n: 1, obj }
}

function strShape(
  value: string,
  key: string | undefined,
  limits: ShapeLimits,
  classify: ShapeOfOptions['classify'],
): StrShape {
  const s: StrShape = { n: 1, minLen: value.length, maxLen: value.length }
  const f = stringFormat(value)
  if (f !== undefined) s.fmt = { [f]: 1 }
  const tag = classify?.(key, value)
  if (tag !== undefined) s.tag = { [tag]: 1 }
  const safe =
    tag === undefined &&
    f === undefined &&
    value.length <= limits.maxEnumValueLength &&
    ENUM_TOKEN.test(value) &&
    (key === undefined || !PERSONAL_KEY.test(key))
  s.vals = safe ? { [value]: 1 } : null
  return s
}

function addCounts(
  a: Record<string, number> | undefined,
  b: Record<string, number> | undefined,
): Record<string, number> | undefined {
  if (a === undefined) return b === undefined ? undefined : sortedMap(b)
  if (b === undefined) return sortedMap(a)
  const out = newMap<number>()
  for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    out[k] = (own(a, k) ? (a[k] as number) : 0) + (own(b, k) ? (b[k] as number) : 0)
  }
  return out
}

function sum(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : a + b
}

function mergeStr(a: StrShape, b: StrShape): StrShape {
  const out: StrShape = {
    n: a.n + b.n,
    minLen: Math.min(a.minLen, b.minLen),
    maxLen: Math.max(a.maxLen, b.maxLen),
  }
  const fmt = addCounts(a.fmt, b.fmt)
  if (fmt !== undefined) out.fmt = fmt
  const tag = addCounts(a.tag, b.tag)
  if (tag !== undefined) out.tag = tag
  if (a.vals === null || b.vals === null || a.vals === undefined || b.vals === undefined) {
    out.vals = null
  } else {
    const vals = addCounts(a.vals, b.vals) as Record<string, number>
    out.vals = Object.keys(vals).length > ENUM_CAP ? null : vals
  }
  return out
}

function mergeObj(a: ObjShape, b: ObjShape): ObjShape {
  const out: ObjShape = { n: a.n + b.n, props: newMap() }
  const keys = [...new Set([...Object.keys(a.props), ...Object.keys(b.props)])].sort()
  let rest = mergeOptional(a.rest, b.rest)
  let restKeys = (a.restKeys ?? 0) + (b.restKeys ?? 0)
  keys.forEach((k, i) => {
    const pa = own(a.props, k) ? a.props[k] : undefined
    const pb = own(b.props, k) ? b.props[k] : undefined
    const merged = mergeOptional(pa, pb) as Shape
    if (i < PROPS_CAP) {
      out.props[k] = merged
    } else {
      // Keep the PROPS_CAP smallest keys of the union; that choice does not depend on order.
      rest = mergeOptional(rest, merged)
      restKeys += merged.n
    }
  })
  if (rest !== undefined) out.rest = rest
  if (restKeys > 0) out.restKeys = restKeys
  const idKeys = sum(a.idKeys, b.idKeys)
  if (idKeys !== undefined) out.idKeys = idKeys
  return out
}

function mergeArr(a: ArrShape, b: ArrShape): ArrShape {
  const out: ArrShape = {
    n: a.n + b.n,
    minLen: Math.min(a.minLen, b.minLen),
    maxLen: Math.max(a.maxLen, b.maxLen),
  }
  const items = mergeOptional(a.items, b.items)
  if (items !== undefined) out.items = items
  return out
}

function mergeOptional(a: Shape | undefined, b: Shape | undefined): Shape | undefined {
  if (a === undefined) return b
  if (b === undefined) return a
  return referenceMergeShapes(a, b)
}

export function referenceMergeShapes(a: Shape, b: Shape): Shape {
  const out: Shape = { n: a.n + b.n }
  const nul = sum(a.nul, b.nul)
  if (nul !== undefined) out.nul = nul
  const bool = sum(a.bool, b.bool)
  if (bool !== undefined) out.bool = bool
  const int = sum(a.int, b.int)
  if (int !== undefined) out.int = int
  const num = sum(a.num, b.num)
  if (num !== undefined) out.num = num
  if (a.str !== undefined || b.str !== undefined) {
    out.str = a.str === undefined ? (b.str as StrShape) : b.str === undefined ? a.str : mergeStr(a.str, b.str)
  }
  if (a.obj !== undefined || b.obj !== undefined) {
    out.obj =
      a.obj === undefined
        ? mergeObj({ n: 0, props: newMap() }, b.obj as ObjShape)
        : b.obj === undefined
          ? mergeObj(a.obj, { n: 0, props: newMap() })
          : mergeObj(a.obj, b.obj)
  }
  if (a.arr !== undefined || b.arr !== undefined) {
    out.arr = a.arr === undefined ? (b.arr as ArrShape) : b.arr === undefined ? a.arr : mergeArr(a.arr, b.arr)
  }
  const trunc = sum(a.trunc, b.trunc)
  if (trunc !== undefined) out.trunc = trunc
  return out
}
