import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { onTestFinished, describe, expect, test } from 'vitest'
import { createCapture } from '../../src/capture/index.js'
import { importFile, type ImportResult } from '../../src/import/index.js'
import { classifyValue } from '../../src/security/index.js'
import { type Inventory, openStore } from '../../src/store/index.js'
import { tempDbPath } from '../helpers/temp-db.js'

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))

interface Imported {
  result: ImportResult
  inventory: Inventory
  dbPath: string
}

async function importInto(file: string, options: { format?: 'har' | 'ndjson' } = {}): Promise<Imported> {
  const dbPath = tempDbPath()
  const store = openStore({ path: dbPath })
  onTestFinished(() => store.close())
  const capture = createCapture({
    store,
    options: { clientKeySalt: store.salt, wantExample: () => true, classify: classifyValue },
  })
  const result = await importFile({ file, sink: capture, nowMs: Date.UTC(2026, 10, 23), ...options })
  await capture.close()
  expect(capture.stats().dropped).toBe(0)
  return { result, inventory: store.inventory(), dbPath }
}

function endpoint(inv: Inventory, method: string, pathKey: string) {
  const found = inv.endpoints.find((e) => e.method === method && e.pathKey === pathKey)
  if (found === undefined) {
    throw new Error(`no ${method} ${pathKey} in ${inv.endpoints.map((e) => `${e.method} ${e.pathKey}`).join(', ')}`)
  }
  return found
}

const propsOf = (shape: unknown): string[] =>
  Object.keys((shape as { obj?: { props: Record<string, unknown> } } | undefined)?.obj?.props ?? {}).sort()

/** The secret values planted in the fixtures: none may reach the database file. */
const SECRETS = [
  'har_fixture_secret_token_1234567890',
  'fixture_session_cookie_value',
  'fixture-password-hunter2',
  'new_fixture_session',
  'fixture_api_key_0123456789',
  'ndjson_fixture_token_abcdef',
]

function expectNoSecrets(dbPath: string): void {
  for (const suffix of ['', '-wal']) {
    let bytes: Buffer
    try {
      bytes = readFileSync(dbPath + suffix)
    } catch {
      continue
    }
    for (const secret of SECRETS) expect(bytes.includes(secret), `${secret} in ${dbPath}${suffix}`).toBe(false)
  }
}

