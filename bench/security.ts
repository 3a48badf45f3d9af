// Security module benchmarks: classifier cost per string on realistic bodies, adversarial inputs,
// the shapeOf overhead of the classify hook, and the enumeration tracker's time and memory.
// Run: npx tsc -p tsconfig.json --outDir /tmp/specter-bench; node --expose-gc /tmp/specter-bench/bench/security.js
import { shapeOf } from '../src/infer/index.js'
import { classifyValue, EnumerationTracker } from '../src/security/index.js'

function body(i: number): unknown {
  return {
    id: String(100_000 + i),
    uuid: `5f0c${String(i).padStart(4, '0')}-e29b-41d4-a716-446655440000`,
    status: i % 3 === 0 ? 'active' : 'pending',
    createdAt: new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString(),
    name: `Customer number ${i}`,
    email: `user${i}@example.com`,
    phone: `+1415555${String(1000 + (i % 9000))}`,
    currency: 'EUR',
    amount: '129.90',
    url: `https://api.example.com/v1/customers/${i}`,
    description: 'A fairly ordinary product description with a few words in it, as catalogues have.',
    tags: ['new', 'promo', 'summer-2025'],
    address: { street: `${i} Main Street`, city: 'Springfield', zip: '12345', country: 'US' },
    order: { number: `ORD-2025-${String(i).padStart(6, '0')}`, sku: `SKU-${i % 500}`, version: '1.4.2' },
    token_type: 'Bearer',
  }
}

function collectStrings(value: unknown, key: string | undefined, out: Array<[string | undefined, string]>): void {
  if (typeof value === 'string') out.push([key, value])
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, undefined, out)
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) collectStrings(v, k, out)
  }
}

// CPU time, not wall time: the figures stay meaningful on a loaded machine.
function nsPer(n: number, fn: () => void): number {
  const start = process.cpuUsage()
  fn()
  const used = process.cpuUsage(start)
  return ((used.user + used.system) * 1000) / n
}

const bodies = Array.from({ length: 1000 }, (_, i) => body(i))
const strings: Array<[string | undefined, string]> = []
for (const b of bodies) collectStrings(b, undefined, strings)
let sink = 0
const rounds = 50
for (let w = 0; w < 3; w++) for (const [k, v] of strings) if (classifyValue(k, v) !== undefined) sink++
const perCall = nsPer(strings.length * rounds, () => {
  for (let r = 0; r < rounds; r++) for (const [k, v] of strings) if (classifyValue(k, v) !== undefined) sink++
})
console.log(`classifyValue: ${perCall.toFixed(0)} ns/call over ${strings.length} realistic strings x ${rounds}`)

// Interleaved rounds after a warm-up, keeping the best of each: JIT and load noise hit both alike.
for (const b of bodies) {
  shapeOf(b)
  shapeOf(b, { classify: classifyValue })
}
let plain = Number.POSITIVE_INFINITY
let hooked = Number.POSITIVE_INFINITY
for (let round = 0; round < 5; round++) {
  plain = Math.min(
    plain,
    nsPer(bodies.length * 4, () => {
      for (let r = 0; r < 4; r++) for (const b of bodies) shapeOf(b)
    }),
  )
  hooked = Math.min(
    hooked,
    nsPer(bodies.length * 4, () => {
      for (let r = 0; r < 4; r++) for (const b of bodies) shapeOf(b, { classify: classifyValue })
    }),
  )
}
console.log(
  `shapeOf per body: ${plain.toFixed(0)} ns plain, ${hooked.toFixed(0)} ns with classify (+${(((hooked - plain) / plain) * 100).toFixed(1)}%)`,
)

const adversarial = [
  `${'a'.repeat(50_000)}@${'b.'.repeat(25_000)}`,
  `eyJ${'A'.repeat(100_000)}`,
  `$2b$12$${'a'.repeat(100_000)}`,
  `+${'1 '.repeat(50_000)}`,
  `${'1.'.repeat(32_000)}1`,
  `-----BEGIN ${'A '.repeat(32_000)}`,
]
for (const v of adversarial) {
  const ns = nsPer(100, () => {
    for (let r = 0; r < 100; r++) classifyValue('notes', v)
  })
  console.log(`adversarial ${v.length} chars (${JSON.stringify(v.slice(0, 12))}...): ${(ns / 1000).toFixed(1)} us/call`)
}

const gc = (globalThis as { gc?: () => void }).gc
// Typed-array backing stores live outside the JS heap: count both.
const used = () => {
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}
function heapAfter(build: () => unknown): [number, unknown] {
  gc?.()
  const before = used()
  const kept = build()
  gc?.()
  return [used() - before, kept]
}
const T0 = Date.UTC(2026, 0, 1)
const clients = 10_000
for (const objects of [1, 20, 200]) {
  const [bytes] = heapAfter(() => {
    const t = new EnumerationTracker({ maxTracked: clients })
    for (let c = 0; c < clients; c++) {
      const client = `k${c.toString(16).padStart(16, '0')}`
      for (let o = 0; o < objects; o++) t.observe(client, 'GET', '/accounts/{int}', String(o * 13 + c), T0 + o)
    }
    return t
  })
  console.log(
    `tracker memory: ${(bytes / clients).toFixed(0)} bytes per (client, operation) pair reading ${objects} objects${gc === undefined ? ' (run with --expose-gc for exact figures)' : ''}`,
  )
}
const n = 1_000_000
const ids = Array.from({ length: 5000 }, (_, i) => String(i))
const steady = new EnumerationTracker({ maxTracked: 10_000 })
const few = Array.from({ length: 1000 }, (_, i) => `k${i.toString(16).padStart(16, '0')}`)
const steadyNs = nsPer(n, () => {
  for (let i = 0; i < n; i++) {
    steady.observe(few[i % few.length] as string, 'GET', '/accounts/{int}', ids[(i * 7) % 5000] as string, T0 + i)
  }
})
console.log(`tracker.observe: ${steadyNs.toFixed(0)} ns/call (1k clients, 5k objects, steady state)`)
const tracker = new EnumerationTracker({ maxTracked: 10_000 })
const keys = Array.from({ length: 20_000 }, (_, i) => `k${i.toString(16).padStart(16, '0')}`)
const observeNs = nsPer(n, () => {
  for (let i = 0; i < n; i++) {
    tracker.observe(keys[i % keys.length] as string, 'GET', '/accounts/{int}', ids[i % 5000] as string, T0 + i)
  }
})
console.log(
  `tracker.observe: ${observeNs.toFixed(0)} ns/call (worst case: 20k clients cycling through a 10k bound, a new pair and an eviction per call)`,
)
const evalNs = nsPer(1, () => tracker.evaluate(T0 + n))
console.log(`tracker.evaluate over ${tracker.stats().tracked} pairs: ${(evalNs / 1e6).toFixed(1)} ms`)
if (sink < 0) console.log(sink)
