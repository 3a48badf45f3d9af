// The shape lattice: a counted type tree of JSON values. Never holds values except
// a small, filtered set of enum candidates. `mergeShapes` is associative and commutative
// (every field is a sum, a union under a deterministic cap, or an absorbing top), so
// shapes from different batches, processes or proxies merge to the same result in any order.

import { stringFormat } from './string-format.js'

export interface Shape {
  /** observations of this node, null included */
  n: number
  nul?: number
  bool?: number
  int?: number
  /** numbers with a fractional part or an exponent */
  num?: number
  str?: StrShape
  obj?: ObjShape
  arr?: ArrShape
  /** observations not descended into: depth or node budget exhausted */
  trunc?: number
}

export interface StrShape {
  n: number
  /** format name -> count of values in that format */
  fmt?: Record<string, number>
  /** sensitive category (from the classifier hook) -> count */
  tag?: Record<string, number>
  /** distinct enum candidates -> count; null once too many were seen or one was unsafe (top) */
  vals?: Record<string, number> | null
  minLen: number
  maxLen: number
}

export interface ObjShape {
  n: number
  /** property -> shape; at most PROPS_CAP keys (the smallest in code-point order) */
  props: Record<string, Shape>
  /** merged shape of properties beyond the cap and of map values */
  rest?: Shape
  /** property observations that went into `rest` because of the cap */
  restKeys?: number
  /** observations whose keys were all identifiers (the object is a map) */
  idKeys?: number
}

export interface ArrShape {
  n: number
  items?: Shape
  minLen: number
  maxLen: number
}

export interface ShapeLimits {
  maxDepth: number
  maxNodes: number
  maxPropsPerObject: number
  maxItemsPerArray: number
  maxEnumValues: number
  maxEnumValueLength: number
}

export const DEFAULT_SHAPE_LIMITS: Readonly<ShapeLimits> = Object.freeze({
  maxDepth: 32,
  maxNodes: 20_000,
  maxPropsPerObject: 200,
  maxItemsPerArray: 64,
  maxEnumValues: 16,
  maxEnumValueLength: 32,
})

/** Property caps are applied when merging too; they must be the same everywhere for exact merges. */
export const PROPS_CAP = DEFAULT_SHAPE_LIMITS.maxPropsPerObject
export const ENUM_CAP = DEFAULT_SHAPE_LIMITS.maxEnumValues

export interface ShapeOfOptions {
  limits?: Partial<ShapeLimits>
  /**
   * Classifies a string value (sensitive-data detection). Receives the property name (or
   * undefined inside arrays) and the value; returns a category such as 'email' or undefined.
   * A classified value is never kept as an enum candidate.
   */
  classify?: (key: string | undefined, value: string) => string | undefined
}

// Field names whose values are personal or secret: never kept as enum candidates.
const PERSONAL_KEY =
  /(name|user|login|mail|phone|mobile|addr|street|city|zip|postal|birth|dob|ssn|passw|pwd|secret|token|key|auth|session|cookie|card|iban|account|note|comment|message|text|desc|title|url|uri|link|ip|host)/i
// Values that look like enum tokens: a short identifier-like word.
const ENUM_TOKEN = /^[A-Za-z][A-Za-z0-9_.:-]*$/

/** Keys that look like identifiers make an object a map (`additionalProperties`). */
export function isIdLikeKey(key: string): boolean {
  if (key.length === 0 || key.length > 64) return false
  if (/^[0-9]+$/.test(key)) return true
  const f = stringFormat(key)
  if (f === 'uuid') return true
  return key.length >= 12 && /^[0-9a-f]+$/i.test(key) && /[0-9]/.test(key)
}

const own = Object.hasOwn

function newMap<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>
}

function sortedMap<T>(m: Record<string, T>): Record<string, T> {
  const out = newMap<T>()
  for (const k of Object.keys(m).sort()) out[k] = m[k] as T
  return out
}

// True when the keys are in strictly increasing code-unit order, i.e. what `.sort()` gives for
// distinct keys. Objects enumerate integer-like keys first whatever the insertion order, so a
// false here only means "sort to be sure"; a true means inserting in this order equals sorting.
function isSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (!((keys[i - 1] as string) < (keys[i] as string))) return false
  return true
}