describe('HAR import through the capture pipeline into the store', () => {
  test('Chrome devtools: HTTP/2 pseudo-headers, decoded text under content-encoding br, base64 image, aborted request', async () => {
    const { result, inventory, dbPath } = await importInto(fixture('chrome.har'))
    expect(result).toMatchObject({ format: 'har', entries: 4, imported: 4, skipped: 0 })
    const customer = endpoint(inventory, 'GET', '/v2/customers/{int}')
    expect(customer.hosts).toEqual(['api.shop.example.com'])
    const ok = customer.exchanges.find((x) => x.status === 200)
    expect(ok?.responseKinds).toEqual({ json: 1 })
    expect(propsOf(ok?.responseBody)).toEqual(['address', 'email', 'firstName', 'id', 'tags'])
    expect(propsOf(ok?.query)).toEqual(['expand'])
    expect(ok?.auth).toMatchObject({ bearer: 1 })
    const order = endpoint(inventory, 'POST', '/v2/orders').exchanges[0]
    expect(order).toMatchObject({ status: 201, requestContentType: 'application/json' })
    expect(propsOf(order?.requestBody)).toEqual(['customerId', 'items'])
    const logo = endpoint(inventory, 'GET', '/img/logo.png').exchanges[0]
    expect(logo).toMatchObject({ responseContentType: 'image/png', responseKinds: { binary: 1 } })
    const aborted = endpoint(inventory, 'GET', '/v2/customers/{int}/orders').exchanges[0]
    expect(aborted).toMatchObject({ status: 0, outcome: 'aborted' })
    expectNoSecrets(dbPath)
  })

  test('Firefox: form body kept as params only, body not saved, no time field, repeated Set-Cookie', async () => {
    const { result, inventory, dbPath } = await importInto(fixture('firefox.har'))
    expect(result).toMatchObject({ entries: 3, imported: 3, skipped: 0 })
    const login = endpoint(inventory, 'POST', '/login').exchanges[0]
    expect(login).toMatchObject({ status: 302, requestContentType: 'application/x-www-form-urlencoded' })
    expect(propsOf(login?.requestBody)).toEqual(['password', 'username'])
    expect(login?.auth).toMatchObject({ 'cookie:sid': 1 })
    // Firefox kept the decoded text but also the content-encoding header: still parsed as JSON.
    const orders = endpoint(inventory, 'GET', '/api/orders').exchanges[0]
    expect(orders?.responseKinds).toEqual({ json: 1 })
    expect(propsOf(orders?.responseBody)).toEqual(['data', 'nextPage'])
    const pdf = endpoint(inventory, 'GET', '/api/report.pdf').exchanges[0]
    expect(pdf).toMatchObject({ responseContentType: 'application/pdf', responseTruncated: 1 })
    expectNoSecrets(dbPath)
  })

  test('mitmproxy: gzip and deflate bodies kept compressed in base64, a base64 request body', async () => {
    const { result, inventory, dbPath } = await importInto(fixture('mitmproxy.har'))
    expect(result).toMatchObject({ entries: 2, imported: 2, skipped: 0 })
    const list = endpoint(inventory, 'GET', '/v2/orders')
    expect(list.hosts).toEqual(['10.0.0.5:8080'])
    expect(list.exchanges[0]?.responseKinds).toEqual({ json: 1 })
    expect(propsOf(list.exchanges[0]?.responseBody)).toEqual(['data', 'nextPage'])
    expect(list.exchanges[0]?.auth).toMatchObject({ 'header:x-api-key': 1 })
    const put = endpoint(inventory, 'PUT', '/v2/customers/{int}').exchanges[0]
    expect(propsOf(put?.requestBody)).toEqual(['phone', 'tags'])
    expect(propsOf(put?.responseBody)).toEqual(['address', 'email', 'firstName', 'id', 'tags'])
    expectNoSecrets(dbPath)
  })

  test('Charles: base64 text bodies, a brotli body kept encoded, time-zone offsets, a 404', async () => {
    const { result, inventory } = await importInto(fixture('charles.har'))
    expect(result).toMatchObject({ entries: 2, imported: 2, skipped: 0 })
    const list = endpoint(inventory, 'GET', '/v2/customers')
    expect(list.firstSeenMs).toBe(Date.parse('2026-11-22T13:30:00.000Z'))
    expect(propsOf(list.exchanges[0]?.responseBody)).toEqual(['data', 'page', 'total'])
    const missing = endpoint(inventory, 'GET', '/v2/customers/{int}').exchanges[0]
    expect(missing).toMatchObject({ status: 404, responseKinds: { json: 1 } })
    expect(propsOf(missing?.responseBody)).toEqual(['error'])
  })

  test('broken entries are reported with their index and skipped; the others are imported', async () => {
    const { result, inventory } = await importInto(fixture('broken-entries.har'))
    expect(result).toMatchObject({ entries: 8, imported: 4, skipped: 4 })
    expect(result.skippedEntries.map((s) => [s.at, s.reason])).toEqual([
      [1, 'the entry has no request object'],
      [3, 'response.content.text is marked base64 but is not valid base64'],
      [4, expect.stringMatching(/^not valid JSON/)],
      [6, 'the entry is not an object'],
    ])
    const items = endpoint(inventory, 'GET', '/v2/items/{int}')
    expect(items.count).toBe(4)
    expect(items.segments[0]?.values).toEqual(['0', '2', '5', '7'])
  })

  test('a file cut short keeps the complete entries and reports the cut one', async () => {
    const { result, inventory } = await importInto(fixture('truncated.har'))
    expect(result.imported).toBe(2)
    // The fixture is broken-entries.har cut inside entry 5.
    expect(result.skippedEntries.map((s) => s.at)).toEqual([1, 3, 4, 5])
    expect(result.skippedEntries[3]).toEqual({
      at: 5,
      kind: 'entry',
      reason: 'the file ends inside this entry (truncated file)',
    })
    expect(endpoint(inventory, 'GET', '/v2/items/{int}').count).toBe(2)
  })

  test.each(['not-har.json', 'gateway.ndjson'])(
    '%s given as HAR is refused with SPECTER_ERR_HAR_INVALID',
    async (name) => {
      const dbPath = tempDbPath()
      const store = openStore({ path: dbPath })
      onTestFinished(() => store.close())
      const capture = createCapture({ store })
      await expect(importFile({ file: fixture(name), sink: capture, format: 'har' })).rejects.toMatchObject({
        code: 'SPECTER_ERR_HAR_INVALID',
      })
      await capture.close()
      expect(store.inventory().endpoints).toEqual([])
    },
  )

  test('a missing file is a usage error naming it', async () => {
    const store = openStore({ path: tempDbPath() })
    onTestFinished(() => store.close())
    const file = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'nope.har')
    await expect(importFile({ file, sink: createCapture({ store }) })).rejects.toMatchObject({
      code: 'SPECTER_ERR_USAGE',
      message: expect.stringContaining('nope.har'),
    })
  })
})

describe('NDJSON import', () => {
  test('imports good lines, reports broken ones by line number, decodes base64 gzip bodies', async () => {
    const { result, inventory, dbPath } = await importInto(fixture('gateway.ndjson'))
    expect(result).toMatchObject({ format: 'ndjson', entries: 5, imported: 3, skipped: 2 })
    expect(result.skippedEntries.map((s) => [s.kind, s.at, s.reason])).toEqual([
      ['line', 4, expect.stringMatching(/^not valid JSON/)],
      ['line', 5, expect.stringContaining('"status" is missing')],
    ])
    const get = endpoint(inventory, 'GET', '/v2/customers/{int}')
    expect(get.exchanges[0]).toMatchObject({
      status: 200,
      responseContentType: 'application/json',
      auth: { bearer: 1 },
    })
    expect(propsOf(get.exchanges[0]?.responseBody)).toEqual(['email', 'id'])
    const post = endpoint(inventory, 'POST', '/v2/orders')
    expect(post.hosts).toEqual(['api.example.com'])
    expect(post.firstSeenMs).toBe(1795165200000)
    expect(propsOf(post.exchanges[0]?.responseBody)).toEqual(['id'])
    expect(endpoint(inventory, 'DELETE', '/v2/orders/{uuid}').exchanges[0]?.status).toBe(204)
    expectNoSecrets(dbPath)
  })
})
