// Deterministic synthetic observations for the store tests: realistic shapes built with the
// real shape extractor, a seeded PRNG, no clock.
import type { Observation } from '../../src/capture/index.js'
import { pathKeyOf, shapeOf } from '../../src/infer/index.js'

/** mulberry32: a small seeded PRNG, so every run sees the same traffic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface ObservationInit {
  method?: string
  path?: string
  host?: string
  status?: number
  timeMs?: number
  query?: Record<string, unknown>
  requestHeaders?: Record<string, unknown>
  requestContentType?: string
  requestBody?: unknown
  responseContentType?: string
  responseBody?: unknown
  auth?: string[]
  durationMs?: number
  example?: { request?: string; response?: string }
}

/** One observation as the capture would make it (shapes from real values). */
export function observation(init: ObservationInit = {}): Observation {
  const { pathKey, values } = pathKeyOf(init.path ?? '/')
  const o: Observation = {
    timeMs: init.timeMs ?? 1_700_000_000_000,
    method: init.method ?? 'GET',
    host: init.host ?? 'api.example.test',
    pathKey,
    segmentValues: values,
    query: shapeOf(init.query ?? {}),
    requestHeaders: shapeOf(init.requestHeaders ?? { accept: 1, 'user-agent': 1 }),
    responseHeaders: shapeOf({ 'content-type': 1, 'content-length': 1 }),
    auth: init.auth ?? [],
    requestContentType: init.requestBody === undefined ? '' : (init.requestContentType ?? 'application/json'),
    requestBody:
      init.requestBody === undefined
        ? { kind: 'none', bytes: 0, truncated: false }
        : { kind: 'json', bytes: 64, truncated: false, shape: shapeOf(init.requestBody) },
    status: init.status ?? 200,
    outcome: 'ok',
    responseContentType: init.responseContentType ?? 'application/json',
    responseBody:
      init.responseBody === undefined
        ? { kind: 'none', bytes: 0, truncated: false }
        : { kind: 'json', bytes: 256, truncated: false, shape: shapeOf(init.responseBody) },
    durationMs: init.durationMs ?? 1.25,
    clientKey: 'k',
  }
  if (init.example !== undefined) o.example = init.example
  return o
}

const NAMES = ['ada', 'grace', 'alan', 'edsger', 'barbara', 'donald']

/** A realistic API: 10 endpoints, JSON bodies with optional fields, a few statuses. */
export function realisticTraffic(count: number, seed = 1, startMs = 1_700_000_000_000): Observation[] {
  const rnd = prng(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T
  const user = (id: number) => ({
    id,
    name: pick(NAMES),
    email: `${pick(NAMES)}@example.test`,
    createdAt: '2024-01-02T03:04:05Z',
    ...(rnd() < 0.5 ? { nickname: pick(NAMES) } : {}),
    roles: rnd() < 0.3 ? ['admin'] : ['user', 'viewer'],
    address: { street: '1 Main St', city: 'Paris', zip: '75001' },
  })
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join('')
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`
  const out: Observation[] = []
  for (let i = 0; i < count; i++) {
    const id = 1 + Math.floor(rnd() * 100_000)
    const timeMs = startMs + i * 7
    const k = i % 10
    const base = { timeMs, durationMs: Math.round(rnd() * 50_000) / 1000, auth: rnd() < 0.9 ? ['bearer'] : [] }
    switch (k) {
      case 0:
        out.push(
          observation({
            ...base,
            path: '/users',
            query: { page: 2, limit: 20 },
            responseBody: [user(id), user(id + 1)],
          }),
        )
        break
      case 1:
        out.push(observation({ ...base, path: `/users/${id}`, responseBody: user(id) }))
        break
      case 2:
        out.push(
          observation({
            ...base,
            method: 'POST',
            path: '/users',
            status: rnd() < 0.1 ? 422 : 201,
            requestBody: { name: pick(NAMES), email: 'x@example.test' },
            responseBody: user(id),
          }),
        )
        break
      case 3:
        out.push(observation({ ...base, method: 'DELETE', path: `/users/${id}`, status: 204 }))
        break
      case 4:
        out.push(
          observation({
            ...base,
            path: `/users/${id}/orders`,
            responseBody: [{ id: id * 3, total: 12.5, currency: 'EUR', status: pick(['open', 'paid', 'shipped']) }],
          }),
        )
        break
      case 5:
        out.push(
          observation({
            ...base,
            path: `/orders/${uuid()}`,
            status: rnd() < 0.05 ? 404 : 200,
            responseBody: { id, total: 3 },
          }),
        )
        break
      case 6:
        out.push(observation({ ...base, path: '/health', auth: [], responseBody: { ok: true } }))
        break
      case 7:
        out.push(
          observation({
            ...base,
            method: 'PUT',
            path: `/users/${id}`,
            requestBody: { name: pick(NAMES) },
            responseBody: user(id),
          }),
        )
        break
      case 8:
        out.push(
          observation({
            ...base,
            path: '/search',
            query: { q: 'x', ...(rnd() < 0.5 ? { sort: 'asc' } : {}) },
            responseBody: { hits: [] },
          }),
        )
        break
      default:
        out.push(observation({ ...base, path: `/products/${id}`, responseBody: { id, price: 9.99, tags: ['a'] } }))
    }
  }
  return out
}
