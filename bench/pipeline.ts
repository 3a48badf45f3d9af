// Scale-out pipeline figures (docs/scale-out.md): bytes per delta for a realistic API, exact
// merge throughput of stores (rows/s), delta apply throughput without NATS, and end-to-end
// collector throughput (deltas/s) from a real nats-server on loopback when one is installed.
// Run: npm run bench:pipeline (OBSERVATIONS=N, BATCH=N, PROXIES=N, NATS_SERVER=path).
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { jetstream } from '@nats-io/jetstream'
import { connect } from '@nats-io/transport-node'
import {
  coalesceEndpoints,
  DEFAULT_STREAM_OPTIONS,
  decodeDelta,
  encodeDeltas,
  ensureStream,
  startCollector,
} from '../src/pipeline/index.js'
import { mergeStores, openStore } from '../src/store/index.js'
import { realisticTraffic } from '../test/store/observations.js'

const OBSERVATIONS = Number(process.env['OBSERVATIONS'] ?? 100_000)
const BATCH = Number(process.env['BATCH'] ?? 500)
const PROXIES = Number(process.env['PROXIES'] ?? 4)
const NATS = process.env['NATS_SERVER'] ?? '/usr/sbin/nats-server'
const dir = mkdtempSync(join(tmpdir(), 'specter-bench-pipeline-'))
const round = (n: number) => Math.round(n)

try {
  // 1. Deltas of a realistic API: one per capture batch of BATCH observations, per proxy.
  const traffic = Array.from({ length: PROXIES }, (_, p) => realisticTraffic(OBSERVATIONS / PROXIES, p + 1))
  const scratch = openStore({ path: join(dir, 'scratch.db') })
  const deltas: Buffer[][] = traffic.map(() => [])
  let jsonBytes = 0
  let encodeMs = 0
  for (const [p, obs] of traffic.entries()) {
    let seq = 1
    for (let i = 0; i < obs.length; i += BATCH) {
      const aggs = scratch.aggregate(obs.slice(i, i + BATCH))
      const t = performance.now()
      const bodies = encodeDeltas(aggs, { instanceId: `proxy-${p}`, createdMs: Date.now() }, 512 * 1024)
      for (const b of bodies) (deltas[p] as Buffer[]).push(b(seq++))
      encodeMs += performance.now() - t
      jsonBytes += aggs.reduce((n, a) => n + JSON.stringify([...a.exchanges.values()]).length, 0)
    }
  }
  scratch.close()
  const all = deltas.flat()
  const bytes = all.reduce((n, b) => n + b.length, 0)
  console.log(
    `deltas: ${all.length} for ${OBSERVATIONS} observations (batch ${BATCH}, ${PROXIES} proxies); ` +
      `${round(bytes / all.length)} bytes/delta deflated (~${round(jsonBytes / all.length)} bytes of exchange JSON), ` +
      `${(bytes / OBSERVATIONS).toFixed(1)} bytes/observation; encode ${(encodeMs / all.length).toFixed(2)} ms/delta`,
  )

  // 2. Exact merge of the proxies' stores (specter merge).
  const sources = traffic.map((obs, p) => {
    const s = openStore({ path: join(dir, `proxy-${p}.db`) })
    for (let i = 0; i < obs.length; i += BATCH) s.record(obs.slice(i, i + BATCH))
    return s
  })
  const merged = openStore({ path: join(dir, 'merged.db') })
  let rows = 0
  const t0 = performance.now()
  for (const s of sources) rows += mergeStores(merged, s).rows
  const mergeMs = performance.now() - t0
  console.log(
    `merge: ${rows} rows from ${PROXIES} stores in ${round(mergeMs)} ms = ${round(rows / (mergeMs / 1000))} rows/s`,
  )
  for (const s of sources) s.close()
  merged.close()

  // 3. Applying decoded deltas into a central store, no NATS: the collector's ceiling.
  const central = openStore({ path: join(dir, 'apply.db') })
  const t1 = performance.now()
  const opts = { segmentSampleSize: central.limits.segmentSampleSize, maxInflatedBytes: 64 * 1024 * 1024 }
  for (let i = 0; i < all.length; i += 256) {
    const aggs = all.slice(i, i + 256).flatMap((b, k) => decodeDelta(b, `#${i + k}`, opts).endpoints)
    central.apply(coalesceEndpoints(aggs, central.limits))
  }
  const applyMs = performance.now() - t1
  console.log(
    `apply (decode + merge, batches of 256, no NATS): ${all.length} deltas in ${round(applyMs)} ms = ` +
      `${round(all.length / (applyMs / 1000))} deltas/s, ${round(OBSERVATIONS / (applyMs / 1000))} observations/s`,
  )
  central.close()

  // 4. End to end through JetStream: publish every delta, then one collector drains the stream.
  if (!existsSync(NATS)) {
    console.log(`collector: skipped (no nats-server at ${NATS})`)
  } else {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port
        s.close(() => resolve(p))
      })
    })
    const child = spawn(NATS, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', join(dir, 'nats')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    try {
      await new Promise<void>((resolve, reject) => {
        let log = ''
        child.stderr.on('data', (d: Buffer) => {
          log += d.toString()
          if (log.includes('Server is ready')) resolve()
        })
        child.once('exit', () => reject(new Error(log)))
      })
      const url = `nats://127.0.0.1:${port}`
      const nc = await connect({ servers: url })
      await ensureStream(nc, DEFAULT_STREAM_OPTIONS)
      const js = jetstream(nc)
      const t2 = performance.now()
      for (const [p, list] of deltas.entries()) {
        const acks = list.map((b, i) =>
          js.publish(`${DEFAULT_STREAM_OPTIONS.subjectPrefix}.proxy-${p}`, b, { msgID: `proxy-${p}:${i + 1}` }),
        )
        await Promise.all(acks)
      }
      const publishMs = performance.now() - t2
      console.log(
        `publish: ${all.length} deltas in ${round(publishMs)} ms = ${round(all.length / (publishMs / 1000))} deltas/s`,
      )
      await nc.close()
      const store = openStore({ path: join(dir, 'collector.db') })
      const t3 = performance.now()
      const collector = startCollector({ store, url })
      await collector.until((s) => s.applied >= all.length, 600_000)
      const collectMs = performance.now() - t3
      await collector.close()
      store.close()
      console.log(
        `collector: ${all.length} deltas in ${round(collectMs)} ms = ${round(all.length / (collectMs / 1000))} deltas/s, ` +
          `${round(OBSERVATIONS / (collectMs / 1000))} observations/s`,
      )
    } finally {
      child.kill('SIGKILL')
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
