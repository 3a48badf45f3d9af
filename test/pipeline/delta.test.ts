// Delta bodies: a batch's aggregates survive the round trip and apply exactly as record() would;
// anything else is refused with SPECTER_ERR_DELTA_INVALID, naming where it came from.
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import { expect, test } from 'vitest'
import { ConfigInvalidError } from '../../src/config.js'
import { startSpecterStack } from '../../src/cli/commands/proxy.js'
import { decodeDelta, encodeDeltas } from '../../src/pipeline/index.js'
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

test.each<[string, (d: Record<string, unknown>) => Buffer]>([
  ['not deflated', () => Buffer.from('{"v":1}')],
  ['not JSON', () => deflateRawSync('{"v":')],
  ['a newer version', (d) => deflate({ ...d, v: 2 })],
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
