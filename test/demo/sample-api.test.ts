import { gunzipSync } from 'node:zlib'
import { expect, onTestFinished, test } from 'vitest'
import { generateSampleData, type SampleApi, startSampleApi } from '../../src/demo/index.js'

const TOKEN = 'lp_test_token_0123456789abcdef'

async function api(): Promise<SampleApi> {
  const server = await startSampleApi({ seed: 7 })
  onTestFinished(() => server.close())
  return server
}

const auth = { authorization: `Bearer ${TOKEN}` }

test('the data set is the same for the same seed and differs for another', () => {
  const a = generateSampleData({ seed: 7 })
  expect(generateSampleData({ seed: 7 })).toEqual(a)
  expect(generateSampleData({ seed: 8 }).customers[0]).not.toEqual(a.customers[0])
  expect(a.accounts).toHaveLength(167)
  // Valid by construction: IBAN check digits (ISO 13616 mod 97) and card numbers (Luhn).
  for (const account of a.accounts) {
    const rearranged = account.iban.slice(4) + account.iban.slice(0, 4)
    const digits = rearranged.replace(/[A-Z]/g, (ch) => String(ch.charCodeAt(0) - 55))
    expect(BigInt(digits) % 97n).toBe(1n)
  }
  for (const card of a.cards) {
    let sum = 0
    for (let i = 0; i < card.pan.length; i++) {
      let d = Number(card.pan[card.pan.length - 1 - i])
      if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2
      sum += d
    }
    expect(sum % 10).toBe(0)
    expect(card.last4).toBe(card.pan.slice(-4))
  }
})

test('listens on loopback only and answers like a real API', async () => {
  const { url } = await api()
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  const customer = await fetch(`${url}/v2/customers/1`, { headers: auth })
  expect(customer.status).toBe(200)
  expect(await customer.json()).toMatchObject({
    id: 1,
    email: expect.stringContaining('@'),
    dateOfBirth: expect.any(String),
  })
  expect((await fetch(`${url}/v2/customers/1`)).status).toBe(401)
  expect((await fetch(`${url}/v2/customers/9999`, { headers: auth })).status).toBe(404)
  expect((await fetch(`${url}/v2/customers?limit=abc`, { headers: auth })).status).toBe(400)
  expect((await fetch(`${url}/v2/customers/1`, { method: 'PUT', headers: auth })).status).toBe(405)
  const v1 = await fetch(`${url}/v1/customers/2?api_key=${TOKEN}`)
  expect(await v1.json()).toMatchObject({ customer_id: 2, full_name: expect.any(String) })
})

test('creates (201), conflicts (409), rejects (400) and deletes (204)', async () => {
  const { url } = await api()
  const json = { ...auth, 'content-type': 'application/json' }
  const body = JSON.stringify({ firstName: 'Mina', lastName: 'Berg', email: 'mina.berg@example.org' })
  const created = await fetch(`${url}/v2/customers`, { method: 'POST', headers: json, body })
  expect(created.status).toBe(201)
  expect(created.headers.get('location')).toMatch(/^\/v2\/customers\/\d+$/)
  expect((await fetch(`${url}/v2/customers`, { method: 'POST', headers: json, body })).status).toBe(409)
  expect(
    (await fetch(`${url}/v2/orders`, { method: 'POST', headers: json, body: '{"customerId": 1, "items": [' })).status,
  ).toBe(400)
  const order = await fetch(`${url}/v2/orders`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ customerId: 1, items: [{ productId: 1001, quantity: 2 }] }),
  })
  expect(order.status).toBe(201)
  const { id } = (await order.json()) as { id: string }
  expect((await fetch(`${url}/v2/orders/${id}`, { method: 'DELETE', headers: auth })).status).toBe(204)
})

test('compresses list responses for clients that accept gzip; serves CSV and text', async () => {
  const { url, port } = await api()
  const raw = await new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
    import('node:http').then(({ get }) =>
      get({ host: '127.0.0.1', port, path: '/v2/products?limit=5', headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }))
      }).on('error', reject),
    )
  })
  expect(raw.encoding).toBe('gzip')
  expect(JSON.parse(gunzipSync(raw.body).toString())).toMatchObject({ page: 1, limit: 5, total: 32, nextPage: 2 })
  const csv = await fetch(`${url}/v2/accounts/1/statement`, { headers: auth })
  expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8')
  expect((await csv.text()).split('\n')[0]).toBe('booked_at,amount,currency,description')
  const metrics = await fetch(`${url}/internal/metrics`)
  expect(metrics.headers.get('content-type')).toContain('text/plain')
})
