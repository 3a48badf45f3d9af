// An in-place accumulator for the shape lattice, for the hot loop of `record`: adding N
// observations with `mergeShapes` allocates a whole new tree per observation, this mutates one
// tree the accumulator owns. The result equals folding with `mergeShapes` (same counts, same
// caps: the smallest PROPS_CAP keys in `.sort()` order stay, enums beyond ENUM_CAP become
// null); test/store/shape-accumulator.test.ts checks that against mergeShapes itself.
// Adding a shape `times` times at once is exact too: every count is a sum, every length a
// min/max, and the key sets the caps look at are the same after the first addition as after
// the last. A batch adds each distinct (shared, cached) shape once with its multiplicity.
import { DEFAULT_SHAPE_LIMITS, type Shape } from '../infer/index.js'

type StrShape = NonNullable<Shape['str']>
type ObjShape = NonNullable<Shape['obj']>
type ArrShape = NonNullable<Shape['arr']>

const PROPS_CAP = DEFAULT_SHAPE_LIMITS.maxPropsPerObject
const ENUM_CAP = DEFAULT_SHAPE_LIMITS.maxEnumValues
const own = Object.hasOwn

function newMap<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>
}

function cloneCounts(m: Record<string, number>, times: number): Record<string, number> {
  const out = newMap<number>()
  for (const k of Object.keys(m)) out[k] = (m[k] as number) * times
  return out
}

function addCountsInPlace(into: Record<string, number>, from: Record<string, number>, times: number): void {
  for (const k of Object.keys(from)) into[k] = (own(into, k) ? (into[k] as number) : 0) + (from[k] as number) * times
}

/**
 * A deep copy the accumulator may mutate (null-prototype maps throughout); with `times`, the
 * copy of `times` additions of `s` (every count multiplied).
 */
export function cloneShape(s: Shape, times = 1): Shape {
  const out: Shape = { n: s.n * times }
  if (s.nul !== undefined) out.nul = s.nul * times
  if (s.bool !== undefined) out.bool = s.bool * times
  if (s.int !== undefined) out.int = s.int * times
  if (s.num !== undefined) out.num = s.num * times
  if (s.str !== undefined) {
    const str: StrShape = { n: s.str.n * times, minLen: s.str.minLen, maxLen: s.str.maxLen }
    if (s.str.fmt !== undefined) str.fmt = cloneCounts(s.str.fmt, times)
    if (s.str.tag !== undefined) str.tag = cloneCounts(s.str.tag, times)
    if (s.str.vals !== undefined) str.vals = s.str.vals === null ? null : cloneCounts(s.str.vals, times)
    out.str = str
  }
  if (s.obj !== undefined) {
    const obj: ObjShape = { n: s.obj.n * times, props: newMap() }
    for (const k of Object.keys(s.obj.props)) obj.props[k] = cloneShape(s.obj.props[k] as Shape, times)
    if (s.obj.rest !== undefined) obj.rest = cloneShape(s.obj.rest, times)
    if (s.obj.restKeys !== undefined) obj.restKeys = s.obj.restKeys * times
    if (s.obj.idKeys !== undefined) obj.idKeys = s.obj.idKeys * times
    out.obj = obj
  }
  if (s.arr !== undefined) {
    const arr: ArrShape = { n: s.arr.n * times, minLen: s.arr.minLen, maxLen: s.arr.maxLen }
    if (s.arr.items !== undefined) arr.items = cloneShape(s.arr.items, times)
    out.arr = arr
  }
  if (s.trunc !== undefined) out.trunc = s.trunc * times
  return out
}

function addStr(a: StrShape, b: StrShape, times: number): void {
  a.n += b.n * times
  if (b.minLen < a.minLen) a.minLen = b.minLen
  if (b.maxLen > a.maxLen) a.maxLen = b.maxLen
  if (b.fmt !== undefined) {
    if (a.fmt === undefined) a.fmt = cloneCounts(b.fmt, times)
    else addCountsInPlace(a.fmt, b.fmt, times)
  }
  if (b.tag !== undefined) {
    if (a.tag === undefined) a.tag = cloneCounts(b.tag, times)
    else addCountsInPlace(a.tag, b.tag, times)
  }
  if (a.vals === null || a.vals === undefined || b.vals === null || b.vals === undefined) {
    a.vals = null
  } else {
    addCountsInPlace(a.vals, b.vals, times)
    if (Object.keys(a.vals).length > ENUM_CAP) a.vals = null
  }
}

function addObj(a: ObjShape, b: ObjShape, times: number): void {
  a.n += b.n * times
  for (const k of Object.keys(b.props)) {
    const pb = b.props[k] as Shape
    a.props[k] = own(a.props, k) ? accumulateShape(a.props[k] as Shape, pb, times) : cloneShape(pb, times)
  }
  if (b.rest !== undefined)
    a.rest = a.rest === undefined ? cloneShape(b.rest, times) : accumulateShape(a.rest, b.rest, times)
  if (b.restKeys !== undefined) a.restKeys = (a.restKeys ?? 0) + b.restKeys * times
  if (b.idKeys !== undefined) a.idKeys = (a.idKeys ?? 0) + b.idKeys * times
  const keys = Object.keys(a.props)
  if (keys.length > PROPS_CAP) {
    // Same rule as mergeShapes: keep the PROPS_CAP smallest keys of the union.
    keys.sort()
    for (let i = PROPS_CAP; i < keys.length; i++) {
      const k = keys[i] as string
      const moved = a.props[k] as Shape
      delete a.props[k]
      a.rest = a.rest === undefined ? moved : accumulateShape(a.rest, moved)
      a.restKeys = (a.restKeys ?? 0) + moved.n
    }
  }
}

function addArr(a: ArrShape, b: ArrShape, times: number): void {
  a.n += b.n * times
  if (b.minLen < a.minLen) a.minLen = b.minLen
  if (b.maxLen > a.maxLen) a.maxLen = b.maxLen
  if (b.items !== undefined)
    a.items = a.items === undefined ? cloneShape(b.items, times) : accumulateShape(a.items, b.items, times)
}

/**
 * Adds `b` into `acc` in place (`times` times, default once) and returns `acc`, equal to
 * `mergeShapes(acc, b)` (repeated). `acc` must be owned by the caller (from `cloneShape`); `b` is only read.
 */
export function accumulateShape(acc: Shape, b: Shape, times = 1): Shape {
  acc.n += b.n * times
  if (b.nul !== undefined) acc.nul = (acc.nul ?? 0) + b.nul * times
  if (b.bool !== undefined) acc.bool = (acc.bool ?? 0) + b.bool * times
  if (b.int !== undefined) acc.int = (acc.int ?? 0) + b.int * times
  if (b.num !== undefined) acc.num = (acc.num ?? 0) + b.num * times
  if (b.str !== undefined) {
    if (acc.str === undefined) acc.str = (cloneShape({ n: 0, str: b.str }, times) as { str: StrShape }).str
    else addStr(acc.str, b.str, times)
  }
  if (b.obj !== undefined) {
    if (acc.obj === undefined) acc.obj = (cloneShape({ n: 0, obj: b.obj }, times) as { obj: ObjShape }).obj
    else addObj(acc.obj, b.obj, times)
  }
  if (b.arr !== undefined) {
    if (acc.arr === undefined) acc.arr = (cloneShape({ n: 0, arr: b.arr }, times) as { arr: ArrShape }).arr
    else addArr(acc.arr, b.arr, times)
  }
  if (b.trunc !== undefined) acc.trunc = (acc.trunc ?? 0) + b.trunc * times
  return acc
}
