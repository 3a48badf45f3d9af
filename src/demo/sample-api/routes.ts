// The sample API's routes: the published /v2 API, the deprecated /v1 route that old apps
// still call, and the back-office (/admin) and /internal endpoints the spec never mentions.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Customer, Order, Payment, SampleData } from './data.js'
import { HttpProblem, pageOf, paginate, readJson, sendEmpty, sendJson, sendText } from './http-util.js'

export interface RouteContext {
  req: IncomingMessage
  res: ServerResponse
  params: Record<string, string>
  query: URLSearchParams
  data: SampleData
  /** a counter the server keeps, for ids of created objects */
  nextUuid: () => string
  startedMs: number
  requestsServed: () => number
}

export interface Route {
  method: string
  /** `/v2/customers/:customerId`-style pattern */
  pattern: string
  /** whether a bearer token is required (the /internal endpoints famously are not protected) */
  auth: boolean
  handle: (ctx: RouteContext) => Promise<void> | void
}

const notFound = (what: string) => new HttpProblem(404, 'not_found', `${what} not found`)

function intId(raw: string | undefined, what: string): number {
  if (raw === undefined || !/^[0-9]{1,9}$/.test(raw)) throw notFound(what)
  return Number(raw)
}

function customerById(ctx: RouteContext): Customer {
  const id = intId(ctx.params['customerId'], 'customer')
  const customer = ctx.data.customers.find((c) => c.id === id)
  if (customer === undefined) throw notFound('customer')
  return customer
}

function isEmail(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 254 && /^[^@\s]{1,64}@[^@\s]{1,200}$/.test(value)
}

function invalid(field: string, message: string): HttpProblem {
  return new HttpProblem(400, 'validation_failed', message, { field })
}

function csvCell(value: string | number): string {
  const s = String(value)
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}