// `[...new Set([...a, ...b])].sort()`, by a linear merge when both lists are already sorted.
function unionSorted(a: string[], b: string[]): string[] {
  if (!isSorted(a) || !isSorted(b)) return [...new Set([...a, ...b])].sort()
  const out: string[] = []
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    const x = a[i] as string
    const y = b[j] as string
    if (x === y) {
      out.push(x)
      i++
      j++
    } else if (x < y) {
      out.push(x)
      i++
    } else {
      out.push(y)
      j++
    }
  }
  while (i < a.length) out.push(a[i++] as string)
  while (j < b.length) out.push(b[j++] as string)
  return out
}

/**
 * The shape of one parsed JSON value (count 1). Bounded in depth, nodes, properties and
 * array items: what is cut is counted in `trunc` or `rest`, never silently dropped.
 */
export function shapeOf(value: unknown, options: ShapeOfOptions = {}): Shape {
  const limits: ShapeLimits =
    options.limits === undefined ? DEFAULT_SHAPE_LIMITS : { ...DEFAULT_SHAPE_LIMITS, ...options.limits }
  const walker: Walker = { nodes: limits.maxNodes, limits, classify: options.classify }
  return walk(walker, value, undefined, 0)
}

interface Walker {
  /** node budget left */
  nodes: number
  limits: ShapeLimits
  classify: ShapeOfOptions['classify']
}

// Array items, map values and properties beyond the cap are the join of many values. Folding
// their shapes with `mergeShapes` allocates (and sorts) a whole tree per value; instead they are
// added into one mutable accumulator and turned into a shape once. `finish` gives exactly what
// the fold gives: every field is a sum, a min/max, a capped union or an absorbing top, so
// adding in place and merging pairwise agree. The fold's property cap (PROPS_CAP, in merges)
// is only reproduced when single values are within it, so larger per-value limits fold.
interface Acc {
  n: number
  nul: number
  bool: number
  int: number
  num: number
  trunc: number
  str: StrAcc | undefined
  obj: ObjAcc | undefined
  arr: ArrAcc | undefined
}

interface StrAcc {
  n: number
  minLen: number
  maxLen: number
  fmt: Record<string, number> | undefined
  tag: Record<string, number> | undefined
  vals: Record<string, number> | null
  valCount: number
}

interface ObjAcc {
  n: number
  props: Record<string, Acc>
  propCount: number
  /** keys were inserted in increasing order (so `props` needs no re-sort) */
  sorted: boolean
  lastKey: string
  rest: Acc | undefined
  restKeys: number
  idKeys: number
  /**
   * The key list of the last object added when it was a plain record within the property cap
   * (array items and map values mostly share one): `Object.keys` order, then the same keys in
   * `.sort()` order with their accumulators. An object with the same key list skips the sort,
   * the identifier test and the map lookups; it is walked in the same order as any other.
   */
  planKeys: string[] | undefined
  planSorted: string[]
  planAccs: Acc[]
}

interface ArrAcc {
  n: number
  minLen: number
  maxLen: number
  items: Acc | undefined
}

function newAcc(): Acc {
  return { n: 0, nul: 0, bool: 0, int: 0, num: 0, trunc: 0, str: undefined, obj: undefined, arr: undefined }
}

