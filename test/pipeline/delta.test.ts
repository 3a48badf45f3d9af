// Delta bodies: a batch's aggregates survive the round trip and apply exactly as record() would;
// anything else is refused with SPECTER_ERR_DELTA_INVALID, naming where it came from.
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import { expect, test } from 'vitest'
import { ConfigInvalidError } from '../../src/config.js'
import { startSpecterStack } from '../../src/cli/commands/proxy.js'
import {
  DELTA_VERSION,
  decodeDelta,
  encodeDeltas,
  encodeSuspectDeltas,
  type SuspectRow,
} from '../../src/pipeline/index.js'
import { openStore } from '../../src/store/index.js'
import { testConfig } from '../helpers/start-specter.js'
import { tempDbPath } from '../helpers/temp-db.js'
import { realisticTraffic } from '../store/observations.js'
import { dumpRows } from './cluster.js'

const options = { segmentSampleSize: 64, maxInflatedBytes: 1024 * 1024 }

test('decoded deltas apply exactly as record() writes the same batches, split or not', () => {
  const traffic = realisticTraffic(600, 7)
  const recorded = openStore({ path: tempDbPath('recorded.db') })
  const applied = openStore({ path: tempDbPath('applied.db') })
  let seq = 1
  for (let i = 0; i < traffic.length; i += 150) {
    const batch = traffic.slice(i, i + 150)
    recorded.record(batch)
    // A tiny size limit splits the batch into one delta per endpoint.
    const bodies = encodeDeltas(applied.aggregate(batch), { instanceId: 'p1', createdMs: 5 }, 64)
    expect(bodies.length).toBeGreaterThan(1)
    let observations = 0
    for (const body of bodies) {
      const d = decodeDelta(body(seq), 'test', options)
      expect(d).toMatchObject({ instanceId: 'p1', seq, createdMs: 5 })
      seq++
      observations += d.observations
      applied.apply(d.endpoints)
    }
    expect(observations).toBe(batch.length)
  }
  expect(dumpRows(applied)).toEqual(dumpRows(recorded))
  recorded.close()
  applied.close()
})

const store = () => openStore({ path: tempDbPath() })
/** A well-formed delta body, parsed, for the cases below to break. */
const valid = (): Record<string, unknown> => {
  const s = store()
  const bodies = encodeDeltas(s.aggregate(realisticTraffic(20, 3)), { instanceId: 'p', createdMs: 1 }, 1e6)
  s.close()
  return JSON.parse(inflateRawSync((bodies[0] as (seq: number) => Buffer)(1)).toString()) as Record<string, unknown>
}
const deflate = (v: unknown) => deflateRawSync(JSON.stringify(v))
const wireSuspect = ['k', 'GET', '/u/{int}', 9, 3_600_000, 2, 1.5, 8, 'peers', 1, 2, 1]

test.each<[string, (d: Record<string, unknown>) => Buffer]>([
  ['not deflated', () => Buffer.from('{"v":1}')],
  ['not JSON', () => deflateRawSync('{"v":')],
  ['a newer version', (d) => deflate({ ...d, v: 3 })],
  ['no version', (d) => deflate({ ...d, v: undefined })],
  ['suspects in version 1', (d) => deflate({ ...d, es: [] })],
  ['suspects that are not a list', (d) => deflate({ ...d, v: 2, es: {} })],
  [
    'a suspect with an unknown reason',
    (d) => deflate({ ...d, v: 2, es: [[...wireSuspect.slice(0, 8), 'x', 1, 2, 1]] }),
  ],
  [
    'a suspect with a string count',
    (d) => deflate({ ...d, v: 2, es: [['k', 'GET', '/u/{int}', '9', ...wireSuspect.slice(4)]] }),
  ],
  ['a suspect row too short', (d) => deflate({ ...d, v: 2, es: [wireSuspect.slice(0, 11)] })],
  ['no instance id', (d) => deflate({ ...d, i: '' })],
  ['a zero seq', (d) => deflate({ ...d, q: 0 })],
  ['a count that does not add up', (d) => deflate({ ...d, o: (d.o as number) + 1 })],
  ['an endpoint without a path', (d) => deflate({ ...d, ep: [{ m: 'GET' }] })],
  [
    'an exchange with a string count',
    (d) => {
      const ep = structuredClone(d.ep) as Array<{ x: Array<Record<string, unknown>> }>
      ;(ep[0]?.x[0] as Record<string, unknown>).count = '1'
      return deflate({ ...d, ep })
    },
  ],
  ['a bomb', () => deflateRawSync(Buffer.alloc(2 * 1024 * 1024, 32))],
])('refuses a delta with %s', (_name, make) => {
  expect(() => decodeDelta(make(valid()), 'stream seq 9', options)).toThrow(
    expect.objectContaining({ code: 'SPECTER_ERR_DELTA_INVALID', message: expect.stringContaining('stream seq 9') }),
  )
})

