// End to end: one client walks /accounts/1..500 through the proxy while another reads 5 accounts;
// the capture feeds the tracker, its suspects are persisted and become exactly one finding.
import { readFileSync } from 'node:fs'
import { describe, expect, onTestFinished, test } from 'vitest'
import { createCapture } from '../../src/capture/index.js'
import { diff } from '../../src/diff/index.js'
import {
  classifyValue,
  EnumerationStore,
  EnumerationTracker,
  securityRules,
  withEnumerationTracking,
} from '../../src/security/index.js'
import { openStore } from '../../src/store/index.js'
import { startSpecter } from '../helpers/start-specter.js'
import { tempDbPath } from '../helpers/temp-db.js'
import { startUpstream } from '../helpers/upstream.js'
import { specOf } from './traffic.js'

const WALKER_TOKEN = 'walker-credential-5f2b9c1e7a'
const NORMAL_TOKEN = 'normal-credential-83d0a6b4c2'

describe('object enumeration through the proxy', () => {
  test('one walking client among a normal one is exactly one finding; credentials never stored', async () => {
    const upstream = await startUpstream((req, res) => {
      const id = /^\/accounts\/([0-9]+)$/.exec(req.url ?? '')?.[1]
      res.setHeader('content-type', 'application/json')
      if (id === undefined) {
        res.statusCode = 404
        res.end('{"error":"not found"}')
        return
      }
      res.end(JSON.stringify({ id: Number(id), owner: `user${id}@example.com`, balance: 100 }))
    })
    const dbPath = tempDbPath()
    const store = openStore({ path: dbPath })
    const tracker = new EnumerationTracker()
    const capture = createCapture({
      store: withEnumerationTracking(store, tracker),
      options: { classify: classifyValue, clientKeySalt: store.salt },
    })
    // Registered first, so it runs last: after the proxy and the capture have stopped.
    onTestFinished(() => store.close())
    onTestFinished(() => capture.close())
    const app = await startSpecter({ upstream, sink: capture })

    const get = async (id: number, token: string) => {
      const res = await fetch(`${app.url}/accounts/${id}`, { headers: { authorization: `Bearer ${token}` } })
      expect(res.status).toBe(200)
      await res.arrayBuffer()
    }
    for (let id = 1; id <= 500; id++) await get(id, WALKER_TOKEN)
    for (const id of [3, 17, 42, 99, 250]) await get(id, NORMAL_TOKEN)
    await capture.drain()

    const now = Date.now()
    const suspects = tracker.evaluate(now)
    expect(suspects).toHaveLength(1)
    expect(tracker.stats()).toMatchObject({ tracked: 2, suspects: 1, observedTotal: 505 })
    const enumeration = new EnumerationStore(store.database)
    enumeration.record(suspects, now)

    const spec = await specOf(`
openapi: 3.0.3
info: { title: Accounts, version: '1' }
paths:
  /accounts/{id}:
    get:
      parameters: [ { name: id, in: path, required: true, schema: { type: integer } } ]
      responses: { '200': { description: an account } }
`)
    const result = diff({
      inventory: store.inventory(),
      spec,
      now,
      rules: securityRules,
      facts: { security: { enumeration: enumeration.list() } },
    })
    const found = result.findings.filter((f) => f.rule === 'object-enumeration')
    expect(found).toHaveLength(1)
    const details = found[0]?.evidence.details ?? {}
    expect(found[0]).toMatchObject({ method: 'GET', path: '/accounts/{id}' })
    expect(details['clients']).toBe(1)
    expect(details['peerMedian']).toBe(5)
    expect(Math.abs((details['distinct'] as number) - 500) / 500).toBeLessThan(0.2)
    expect(details['client']).toMatch(/^[0-9a-f]{16}$/)

    // The credentials are nowhere: not in the findings, not in the database file or its WAL.
    const text = JSON.stringify(result.findings)
    for (const token of [WALKER_TOKEN, NORMAL_TOKEN]) {
      expect(text).not.toContain(token)
      for (const file of [dbPath, `${dbPath}-wal`]) {
        let bytes: Buffer
        try {
          bytes = readFileSync(file)
        } catch {
          continue
        }
        expect(bytes.includes(Buffer.from(token))).toBe(false)
      }
    }
  })
})