function walk(w: Walker, value: unknown, key: string | undefined, depth: number): Shape {
  if (w.nodes <= 0 || depth > w.limits.maxDepth) return { n: 1, trunc: 1 }
  w.nodes--
  if (value === null) return { n: 1, nul: 1 }
  switch (typeof value) {
    case 'boolean':
      return { n: 1, bool: 1 }
    case 'number':
      return Number.isInteger(value) ? { n: 1, int: 1 } : { n: 1, num: 1 }
    case 'bigint':
      return { n: 1, int: 1 }
    case 'string':
      return { n: 1, str: strShape(w, value, key) }
    case 'object':
      break
    default:
      return { n: 1, trunc: 1 }
  }
  const limits = w.limits
  if (Array.isArray(value)) {
    const arr: ArrShape = { n: 1, minLen: value.length, maxLen: value.length }
    const take = Math.min(value.length, limits.maxItemsPerArray)
    if (take === 1) arr.items = walk(w, value[0], undefined, depth + 1)
    else if (take > 1) {
      if (limits.maxPropsPerObject > PROPS_CAP) {
        let items = walk(w, value[0], undefined, depth + 1)
        for (let i = 1; i < take; i++) items = mergeShapes(items, walk(w, value[i], undefined, depth + 1))
        arr.items = items
      } else {
        const acc = newAcc()
        for (let i = 0; i < take; i++) add(w, acc, value[i], undefined, depth + 1)
        arr.items = finish(acc)
      }
    }
    return { n: 1, arr }
  }
  const keys = Object.keys(value as object)
  const obj: ObjShape = { n: 1, props: newMap() }
  const record = value as Record<string, unknown>
  if (keys.length > 0 && keys.every(isIdLikeKey)) {
    obj.idKeys = 1
    const take = Math.min(keys.length, limits.maxPropsPerObject)
    if (take === 1) obj.rest = walk(w, record[keys[0] as string], undefined, depth + 1)
    else if (take > 1) {
      if (limits.maxPropsPerObject > PROPS_CAP) {
        let rest = walk(w, record[keys[0] as string], undefined, depth + 1)
        for (let i = 1; i < take; i++) {
          rest = mergeShapes(rest, walk(w, record[keys[i] as string], undefined, depth + 1))
        }
        obj.rest = rest
      } else {
        const acc = newAcc()
        for (let i = 0; i < take; i++) add(w, acc, record[keys[i] as string], undefined, depth + 1)
        obj.rest = finish(acc)
      }
    }
    return { n: 1, obj }
  }
  if (!isSorted(keys)) keys.sort()
  const kept = Math.min(keys.length, limits.maxPropsPerObject)
  for (let i = 0; i < kept; i++) {
    const k = keys[i] as string
    obj.props[k] = walk(w, record[k], k, depth + 1)
  }
  if (keys.length > kept) {
    obj.restKeys = keys.length - kept
    obj.rest = restShape(w, record, keys, kept)
  }
  return { n: 1, obj }
}

// Properties beyond the cap are merged without descending further than one level.
function restShape(w: Walker, record: Record<string, unknown>, keys: string[], kept: number): Shape {
  const depth = w.limits.maxDepth
  if (w.limits.maxPropsPerObject > PROPS_CAP) {
    let rest: Shape | undefined
    for (let i = kept; i < keys.length && w.nodes > 0; i++) {
      const s = walk(w, record[keys[i] as string], keys[i], depth)
      rest = rest === undefined ? s : mergeShapes(rest, s)
    }
    return rest ?? { n: 1, trunc: 1 }
  }
  if (w.nodes <= 0) return { n: 1, trunc: 1 }
  if (kept + 1 === keys.length || w.nodes === 1) return walk(w, record[keys[kept] as string], keys[kept], depth)
  const acc = newAcc()
  for (let i = kept; i < keys.length && w.nodes > 0; i++) add(w, acc, record[keys[i] as string], keys[i], depth)
  return finish(acc)
}