export const routes: Route[] = [
  {
    method: 'GET',
    pattern: '/v2/customers',
    auth: true,
    handle: (ctx) => {
      const status = ctx.query.get('status')
      const list = status === null ? ctx.data.customers : ctx.data.customers.filter((c) => c.status === status)
      sendJson(ctx.req, ctx.res, 200, paginate(list, pageOf(ctx.query)), { gzip: true })
    },
  },
  {
    method: 'POST',
    pattern: '/v2/customers',
    auth: true,
    handle: async (ctx) => {
      const body = await readJson(ctx.req)
      if (typeof body['firstName'] !== 'string' || body['firstName'].length === 0) {
        throw invalid('firstName', 'firstName is required')
      }
      if (typeof body['lastName'] !== 'string') throw invalid('lastName', 'lastName is required')
      if (!isEmail(body['email'])) throw invalid('email', 'email must be a valid address')
      const email = body['email']
      if (ctx.data.customers.some((c) => c.email === email)) {
        throw new HttpProblem(409, 'conflict', 'a customer with this email already exists')
      }
      const template = ctx.data.customers[ctx.data.customers.length % 7] as Customer
      const customer: Customer = {
        ...template,
        id: ctx.data.customers.length + 1,
        externalId: ctx.nextUuid(),
        firstName: body['firstName'],
        lastName: body['lastName'],
        email,
        phone: typeof body['phone'] === 'string' ? body['phone'] : template.phone,
        status: 'active',
        createdAt: new Date().toISOString(),
        marketingOptIn: body['marketingOptIn'] === true,
        tags: [],
      }
      ctx.data.customers.push(customer)
      sendJson(ctx.req, ctx.res, 201, customer, { headers: { location: `/v2/customers/${customer.id}` } })
    },
  },
  {
    method: 'GET',
    pattern: '/v2/customers/:customerId',
    auth: true,
    handle: (ctx) => sendJson(ctx.req, ctx.res, 200, customerById(ctx)),
  },
  {
    method: 'PATCH',
    pattern: '/v2/customers/:customerId',
    auth: true,
    handle: async (ctx) => {
      const customer = customerById(ctx)
      const body = await readJson(ctx.req)
      if (body['phone'] !== undefined) {
        if (typeof body['phone'] !== 'string' || !/^\+[0-9]{8,15}$/.test(body['phone'])) {
          throw invalid('phone', 'phone must be in E.164 format')
        }
        customer.phone = body['phone']
      }
      if (typeof body['marketingOptIn'] === 'boolean') customer.marketingOptIn = body['marketingOptIn']
      sendJson(ctx.req, ctx.res, 200, customer)
    },
  },
  {
    // Not in the published spec: support staff close customers through the public API.
    method: 'DELETE',
    pattern: '/v2/customers/:customerId',
    auth: true,
    handle: (ctx) => {
      customerById(ctx).status = 'closed'
      sendEmpty(ctx.res, 204)
    },
  },
  {
    method: 'GET',
    pattern: '/v2/customers/:customerId/accounts',
    auth: true,
    handle: (ctx) => {
      const customer = customerById(ctx)
      sendJson(ctx.req, ctx.res, 200, { data: ctx.data.accounts.filter((a) => a.customerId === customer.id) })
    },
  },
  {
    method: 'GET',
    pattern: '/v2/customers/:customerId/cards',
    auth: true,
    handle: (ctx) => {
      const customer = customerById(ctx)
      sendJson(ctx.req, ctx.res, 200, { data: ctx.data.cards.filter((c) => c.customerId === customer.id) })
    },
  },
  {
    method: 'GET',
    pattern: '/v2/accounts/:accountId',
    auth: true,
    handle: (ctx) => {
      const id = intId(ctx.params['accountId'], 'account')
      const account = ctx.data.accounts[id - 1]
      if (account === undefined) throw notFound('account')
      sendJson(ctx.req, ctx.res, 200, account)
    },
  },
  {
    method: 'GET',
    pattern: '/v2/accounts/:accountId/transactions',
    auth: true,
    handle: (ctx) => {
      const id = intId(ctx.params['accountId'], 'account')
      const txs = ctx.data.transactions.get(id)
      if (txs === undefined) throw notFound('account')
      const from = ctx.query.get('from')
      if (from !== null && !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(from)) {
        throw new HttpProblem(400, 'invalid_parameter', 'from must be a date (YYYY-MM-DD)', { parameter: 'from' })
      }
      const list = from === null ? txs : txs.filter((t) => t.bookedAt >= from)
      sendJson(ctx.req, ctx.res, 200, paginate(list, pageOf(ctx.query, 10)), { gzip: true })
    },
  },
  {
    method: 'GET',
    pattern: '/v2/accounts/:accountId/statement',
    auth: true,
    handle: (ctx) => {
      const id = intId(ctx.params['accountId'], 'account')
      const txs = ctx.data.transactions.get(id)
      if (txs === undefined) throw notFound('account')
      const lines = ['booked_at,amount,currency,description']
      for (const t of txs)
        lines.push([t.bookedAt, t.amount.toFixed(2), t.currency, t.description].map(csvCell).join(','))
      sendText(ctx.req, ctx.res, 200, 'text/csv; charset=utf-8', `${lines.join('\n')}\n`, {
        headers: { 'content-disposition': `attachment; filename="statement-${id}.csv"` },
      })
    },
  },
  {
    method: 'GET',
    pattern: '/v2/products',
    auth: false,
    handle: (ctx) => {
      const category = ctx.query.get('category')
      const list = category === null ? ctx.data.products : ctx.data.products.filter((p) => p.category === category)
      sendJson(ctx.req, ctx.res, 200, paginate(list, pageOf(ctx.query)), {
        gzip: true,
        headers: { 'cache-control': 'public, max-age=60' },
      })
    },
  },
  {
    method: 'GET',
    pattern: '/v2/products/:productId',
    auth: false,
    handle: (ctx) => {
      const id = intId(ctx.params['productId'], 'product')
      const product = ctx.data.products.find((p) => p.id === id)
      if (product === undefined) throw notFound('product')
      sendJson(ctx.req, ctx.res, 200, product, { headers: { 'cache-control': 'public, max-age=60' } })
    },
  },
  {
    method: 'POST',
    pattern: '/v2/orders',
    auth: true,
    handle: async (ctx) => {
      const body = await readJson(ctx.req)
      const customerId = body['customerId']
      if (typeof customerId !== 'number' || !ctx.data.customers.some((c) => c.id === customerId)) {
        throw invalid('customerId', 'customerId must name an existing customer')
      }
      const items = body['items']
      if (!Array.isArray(items) || items.length === 0 || items.length > 20) {
        throw invalid('items', 'items must hold 1 to 20 lines')
      }
      const lines = items.map((item: unknown, i) => {
        const line = (item ?? {}) as Record<string, unknown>
        const product = ctx.data.products.find((p) => p.id === line['productId'])
        const quantity = line['quantity']
        if (product === undefined) throw invalid(`items[${i}].productId`, 'unknown product')
        if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1) {
          throw invalid(`items[${i}].quantity`, 'quantity must be a positive integer')
        }
        return { productId: product.id, quantity, unitPrice: product.price }
      })
      const customer = ctx.data.customers.find((c) => c.id === customerId) as Customer
      const order: Order = {
        id: ctx.nextUuid(),
        customerId,
        status: 'pending',
        items: lines,
        total: Math.round(lines.reduce((s, l) => s + l.quantity * l.unitPrice, 0) * 100) / 100,
        currency: 'EUR',
        shippingAddress: customer.address,
        createdAt: new Date().toISOString(),
      }
      if (typeof body['notes'] === 'string') order.notes = body['notes'].slice(0, 200)
      ctx.data.orders.set(order.id, order)
      sendJson(ctx.req, ctx.res, 201, order, { headers: { location: `/v2/orders/${order.id}` } })
    },
  },
  {
    method: 'GET',
    pattern: '/v2/orders/:orderId',
    auth: true,
    handle: (ctx) => {
      const order = ctx.data.orders.get(ctx.params['orderId'] ?? '')
      if (order === undefined) throw notFound('order')
      sendJson(ctx.req, ctx.res, 200, order)
    },
  },
  {
    method: 'DELETE',
    pattern: '/v2/orders/:orderId',
    auth: true,
    handle: (ctx) => {
      const order = ctx.data.orders.get(ctx.params['orderId'] ?? '')
      if (order === undefined) throw notFound('order')
      if (order.status === 'shipped') throw new HttpProblem(409, 'conflict', 'a shipped order cannot be cancelled')
      order.status = 'cancelled'
      sendEmpty(ctx.res, 204)
    },
  },
  {
    method: 'POST',
    pattern: '/v2/payments',
    auth: true,
    handle: async (ctx) => {
      const body = await readJson(ctx.req)
      const order = ctx.data.orders.get(typeof body['orderId'] === 'string' ? body['orderId'] : '')
      if (order === undefined) throw invalid('orderId', 'orderId must name an existing order')
      const card = ctx.data.cards.find((c) => c.id === body['cardId'])
      if (card === undefined) throw invalid('cardId', 'cardId must name a card of the customer')
      // Undocumented: paying an order twice is a 409, which the published spec never mentions.
      if (order.status !== 'pending') throw new HttpProblem(409, 'conflict', `order is already ${order.status}`)
      order.status = 'paid'
      const payment: Payment = {
        id: ctx.nextUuid(),
        orderId: order.id,
        amount: order.total,
        currency: order.currency,
        status: card.status === 'frozen' ? 'failed' : 'authorized',
        method: { type: 'card', card: { brand: card.brand, last4: card.last4 } },
        createdAt: new Date().toISOString(),
      }
      ctx.data.payments.set(payment.id, payment)
      sendJson(ctx.req, ctx.res, 201, payment, { headers: { location: `/v2/payments/${payment.id}` } })
    },
  },
  {
    method: 'GET',
    pattern: '/v2/payments/:paymentId',
    auth: true,
    handle: (ctx) => {
      const payment = ctx.data.payments.get(ctx.params['paymentId'] ?? '')
      if (payment === undefined) throw notFound('payment')
      sendJson(ctx.req, ctx.res, 200, payment)
    },
  },
  {
    method: 'GET',
    pattern: '/v2/exchange-rates',
    auth: false,
    handle: (ctx) =>
      sendJson(ctx.req, ctx.res, 200, {
        base: 'EUR',
        asOf: '2026-06-30',
        rates: { GBP: 0.8431, USD: 1.0874, CHF: 0.9612, SEK: 11.274 },
      }),
  },
  {
    // Deprecated in the spec since 2024, still called by the old mobile app.
    method: 'GET',
    pattern: '/v1/customers/:customerId',
    auth: true,
    handle: (ctx) => {
      const c = customerById(ctx)
      sendJson(ctx.req, ctx.res, 200, {
        customer_id: c.id,
        full_name: `${c.firstName} ${c.lastName}`,
        email: c.email,
        phone_number: c.phone,
        created: c.createdAt,
      })
    },
  },
  {
    method: 'GET',
    pattern: '/admin/users',
    auth: true,
    handle: (ctx) => sendJson(ctx.req, ctx.res, 200, { users: ctx.data.adminUsers, total: ctx.data.adminUsers.length }),
  },
  {
    method: 'GET',
    pattern: '/admin/users/:userId',
    auth: true,
    handle: (ctx) => {
      const id = intId(ctx.params['userId'], 'user')
      const user = ctx.data.adminUsers.find((u) => u.id === id)
      if (user === undefined) throw notFound('user')
      sendJson(ctx.req, ctx.res, 200, user)
    },
  },
  {
    method: 'POST',
    pattern: '/admin/users/:userId/unlock',
    auth: true,
    handle: (ctx) => {
      const id = intId(ctx.params['userId'], 'user')
      const user = ctx.data.adminUsers.find((u) => u.id === id)
      if (user === undefined) throw notFound('user')
      user.locked = false
      sendEmpty(ctx.res, 204)
    },
  },
  {
    method: 'GET',
    pattern: '/admin/audit-log',
    auth: true,
    handle: (ctx) => {
      const { limit } = pageOf(ctx.query, 25)
      const cursor = ctx.query.get('cursor')
      const start = cursor !== null && /^[0-9]{1,6}$/.test(cursor) ? Number(cursor) : 0
      const entries = ctx.data.auditLog.slice(start, start + limit)
      const next = start + limit < ctx.data.auditLog.length ? String(start + limit) : null
      sendJson(ctx.req, ctx.res, 200, { entries, nextCursor: next }, { gzip: true })
    },
  },
  {
    method: 'GET',
    pattern: '/internal/metrics',
    auth: false,
    handle: (ctx) => {
      const uptimeSeconds = Math.round((Date.now() - ctx.startedMs) / 1000)
      const text = [
        '# HELP lumen_requests_served_total Requests served.',
        '# TYPE lumen_requests_served_total counter',
        `lumen_requests_served_total ${ctx.requestsServed()}`,
        '# TYPE lumen_uptime_seconds gauge',
        `lumen_uptime_seconds ${uptimeSeconds}`,
        '# TYPE lumen_db_pool_connections gauge',
        'lumen_db_pool_connections{pool="primary",host="db-1.internal"} 12',
        '',
      ].join('\n')
      sendText(ctx.req, ctx.res, 200, 'text/plain; version=0.0.4; charset=utf-8', text)
    },
  },
  {
    method: 'GET',
    pattern: '/internal/config',
    auth: false,
    handle: (ctx) =>
      sendJson(ctx.req, ctx.res, 200, {
        service: 'lumenpay-api',
        version: '2.14.3',
        region: 'eu-central-1',
        features: { newCheckout: true, legacyV1: true },
        database: { host: 'db-1.internal', pool: 12 },
      }),
  },
  {
    method: 'GET',
    pattern: '/healthz',
    auth: false,
    handle: (ctx) => sendJson(ctx.req, ctx.res, 200, { status: 'ok' }),
  },
]