test('publish.url must be a nats:// URL without credentials', async () => {
  for (const url of ['http://127.0.0.1:4222', 'nats://user:secret@127.0.0.1:4222']) {
    const config = testConfig('http://127.0.0.1:9', { store: { path: tempDbPath() }, publish: { url } })
    const err = await startSpecterStack(config, { cwd: process.cwd() }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConfigInvalidError)
    expect(String((err as Error).message)).not.toContain('secret')
  }
})

const suspect = (i: number): SuspectRow => ({
  clientKey: `c${i.toString(16).padStart(15, '0')}`,
  method: 'GET',
  pathKey: '/users/{int}',
  maxDistinct: 100 + i,
  windowMs: 3_600_000,
  peers: 3,
  peerMedian: 2.5,
  limit: 20,
  reason: i % 2 === 0 ? 'threshold' : 'peers',
  firstSeenMs: 1000 + i,
  lastSeenMs: 2000 + i,
  hits: 1 + i,
})

test('endpoint deltas keep version 1; suspects travel in version 2, split by size', () => {
  expect(DELTA_VERSION).toBe(2)
  const s = store()
  const [body] = encodeDeltas(s.aggregate(realisticTraffic(20, 3)), { instanceId: 'p', createdMs: 1 }, 1e6)
  s.close()
  // Version 1 as the previous release wrote it: a collector not yet upgraded still reads it.
  const raw = (body as (seq: number) => Buffer)(1)
  expect(JSON.parse(inflateRawSync(raw).toString())).toMatchObject({ v: 1 })
  expect(decodeDelta(raw, 'test', options)).toMatchObject({ version: 1, suspects: [] })

  const rows = Array.from({ length: 40 }, (_, i) => suspect(i))
  const bodies = encodeSuspectDeltas(rows, { instanceId: 'p', createdMs: 7 }, 1024)
  expect(bodies.length).toBeGreaterThan(1)
  const decoded = bodies.map((b, i) => decodeDelta(b(10 + i), 'test', options))
  for (const d of decoded) expect(d).toMatchObject({ version: 2, instanceId: 'p', observations: 0, endpoints: [] })
  expect(decoded.flatMap((d) => d.suspects)).toEqual(rows)
})

test('a version 1 delta of the previous release, byte for byte, still decodes', () => {
  const v1 = deflateRawSync(
    JSON.stringify({
      v: 1,
      i: 'old-proxy',
      q: 4,
      t: 1_700_000_000_000,
      o: 2,
      ep: [{ m: 'GET', p: '/health', c: 2, f: 1, l: 2, fo: 0, h: { 'api.test': 2 }, s: [], x: [], e: [] }],
    }),
  )
  expect(decodeDelta(v1, 'test', options)).toMatchObject({
    version: 1,
    instanceId: 'old-proxy',
    seq: 4,
    observations: 2,
    suspects: [],
    endpoints: [expect.objectContaining({ method: 'GET', pathKey: '/health', count: 2 })],
  })
})