// `walk`, added into `acc` instead of returned: same budget, order and classifier calls.
function add(w: Walker, acc: Acc, value: unknown, key: string | undefined, depth: number): void {
  acc.n++
  if (w.nodes <= 0 || depth > w.limits.maxDepth) {
    acc.trunc++
    return
  }
  w.nodes--
  if (value === null) {
    acc.nul++
    return
  }
  switch (typeof value) {
    case 'boolean':
      acc.bool++
      return
    case 'number':
      if (Number.isInteger(value)) acc.int++
      else acc.num++
      return
    case 'bigint':
      acc.int++
      return
    case 'string':
      addStr(w, acc, value, key)
      return
    case 'object':
      break
    default:
      acc.trunc++
      return
  }
  const limits = w.limits
  if (Array.isArray(value)) {
    const len = value.length
    let arr = acc.arr
    if (arr === undefined) {
      arr = { n: 0, minLen: len, maxLen: len, items: undefined }
      acc.arr = arr
    }
    arr.n++
    if (len < arr.minLen) arr.minLen = len
    if (len > arr.maxLen) arr.maxLen = len
    const take = Math.min(len, limits.maxItemsPerArray)
    if (take > 0) {
      let items = arr.items
      if (items === undefined) {
        items = newAcc()
        arr.items = items
      }
      for (let i = 0; i < take; i++) add(w, items, value[i], undefined, depth + 1)
    }
    return
  }
  const keys = Object.keys(value as object)
  const record = value as Record<string, unknown>
  let obj = acc.obj
  if (obj === undefined) {
    obj = {
      n: 0,
      props: newMap(),
      propCount: 0,
      sorted: true,
      lastKey: '',
      rest: undefined,
      restKeys: 0,
      idKeys: 0,
      planKeys: undefined,
      planSorted: [],
      planAccs: [],
    }
    acc.obj = obj
  }
  obj.n++
  const plan = obj.planKeys
  if (plan !== undefined && sameKeys(plan, keys)) {
    const sorted = obj.planSorted
    const accs = obj.planAccs
    for (let i = 0; i < sorted.length; i++) {
      const k = sorted[i] as string
      add(w, accs[i] as Acc, record[k], k, depth + 1)
    }
    return
  }
  if (keys.length > 0 && keys.every(isIdLikeKey)) {
    obj.idKeys++
    const take = Math.min(keys.length, limits.maxPropsPerObject)
    if (take > 0) {
      let rest = obj.rest
      if (rest === undefined) {
        rest = newAcc()
        obj.rest = rest
      }
      for (let i = 0; i < take; i++) add(w, rest, record[keys[i] as string], undefined, depth + 1)
    }
    return
  }
  const fits = keys.length <= limits.maxPropsPerObject
  const sorted = isSorted(keys) ? keys : fits ? keys.slice().sort() : keys.sort()
  const kept = Math.min(keys.length, limits.maxPropsPerObject)
  const props = obj.props
  const accs: Acc[] | undefined = fits ? new Array(kept) : undefined
  for (let i = 0; i < kept; i++) {
    const k = sorted[i] as string
    let p = own(props, k) ? props[k] : undefined
    if (p === undefined) {
      p = newAcc()
      props[k] = p
      if (obj.propCount > 0 && !(obj.lastKey < k)) obj.sorted = false
      obj.lastKey = k
      obj.propCount++
    }
    if (accs !== undefined) accs[i] = p
    add(w, p, record[k], k, depth + 1)
  }
  if (accs !== undefined) {
    obj.planKeys = keys
    obj.planSorted = sorted
    obj.planAccs = accs
  }
  if (keys.length > kept) {
    obj.restKeys += keys.length - kept
    let rest = obj.rest
    if (rest === undefined) {
      rest = newAcc()
      obj.rest = rest
    }
    const restDepth = limits.maxDepth
    let added = false
    for (let i = kept; i < keys.length && w.nodes > 0; i++) {
      add(w, rest, record[keys[i] as string], keys[i], restDepth)
      added = true
    }
    if (!added) {
      rest.n++
      rest.trunc++
    }
  }
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

function addStr(w: Walker, acc: Acc, value: string, key: string | undefined): void {
  const f = stringFormat(value)
  const tag = w.classify?.(key, value)
  let s = acc.str
  if (s === undefined) {
    s = {
      n: 0,
      minLen: value.length,
      maxLen: value.length,
      fmt: undefined,
      tag: undefined,
      vals: newMap(),
      valCount: 0,
    }
    acc.str = s
  }
  s.n++
  if (value.length < s.minLen) s.minLen = value.length
  if (value.length > s.maxLen) s.maxLen = value.length
  if (f !== undefined) {
    if (s.fmt === undefined) s.fmt = newMap()
    s.fmt[f] = (own(s.fmt, f) ? (s.fmt[f] as number) : 0) + 1
  }
  if (tag !== undefined) {
    if (s.tag === undefined) s.tag = newMap()
    s.tag[tag] = (own(s.tag, tag) ? (s.tag[tag] as number) : 0) + 1
  }
  const vals = s.vals
  if (vals === null) return
  if (!enumCandidate(w, value, key, f, tag)) {
    s.vals = null
    return
  }
  if (own(vals, value)) {
    vals[value] = (vals[value] as number) + 1
  } else if (s.valCount === ENUM_CAP) {
    s.vals = null
  } else {
    vals[value] = 1
    s.valCount++
  }
}

// The accumulated counts as a map in `.sort()` order; the accumulator's own map when it already is.
function finishCounts(m: Record<string, number>): Record<string, number> {
  const keys = Object.keys(m)
  return keys.length < 2 || isSorted(keys) ? m : sortedMap(m)
}

function singleCount(m: Record<string, number>): Record<string, number> {
  for (const k in m) return { [k]: 1 }
  return m
}

function finish(a: Acc): Shape {
  const out: Shape = { n: a.n }
  if (a.nul > 0) out.nul = a.nul
  if (a.bool > 0) out.bool = a.bool
  if (a.int > 0) out.int = a.int
  if (a.num > 0) out.num = a.num
  const s = a.str
  if (s !== undefined) {
    const str: StrShape = { n: s.n, minLen: s.minLen, maxLen: s.maxLen }
    // One value: the very maps `strShape` makes (plain objects), as the fold would share them.
    const counts = s.n === 1 ? singleCount : finishCounts
    if (s.fmt !== undefined) str.fmt = counts(s.fmt)
    if (s.tag !== undefined) str.tag = counts(s.tag)
    str.vals = s.vals === null ? null : counts(s.vals)
    out.str = str
  }
  if (a.obj !== undefined) out.obj = finishObj(a.obj)
  const r = a.arr
  if (r !== undefined) {
    const arr: ArrShape = { n: r.n, minLen: r.minLen, maxLen: r.maxLen }
    if (r.items !== undefined && r.items.n > 0) arr.items = finish(r.items)
    out.arr = arr
  }
  if (a.trunc > 0) out.trunc = a.trunc
  return out
}

function finishObj(o: ObjAcc): ObjShape {
  let rest = o.rest !== undefined && o.rest.n > 0 ? finish(o.rest) : undefined
  let restKeys = o.restKeys
  // The accumulator's map is reused for the finished shapes when its keys are in order.
  const props = o.props as unknown as Record<string, Shape>
  let out: Record<string, Shape>
  if (o.sorted && o.propCount <= PROPS_CAP) {
    for (const k in o.props) props[k] = finish(o.props[k] as Acc)
    out = props
  } else {
    out = newMap()
    const keys = Object.keys(o.props).sort()
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string
      const s = finish(o.props[k] as Acc)
      if (i < PROPS_CAP) out[k] = s
      else {
        // As in mergeObj: the PROPS_CAP smallest keys of the union stay, the others join `rest`.
        rest = rest === undefined ? s : mergeShapes(rest, s)
        restKeys += s.n
      }
    }
  }
  const obj: ObjShape = { n: o.n, props: out }
  if (rest !== undefined) obj.rest = rest
  if (restKeys > 0) obj.restKeys = restKeys
  if (o.idKeys > 0) obj.idKeys = o.idKeys
  return obj
}

