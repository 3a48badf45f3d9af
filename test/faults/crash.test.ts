// Crash: the real `specter proxy` process is killed with SIGKILL under load, then restarted on the
// same database. It opens cleanly (WAL recovery), and everything acknowledged to clients more than
// one batch interval (plus the write itself) before the kill is in the store.
import { Agent, request } from 'node:http'
import { expect, test } from 'vitest'
import { openStore } from '../../src/store/index.js'
import { readBody } from '../helpers/http-client.js'
import { tempDbPath } from '../helpers/temp-db.js'
import { startUpstream } from '../helpers/upstream.js'
import { attempt } from './fault-kit.js'
import { ensureBuilt, spawnSpecter } from './specter-process.js'

const CONCURRENCY = 8
const LOAD_MS = 2_000
const MAX_REQUESTS = 20_000
// The documented bound: the batch interval (capture.flushIntervalMs, 200 ms) plus the time to
// write a batch, kept under a second of observations.
const LOSS_BOUND_MS = 1_000

function get(agent: Agent, base: string, i: number): Promise<number> {
  const { hostname, port } = new URL(base)
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: hostname, port, path: `/orders/${i % 50}?page=${i % 3}` }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

test('kill -9 under load: restarts cleanly, the loss is bounded by the batch interval', {
  timeout: 300_000,
}, async () => {
  ensureBuilt()
  const upstream = await startUpstream(async (req, res) => {
    await readBody(req)
    res.setHeader('content-type', 'application/json')
    res.end('{"id":1,"total":12.5,"items":[{"sku":"a"}]}')
  })
  const dbPath = tempDbPath()
  const args = [
    'proxy',
    '--upstream',
    upstream,
    '--port',
    '0',
    '--admin-port',
    '0',
    '--db',
    dbPath,
    '--log-level',
    'info',
  ]
  const first = await spawnSpecter(args)
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY })
  const acks: number[] = []
  let sent = 0
  let failed = 0
  let killed = false
  const started = performance.now()
  const load = Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (!killed && sent < MAX_REQUESTS) {
        const i = sent++
        try {
          const status = await get(agent, first.proxyUrl, i)
          if (status === 200 && !killed) acks.push(performance.now())
        } catch {
          failed++
        }
      }
    }),
  )
  // Kill mid-load, once there is traffic to lose.
  while (performance.now() - started < LOAD_MS || acks.length < 100) {
    if (performance.now() - started > 60_000) break
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
  const killedAt = performance.now()
  killed = true
  await first.kill9()
  await load
  agent.destroy()
  expect(acks.length).toBeGreaterThanOrEqual(100)

  // Restart on the same file: it opens (WAL recovery), serves, and stops cleanly.
  const second = await spawnSpecter(args)
  const probe = await attempt(`${second.proxyUrl}/orders/1`)
  expect(probe.status).toBe(200)
  expect(await second.stop()).toBe(0)

  const store = openStore({ path: dbPath })
  const integrity = store.database.pragma('integrity_check', { simple: true })
  const stored = store.stats().observations - 1 // the probe of the second run
  store.close()
  expect(integrity).toBe('ok')
  const ackedBeforeBound = acks.filter((t) => t <= killedAt - LOSS_BOUND_MS).length
  const lostMs = stored >= acks.length ? 0 : killedAt - (acks[stored] ?? killedAt)
  console.info('crash:', {
    acknowledged: acks.length,
    stored,
    lost: Math.max(0, acks.length - stored),
    lostMsOfTraffic: Math.round(lostMs),
    failedAfterKill: failed,
    loadMs: Math.round(killedAt - started),
  })
  expect(stored).toBeGreaterThanOrEqual(ackedBeforeBound)
  // Nothing is invented: at most what was sent (a response may be written before its ack is seen).
  expect(stored).toBeLessThanOrEqual(sent)
})
