// Faults on a real nats-server: NATS down mid-traffic (forwarding unaffected, the outbox drains
// once it is back), collectors killed and replaced or running side by side, a redelivered delta,
// a proxy restarted, a full outbox. Every final count is the traffic sent, exactly.
import { jetstream, jetstreamManager } from '@nats-io/jetstream'
import { connect } from '@nats-io/transport-node'
import { describe, expect, test } from 'vitest'
import { DEFAULT_STREAM_OPTIONS } from '../../src/pipeline/index.js'
import { tempDbPath } from '../helpers/temp-db.js'
import { startUpstream } from '../helpers/upstream.js'
import { apiHandler, requests, send } from './api.js'
import { observationCount, settle, startProxyStack, startTestCollector, untilCount } from './cluster.js'
import { haveNats, startNats } from './nats.js'

async function drive(base: string, upstream: string, n: number, offset: number): Promise<void> {
  for (const r of requests(n, offset)) expect(await send(base, r)).toBe(await send(upstream, r))
}

describe.skipIf(!haveNats)('pipeline faults', () => {
  test('NATS stopped mid-traffic and restarted: traffic forwarded, outbox drains, counts exact', async () => {
    const nats = await startNats()
    const upstream = await startUpstream(apiHandler)
    const proxy = await startProxyStack({ upstream, dbPath: tempDbPath(), publishUrl: nats.url })
    const central = startTestCollector(nats.url, tempDbPath('central.db'))
    await drive(proxy.proxy.url, upstream, 60, 0)
    await settle(proxy)
    await untilCount(central, 60)

    await nats.stop()
    await drive(proxy.proxy.url, upstream, 90, 60)
    await proxy.capture.drain()
    const down = proxy.publisher?.stats()
    expect(down?.outboxDepth).toBeGreaterThan(0)
    expect(down?.outboxOverflow).toBe(0)
    expect(observationCount(proxy.store)).toBe(150)

    await nats.start()
    await proxy.publisher?.flushed(20_000)
    await untilCount(central, 150, 20_000)
    expect(observationCount(central.store)).toBe(150)
    const [source] = central.collector.sources()
    expect(source?.appliedThrough).toBe((proxy.publisher?.stats().nextSeq ?? 0) - 1)
  }, 60_000)

  test('collectors killed, replaced, side by side; a redelivered delta and a bad one: counts exact', async () => {
    const nats = await startNats()
    const upstream = await startUpstream(apiHandler)
    const proxy = await startProxyStack({ upstream, dbPath: tempDbPath(), publishUrl: nats.url })
    const centralPath = tempDbPath('central.db')
    const first = startTestCollector(nats.url, centralPath)
    await drive(proxy.proxy.url, upstream, 50, 0)
    await settle(proxy)
    await untilCount(first, 50)
    await first.close()

    // Traffic while no collector runs waits in the stream for the durable consumer.
    await drive(proxy.proxy.url, upstream, 50, 50)
    await settle(proxy)
    const second = startTestCollector(nats.url, centralPath)
    const third = startTestCollector(nats.url, centralPath)
    await untilCount(second, 100)

    await drive(proxy.proxy.url, upstream, 50, 100)
    await settle(proxy)
    await untilCount(second, 150)

    // A delta published again under a new Nats-Msg-Id (past JetStream's duplicate window) and a
    // message that is not a delta: the first is acknowledged and not merged, the second dropped.
    const nc = await connect({ servers: nats.url })
    try {
      const jsm = await jetstreamManager(nc)
      const old = await jsm.streams.getMessage(DEFAULT_STREAM_OPTIONS.stream, { seq: 1 })
      if (old === null) throw new Error('the stream lost its first delta')
      const js = jetstream(nc)
      await js.publish(old.subject, old.data, { msgID: 'replayed-1' })
      await js.publish(`${DEFAULT_STREAM_OPTIONS.subjectPrefix}.bogus`, 'not a delta', { msgID: 'bogus-1' })
    } finally {
      await nc.close()
    }
    const stats = () => [second, third].map((c) => c.collector.stats())
    await second.collector.until(() => stats().reduce((n, s) => n + s.duplicates + s.invalid, 0) >= 2, 10_000)
    // At least the replayed one: under load a slow merge can also outlive ack_wait and be
    // redelivered to the other collector, which must then count it as a duplicate too.
    expect(stats().reduce((n, s) => n + s.duplicates, 0)).toBeGreaterThanOrEqual(1)
    expect(stats().reduce((n, s) => n + s.invalid, 0)).toBe(1)
    expect(observationCount(second.store)).toBe(150)
    const [source] = second.collector.sources()
    expect(source?.observations).toBe(150)
    expect(source?.appliedThrough).toBe(source?.deltas)
  }, 60_000)

  test('a proxy restarted on its store resumes its seqs: nothing lost, nothing doubled', async () => {
    const nats = await startNats()
    const upstream = await startUpstream(apiHandler)
    const dbPath = tempDbPath()
    const central = startTestCollector(nats.url, tempDbPath('central.db'))
    const before = await startProxyStack({ upstream, dbPath, publishUrl: nats.url })
    await drive(before.proxy.url, upstream, 40, 0)
    const seqBefore = before.publisher?.stats().nextSeq ?? 0
    await before.close()

    const after = await startProxyStack({ upstream, dbPath, publishUrl: nats.url })
    expect(after.store.instanceId).toBe(before.store.instanceId)
    expect(after.publisher?.stats().nextSeq).toBeGreaterThanOrEqual(seqBefore)
    await drive(after.proxy.url, upstream, 40, 40)
    await settle(after)
    await untilCount(central, 80)
    expect(observationCount(central.store)).toBe(80)
    expect(observationCount(after.store)).toBe(80)
    const [source] = central.collector.sources()
    expect(source?.appliedThrough).toBe((after.publisher?.stats().nextSeq ?? 0) - 1)
    expect(central.collector.stats().duplicates).toBe(0)
  }, 60_000)

  test('a full outbox refuses and counts new deltas; the local store keeps everything', async () => {
    const nats = await startNats()
    await nats.stop()
    const upstream = await startUpstream(apiHandler)
    const proxy = await startProxyStack({ upstream, dbPath: tempDbPath(), publishUrl: nats.url, maxOutboxDeltas: 2 })
    await drive(proxy.proxy.url, upstream, 100, 0)
    await proxy.capture.drain()
    const s = proxy.publisher?.stats()
    expect(s?.outboxDepth).toBe(2)
    expect(s?.outboxOverflow).toBeGreaterThan(0)
    expect(s?.nextSeq).toBe(3)
    expect(observationCount(proxy.store)).toBe(100)
    const metrics = await (await fetch(`${proxy.admin.url}/metrics`)).text()
    expect(metrics).toMatch(/^specter_pipeline_outbox_depth 2$/m)
    expect(metrics).toMatch(new RegExp(`^specter_pipeline_outbox_overflow_total ${s?.outboxOverflow}$`, 'm'))

    await nats.start()
    await proxy.publisher?.flushed(20_000)
    const central = startTestCollector(nats.url, tempDbPath('central.db'))
    await central.collector.until((c) => c.applied === 2, 10_000)
    const [source] = central.collector.sources()
    expect(source?.deltas).toBe(2)
    expect(observationCount(central.store)).toBe(source?.observations)
    expect(observationCount(central.store)).toBeLessThan(100)
  }, 60_000)
})