function enumCandidate(
  w: Walker,
  value: string,
  key: string | undefined,
  f: string | undefined,
  tag: string | undefined,
): boolean {
  return (
    tag === undefined &&
    f === undefined &&
    value.length <= w.limits.maxEnumValueLength &&
    ENUM_TOKEN.test(value) &&
    (key === undefined || !PERSONAL_KEY.test(key))
  )
}

function strShape(w: Walker, value: string, key: string | undefined): StrShape {
  const s: StrShape = { n: 1, minLen: value.length, maxLen: value.length }
  const f = stringFormat(value)
  if (f !== undefined) s.fmt = { [f]: 1 }
  const tag = w.classify?.(key, value)
  if (tag !== undefined) s.tag = { [tag]: 1 }
  s.vals = enumCandidate(w, value, key, f, tag) ? { [value]: 1 } : null
  return s
}

function addCounts(
  a: Record<string, number> | undefined,
  b: Record<string, number> | undefined,
): Record<string, number> | undefined {
  if (a === undefined) return b === undefined ? undefined : sortedMap(b)
  if (b === undefined) return sortedMap(a)
  const out = newMap<number>()
  for (const k of unionSorted(Object.keys(a), Object.keys(b))) {
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
  const keys = unionSorted(Object.keys(a.props), Object.keys(b.props))
  let rest = mergeOptional(a.rest, b.rest)
  let restKeys = (a.restKeys ?? 0) + (b.restKeys ?? 0)
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string
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
  }
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
  return mergeShapes(a, b)
}

