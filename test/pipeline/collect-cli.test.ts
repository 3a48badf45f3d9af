// `specter collect`: flag errors are coded; a running collector serves /metrics and the admin
// API over the central store, and stops cleanly on SIGTERM with what it merged kept.
import { EventEmitter } from 'node:events'
import { describe, expect, onTestFinished, test } from 'vitest'
import { runCollect, startCollect } from '../../src/cli/commands/collect.js'
import { openStore } from '../../src/store/index.js'
import { testIo } from '../helpers/cli-io.js'
import { tempDbPath } from '../helpers/temp-db.js'
import { startUpstream } from '../helpers/upstream.js'
import { apiHandler, requests, send } from './api.js'
import { observationCount, settle, startProxyStack } from './cluster.js'
import { haveNats, startNats } from './nats.js'

test.each([
  [[], 'SPECTER_ERR_USAGE'],
  [['--from', 'http://127.0.0.1:4222'], 'SPECTER_ERR_USAGE'],
  [['--from', 'nats://user:pw@127.0.0.1:4222'], 'SPECTER_ERR_USAGE'],
  [['--from', 'nats://127.0.0.1:4222', 'extra'], 'SPECTER_ERR_USAGE'],
  [['--from', 'nats://127.0.0.1:4222', '--durable', 'a b'], 'SPECTER_ERR_USAGE'],
])('collect %j fails with %s before opening anything', async (argv, code) => {
  const err = await startCollect(argv, testIo()).catch((e: unknown) => e)
  expect(err).toMatchObject({ code })
  expect(String((err as Error).message)).not.toContain('pw@')
})

describe.skipIf(!haveNats)('specter collect', () => {
  test('merges published deltas, serves metrics and the admin API over the central store', async () => {
    const nats = await startNats()
    const upstream = await startUpstream(apiHandler)
    const proxy = await startProxyStack({ upstream, dbPath: tempDbPath(), publishUrl: nats.url })
    const db = tempDbPath('central.db')
    const stack = await startCollect(['--from', nats.url, '--db', db, '--admin-port', '0'], testIo())
    onTestFinished(() => stack.close())

    for (const r of requests(30)) await send(proxy.proxy.url, r)
    await settle(proxy)
    const merged = () => stack.collector.sources().reduce((n, s) => n + s.observations, 0)
    await stack.collector.until(() => merged() >= 30, 15_000)
    const metrics = await (await fetch(`${stack.admin.url}/metrics`)).text()
    expect(metrics).toMatch(/^specter_collector_observations_applied_total 30$/m)
    expect(metrics).toMatch(/^specter_collector_deltas_duplicate_total 0$/m)
    expect(metrics).toContain(`specter_collector_source_outbox_depth{source="${proxy.store.instanceId}"}`)
    expect((await fetch(`${stack.admin.url}/readyz`)).status).toBe(200)
    await stack.close()
    const store = openStore({ path: db })
    try {
      expect(observationCount(store)).toBe(30)
    } finally {
      store.close()
    }
  }, 60_000)

  test('stops cleanly on SIGTERM', async () => {
    const nats = await startNats()
    const io = testIo()
    const signals = new EventEmitter()
    const exit = runCollect(['--from', nats.url, '--db', tempDbPath(), '--admin-port', '0'], io, signals)
    await io.stdout.waitFor((l) => l.includes('"collecting"'))
    signals.emit('SIGTERM')
    expect(await exit).toBe(0)
    expect(io.stdout.text).toContain('"stopped"')
  }, 30_000)
})
