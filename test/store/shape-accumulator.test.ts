import { expect, test } from 'vitest'
import { mergeShapes, type Shape, shapeOf, shapeToJson } from '../../src/infer/index.js'
import { accumulateExchange, aggregateObservations, mergeExchange } from '../../src/store/aggregate.js'
import { DEFAULT_STORE_LIMITS } from '../../src/store/index.js'
import { accumulateShape, cloneShape } from '../../src/store/shape-accumulator.js'
import { canonicalJson } from '../../src/store/shape-json.js'
import { prng, realisticTraffic } from './observations.js'

/** Random JSON: nested objects and arrays, enum-like and formatted strings, many keys (past the 200-key cap). */
function randomValue(rnd: () => number, depth: number): unknown {
  const r = rnd()
  if (depth > 3 || r < 0.25) {
    const leaf = rnd()
    if (leaf < 0.15) return null
    if (leaf < 0.3) return rnd() < 0.5
    if (leaf < 0.45) return Math.floor(rnd() * 100)
    if (leaf < 0.55) return rnd() * 10
    if (leaf < 0.7) return `v${Math.floor(rnd() * 24)}`
    if (leaf < 0.8) return '2024-01-02T03:04:05Z'
    if (leaf < 0.9) return 'someone@example.test'
    return 'free text, not an enum'
  }
  if (r < 0.5) return Array.from({ length: Math.floor(rnd() * 4) }, () => randomValue(rnd, depth + 1))
  const wide = depth === 1 && rnd() < 0.2
  const width = wide ? 150 : 1 + Math.floor(rnd() * 4)
  const obj: Record<string, unknown> = {}
  // wide objects (past the 200-key cap once merged) hold leaves only, to keep the trees small
  for (let i = 0; i < width; i++)
    obj[`k${Math.floor(rnd() * (wide ? 400 : 12))}`] = randomValue(rnd, wide ? 9 : depth + 1)
  // an own "__proto__" key, as JSON.parse makes it (plain assignment would set the prototype)
  if (rnd() < 0.05)
    Object.defineProperty(obj, '__proto__', { value: 1, enumerable: true, writable: true, configurable: true })
  return obj
}

test.each([1, 2, 3, 4, 5])('accumulating in place equals folding with mergeShapes (seed %i)', (seed) => {
  const rnd = prng(seed)
  const shapes: Shape[] = Array.from({ length: 120 }, () => shapeOf(randomValue(rnd, 0)))
  const before = shapes.map(shapeToJson)
  const folded = shapes.reduce((a, b) => mergeShapes(a, b))
  let acc: Shape = { n: 0 }
  for (const s of shapes) acc = accumulateShape(acc, s)
  expect(shapeToJson(acc)).toBe(shapeToJson(folded))
  expect(acc).toEqual(folded)
  expect(canonicalJson(acc)).toBe(shapeToJson(folded))
  for (const s of shapes) expect(canonicalJson(s)).toBe(shapeToJson(s))
  // the inputs were only read
  expect(shapes.map(shapeToJson)).toEqual(before)
  // and a clone is independent of its source
  const clone = cloneShape(folded)
  accumulateShape(clone, folded)
  expect(shapeToJson(folded)).toBe(shapeToJson(shapes.reduce((a, b) => mergeShapes(a, b))))
})

test('the 200-key cap and the enum cap apply as in mergeShapes', () => {
  const wide = (from: number) =>
    shapeOf(Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`p${from + i}`, `e${i % 20}`])))
  const shapes = [wide(0), wide(100), wide(50), wide(300)]
  const folded = shapes.reduce((a, b) => mergeShapes(a, b))
  let acc: Shape = { n: 0 }
  for (const s of shapes) acc = accumulateShape(acc, s)
  expect(Object.keys(acc.obj?.props ?? {}).length).toBe(200)
  expect(acc.obj?.restKeys).toBeGreaterThan(0)
  expect(shapeToJson(acc)).toBe(shapeToJson(folded))
})

test('accumulateExchange equals mergeExchange', () => {
  const [a, b] = [realisticTraffic(300, 1), realisticTraffic(300, 2)].map((t) =>
    aggregateObservations(t, DEFAULT_STORE_LIMITS).find((e) => e.pathKey === '/users' && e.method === 'POST'),
  )
  const ea = [...(a?.exchanges.values() ?? [])][0]
  const eb = [...(b?.exchanges.values() ?? [])][0]
  if (ea === undefined || eb === undefined) throw new Error('no exchange')
  const expected = mergeExchange(ea, eb)
  const owned = {
    ...ea,
    query: cloneShape(ea.query),
    requestHeaders: cloneShape(ea.requestHeaders),
    responseHeaders: cloneShape(ea.responseHeaders),
    auth: { ...ea.auth },
    requestKinds: { ...ea.requestKinds },
    responseKinds: { ...ea.responseKinds },
  }
  if (ea.requestBody !== undefined) owned.requestBody = cloneShape(ea.requestBody)
  if (ea.responseBody !== undefined) owned.responseBody = cloneShape(ea.responseBody)
  accumulateExchange(owned, eb)
  expect(owned).toEqual(expected)
  expect(canonicalJson(owned)).toBe(canonicalJson(expected))
})

test.each([1, 2, 3])('adding a shape k times at once equals adding it k times (seed %i)', (seed) => {
  const rnd = prng(seed)
  const shapes: Shape[] = Array.from({ length: 40 }, () => shapeOf(randomValue(rnd, 0)))
  let repeated: Shape = { n: 0 }
  let scaled: Shape = { n: 0 }
  for (const [i, s] of shapes.entries()) {
    const k = 1 + (i % 5)
    for (let j = 0; j < k; j++) repeated = accumulateShape(repeated, s)
    scaled = i === 0 ? cloneShape(s, k) : accumulateShape(scaled, s, k)
  }
  expect(canonicalJson(scaled)).toBe(canonicalJson(repeated))
  expect(scaled).toEqual(repeated)
})

test('a batch sharing shape objects (cached headers and bodies) aggregates as one with its own copies', () => {
  const traffic = realisticTraffic(400, 7)
  // The same observations with every shape object shared between equal shapes, as the capture's caches do.
  const byText = new Map<string, Shape>()
  const share = (s: Shape): Shape => {
    const text = canonicalJson(s)
    const known = byText.get(text)
    if (known !== undefined) return known
    byText.set(text, s)
    return s
  }
  const shared = traffic.map((o) => {
    const requestBody = { ...o.requestBody }
    const responseBody = { ...o.responseBody }
    if (requestBody.shape !== undefined) requestBody.shape = share(requestBody.shape)
    if (responseBody.shape !== undefined) responseBody.shape = share(responseBody.shape)
    return {
      ...o,
      query: share(o.query),
      requestHeaders: share(o.requestHeaders),
      responseHeaders: share(o.responseHeaders),
      requestBody,
      responseBody,
    }
  })
  expect(byText.size).toBeLessThan(traffic.length)
  const dump = (aggs: ReturnType<typeof aggregateObservations>) =>
    aggs.map((a) => [...a.exchanges.values()].map((e) => canonicalJson(e as never)))
  expect(dump(aggregateObservations(shared, DEFAULT_STORE_LIMITS))).toEqual(
    dump(aggregateObservations(traffic, DEFAULT_STORE_LIMITS)),
  )
})
