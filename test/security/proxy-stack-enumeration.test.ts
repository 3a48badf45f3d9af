// Object enumeration through the whole `specter proxy` stack (startSpecterStack: store, capture,
// enumeration tracker, metrics, admin listener), then `specter report --db` in "another process":
// one client walks /accounts/1..300, another reads 5; exactly one finding, for the walker, and
// neither bearer token reaches the database, the metrics or the reports.
import { createHmac } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { reportCommand } from '../../src/cli/commands/report.js'
import type { Report } from '../../src/report/index.js'
import { testIo } from '../helpers/cli-io.js'
import { startSpecter } from '../helpers/start-specter.js'
import { tempDbPath } from '../helpers/temp-db.js'
import { startUpstream } from '../helpers/upstream.js'

const WALKER_TOKEN = 'walker-bearer-7c41e09d5ab2f3'
const READER_TOKEN = 'reader-bearer-2e96b0d7c184aa'
const WALK = 300
const READS = [3, 17, 42, 99, 250]

const SPEC = `openapi: 3.0.3
info: { title: Accounts, version: '1' }
paths:
  /accounts/{id}:
    get:
      security: [ { bearer: [] } ]
      parameters: [ { name: id, in: path, required: true, schema: { type: integer } } ]
      responses: { '200': { description: an account } }
components:
  securitySchemes:
    bearer: { type: http, scheme: bearer }
`

/** The capture's client key of a bearer credential: HMAC-SHA256 under the store's salt, 16 hex. */
const clientKey = (salt: Buffer, token: string) =>
  createHmac('sha256', salt).update(`authorization:Bearer ${token}`).digest('hex').slice(0, 16)

function bytesOf(dbPath: string): Buffer {
  const parts: Buffer[] = []
  for (const file of [dbPath, `${dbPath}-wal`]) {
    try {
      parts.push(readFileSync(file))
    } catch {
      // no WAL after a clean close
    }
  }
  return Buffer.concat(parts)
}

describe('object enumeration through specter proxy', () => {
  test('a walker among a normal reader: one finding, for the walker, in the admin report and `specter report --db`', async () => {
    const upstream = await startUpstream((req, res) => {
      const id = /^\/accounts\/([0-9]{1,6})$/.exec(req.url ?? '')?.[1]
      res.setHeader('content-type', 'application/json')
      if (id === undefined) {
        res.statusCode = 404
        res.end('{"error":"not found"}')
        return
      }
      res.end(JSON.stringify({ id: Number(id), owner: `user${id}@example.com`, balance: 100 }))
    })
    const dbPath = tempDbPath()
    const specPath = join(dirname(dbPath), 'openapi.yaml')
    writeFileSync(specPath, SPEC)
    const app = await startSpecter({ upstream, dbPath, config: { spec: { path: specPath } } })

    const get = async (id: number, token: string) => {
      const res = await fetch(`${app.url}/accounts/${id}`, { headers: { authorization: `Bearer ${token}` } })
      expect(res.status).toBe(200)
      await res.arrayBuffer()
    }
    for (let id = 1; id <= WALK; id++) await get(id, WALKER_TOKEN)
    for (const id of READS) await get(id, READER_TOKEN)
    await app.capture.drain()

    // The interval's work, done now: evaluate the tracker, store its suspects.
    expect(app.enumeration.persist()).toBe(1)
    expect(app.enumeration.tracker.stats()).toMatchObject({ tracked: 2, suspects: 1, observedTotal: WALK + 5 })
    const walker = clientKey(app.store.salt, WALKER_TOKEN)
    const reader = clientKey(app.store.salt, READER_TOKEN)
    expect(app.enumeration.store.list().map((e) => e.clientKey)).toEqual([walker])

    // The running stack: the metric, and the admin API's live report.
    const metrics = await (await fetch(`${app.adminUrl}/metrics`)).text()
    expect(metrics).toMatch(/^specter_security_enumeration_suspects 1$/m)
    expect(metrics).toMatch(/^specter_security_enumeration_evicted_total 0$/m)
    const adminReport = await (await fetch(`${app.adminUrl}/report`)).text()
    expect(adminReport).toContain('object-enumeration')
    expect(adminReport).toContain(walker)
    expect(adminReport).not.toContain(reader)

    // A graceful stop persists once more, then the report runs on the database alone.
    await app.close()
    const io = testIo({}, dirname(dbPath))
    const code = await reportCommand.run(
      ['--db', dbPath, '--spec', specPath, '--format', 'json', '--no-spec-diff', '--no-save'],
      io,
    )
    expect(code).toBe(0)
    const report = JSON.parse(io.stdout.text) as Report
    const found = report.findings.filter((f) => f.rule === 'object-enumeration')
    expect(found).toHaveLength(1)
    expect(found[0]).toMatchObject({ method: 'GET', path: '/accounts/{id}' })
    const details = found[0]?.evidence.details ?? {}
    expect(details['client']).toBe(walker)
    expect(details['clients']).toBe(1)
    expect(details['peerMedian']).toBe(READS.length)
    // Past 64 ids the count is a HyperLogLog estimate (standard error 6.5%).
    expect(Math.abs((details['distinct'] as number) - WALK) / WALK).toBeLessThan(0.2)
    expect(io.stdout.text).not.toContain(reader)

    // Neither credential anywhere: database and WAL bytes, metrics, either report.
    const db = bytesOf(dbPath)
    for (const token of [WALKER_TOKEN, READER_TOKEN]) {
      expect(db.includes(Buffer.from(token))).toBe(false)
      for (const text of [metrics, adminReport, io.stdout.text, io.stderr.text]) expect(text).not.toContain(token)
    }
  })
})
