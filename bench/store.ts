// Store throughput: record() on realistic batches (observations per second, wall and CPU), rows
// and bytes per 10,000 observations, and exact-merge throughput (rows per second) of several
// proxies' stores. Run: npm run bench:store (OBSERVATIONS=N, BATCH=N to change the sizes).
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Observation } from '../src/capture/index.js'
import { mergeStores, openStore } from '../src/store/index.js'
import { observation, prng, realisticTraffic } from '../test/store/observations.js'

const OBSERVATIONS = Number(process.env['OBSERVATIONS'] ?? 100_000)
const BATCH = Number(process.env['BATCH'] ?? 500)
const dir = mkdtempSync(join(tmpdir(), 'specter-bench-store-'))
const cpuMs = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

function recordAll(path: string, traffic: readonly Observation[]) {
  const store = openStore({ path })
  const wall = performance.now()
  const cpu = cpuMs()
  for (let i = 0; i < traffic.length; i += BATCH) store.record(traffic.slice(i, i + BATCH))
  const result = { wallMs: performance.now() - wall, cpuMs: cpuMs() - cpu }
  return { store, ...result }
}

const RESOURCES = Array.from(
  { length: 50 },
  (_, i) => `res${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`,
)

/** A wider API for the merge: 500 endpoints (50 resources x 10 operations), four proxies. */
function wideTraffic(count: number, seed: number): Observation[] {
  const rnd = prng(seed)
  return Array.from({ length: count }, (_, i) => {
    const resource = RESOURCES[Math.floor(rnd() * RESOURCES.length)] as string
    const op = Math.floor(rnd() * 10)
    const id = Math.floor(rnd() * 1e6)
    return observation({
      method: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'][op % 5] as string,
      path: op < 5 ? `/v1/${resource}` : `/v1/${resource}/${id}/items`,
      status: rnd() < 0.9 ? 200 : ([400, 404, 500][Math.floor(rnd() * 3)] as number),
      timeMs: 1_700_000_000_000 + i,
      responseBody: {
        id,
        name: 'x',
        [`f${op}`]: rnd() < 0.5 ? 1 : 'a',
        nested: { a: [1, 2], b: rnd() < 0.3 ? null : true },
      },
    })
  })
}

try {
  const traffic = realisticTraffic(OBSERVATIONS, 1)
  // warm-up (JIT), then the measured run on a fresh file
  recordAll(join(dir, 'warm.db'), traffic.slice(0, 20_000)).store.close()
  const run = recordAll(join(dir, 'record.db'), traffic)
  run.store.close()
  console.log(
    `record: ${OBSERVATIONS} observations in batches of ${BATCH}: ${Math.round(OBSERVATIONS / (run.wallMs / 1000))} obs/s wall, ` +
      `${Math.round(OBSERVATIONS / (run.cpuMs / 1000))} obs per CPU-second (${((run.cpuMs * 1000) / OBSERVATIONS).toFixed(1)} µs CPU each)`,
  )

  const tenK = recordAll(join(dir, 'ten-k.db'), traffic.slice(0, 10_000))
  tenK.store.database.pragma('wal_checkpoint(TRUNCATE)')
  const rows = tenK.store.stats().rows
  const total = Object.values(rows).reduce((a, b) => a + b, 0)
  console.log(
    `10,000 observations over 10 endpoints: ${total} rows (${JSON.stringify(rows)}), ${statSync(tenK.store.path).size} bytes`,
  )
  tenK.store.close()

  const parts = [1, 2, 3, 4].map((seed) => recordAll(join(dir, `proxy-${seed}.db`), wideTraffic(25_000, seed)).store)
  const target = openStore({ path: join(dir, 'merged.db') })
  let rowsRead = 0
  let ms = 0
  const mergeCpu = cpuMs()
  for (const p of parts) {
    const r = mergeStores(target, p)
    rowsRead += r.rows
    ms += r.durationMs
  }
  const mergeCpuMs = cpuMs() - mergeCpu
  const merged = target.stats()
  console.log(
    `merge: 4 stores (${merged.endpoints} endpoints, ${merged.rows['exchange']} exchange rows merged) ` +
      `${rowsRead} rows read in ${Math.round(ms)} ms: ${Math.round(rowsRead / (ms / 1000))} rows/s wall, ` +
      `${Math.round(rowsRead / (mergeCpuMs / 1000))} rows per CPU-second`,
  )
  for (const p of [...parts, target]) p.close()
} finally {
  rmSync(dir, { recursive: true, force: true })
}