/** The least upper bound of two shapes; associative and commutative. */
export function mergeShapes(a: Shape, b: Shape): Shape {
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

/**
 * The shape merged with itself `times` times (`times` a positive integer): counts scaled, lengths
 * and value sets unchanged, in one pass instead of `times - 1` merges. Equal to folding
 * `mergeShapes` over `times` copies, normalisation included (sorted maps, caps), so a batch can
 * add a repeated body's shape once with its multiplicity.
 */
export function scaleShape(shape: Shape, times: number): Shape {
  if (!Number.isSafeInteger(times) || times < 1) {
    throw new RangeError(`scaleShape: times must be a positive integer, got ${times}`)
  }
  return times === 1 ? shape : scaled(shape, times)
}

function scaleCounts(m: Record<string, number>, k: number): Record<string, number> {
  const out = newMap<number>()
  for (const key of Object.keys(m).sort()) out[key] = (m[key] as number) * k
  return out
}

// mergeShapes(s, s) with every count times k: both sides always hold the same fields.
function scaled(s: Shape, k: number): Shape {
  const out: Shape = { n: s.n * k }
  if (s.nul !== undefined) out.nul = s.nul * k
  if (s.bool !== undefined) out.bool = s.bool * k
  if (s.int !== undefined) out.int = s.int * k
  if (s.num !== undefined) out.num = s.num * k
  const str = s.str
  if (str !== undefined) {
    const o: StrShape = { n: str.n * k, minLen: str.minLen, maxLen: str.maxLen }
    if (str.fmt !== undefined) o.fmt = scaleCounts(str.fmt, k)
    if (str.tag !== undefined) o.tag = scaleCounts(str.tag, k)
    o.vals =
      str.vals === null || str.vals === undefined || Object.keys(str.vals).length > ENUM_CAP
        ? null
        : scaleCounts(str.vals, k)
    out.str = o
  }
  const obj = s.obj
  if (obj !== undefined) {
    const o: ObjShape = { n: obj.n * k, props: newMap() }
    let rest = obj.rest === undefined ? undefined : scaled(obj.rest, k)
    let restKeys = (obj.restKeys ?? 0) * k
    const keys = Object.keys(obj.props).sort()
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string
      const p = scaled(obj.props[key] as Shape, k)
      if (i < PROPS_CAP) o.props[key] = p
      else {
        rest = rest === undefined ? p : mergeShapes(rest, p)
        restKeys += p.n
      }
    }
    if (rest !== undefined) o.rest = rest
    if (restKeys > 0) o.restKeys = restKeys
    if (obj.idKeys !== undefined) o.idKeys = obj.idKeys * k
    out.obj = o
  }
  const arr = s.arr
  if (arr !== undefined) {
    const o: ArrShape = { n: arr.n * k, minLen: arr.minLen, maxLen: arr.maxLen }
    if (arr.items !== undefined) o.items = scaled(arr.items, k)
    out.arr = o
  }
  if (s.trunc !== undefined) out.trunc = s.trunc * k
  return out
}

/** Merges any number of shapes (undefined for none). */
export function mergeAll(shapes: Iterable<Shape>): Shape | undefined {
  let acc: Shape | undefined
  for (const s of shapes) acc = acc === undefined ? s : mergeShapes(acc, s)
  return acc
}

/**
 * Reads a shape back from JSON (e.g. from the store) into null-prototype maps, so that
 * property names such as `__proto__` or `constructor` are plain data everywhere.
 */
export function parseShape(json: string): Shape {
  return JSON.parse(json, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const out = newMap<unknown>()
      for (const k of Object.keys(value)) out[k] = (value as Record<string, unknown>)[k]
      return out
    }
    return value
  }) as Shape
}

/** Canonical JSON of a shape: keys sorted at every level, so equal shapes give equal text. */
export function shapeToJson(shape: Shape): string {
  return JSON.stringify(shape, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? sortedMap(value as Record<string, unknown>)
      : value,
  )
}

/** Type names present in a node, in a fixed order (for schemas and type comparisons). */
export function typesOf(s: Shape): Array<'null' | 'boolean' | 'integer' | 'number' | 'string' | 'object' | 'array'> {
  const t: Array<'null' | 'boolean' | 'integer' | 'number' | 'string' | 'object' | 'array'> = []
  if (s.nul) t.push('null')
  if (s.bool) t.push('boolean')
  if (s.int && !s.num) t.push('integer')
  if (s.num) t.push('number')
  if (s.str) t.push('string')
  if (s.obj) t.push('object')
  if (s.arr) t.push('array')
  return t
}
