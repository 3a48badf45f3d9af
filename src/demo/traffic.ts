// The demo's traffic driver: a few clients with their own bearer tokens exercise the sample API
// through Specter for a bounded time and count. One partner walks /v2/accounts/1..N, an old
// app build keeps calling the deprecated /v1 route, and some requests are malformed.
import { randomBytes } from 'node:crypto'
import { setTimeout as delay } from 'node:timers/promises'
import { SpecterError } from '../errors.js'
import { createRandom, type Random } from './sample-api/random.js'

export interface TrafficProgress {
  /** requests sent that count against maxRequests */
  sent: number
  maxRequests: number
  elapsedMs: number
  durationMs: number
}

export interface TrafficOptions {
  /** where to send traffic (Specter's proxy); loopback only */
  baseUrl: string
  /** stop after this long (default 4000) */
  durationMs?: number
  /** stop after this many requests, not counting the partner's walk, which its length bounds (default 2500) */
  maxRequests?: number
  /** the partner client walks /v2/accounts/1..enumerateAccounts, then probes three ids past the end (default 150) */
  enumerateAccounts?: number
  seed?: number
  /** bearer tokens per client; default: random per run */
  tokens?: Partial<Record<ClientName, string>>
  onProgress?: (progress: TrafficProgress) => void
}

export type ClientName = 'web' | 'mobile' | 'backoffice' | 'partner'

export interface TrafficSummary {
  requests: number
  durationMs: number
  /** status code -> count; 0 counts transport failures */
  byStatus: Record<string, number>
  byClient: Record<string, number>
  /** accounts the partner client read */
  enumerated: number
}

interface Reply {
  status: number
  body: unknown
}

interface Call {
  method: string
  path: string
  token?: string
  /** serialized as JSON */
  json?: unknown
  /** sent as-is (for malformed bodies) */
  raw?: string
  contentType?: string
  gzip?: boolean
  headers?: Record<string, string>
}

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost'])

function token(): string {
  return `lp_demo_${randomBytes(18).toString('base64url')}`
}

class Driver {
  sent = 0
  readonly byStatus: Record<string, number> = {}
  readonly byClient: Record<string, number> = {}
  readonly startMs = Date.now()
  readonly deadlineMs: number
  private readonly base: URL

  constructor(
    baseUrl: string,
    readonly durationMs: number,
    readonly maxRequests: number,
    private readonly onProgress: ((p: TrafficProgress) => void) | undefined,
  ) {
    this.base = new URL(baseUrl)
    this.deadlineMs = this.startMs + durationMs
  }

  /** requests that count against maxRequests (all but the partner's walk, which its length bounds) */
  budgeted = 0

  done(): boolean {
    return this.budgeted >= this.maxRequests || this.timeUp()
  }

  timeUp(): boolean {
    return Date.now() >= this.deadlineMs
  }

  async call(client: string, call: Call): Promise<Reply> {
    this.sent++
    if (client !== 'partner') this.budgeted++
    this.byClient[client] = (this.byClient[client] ?? 0) + 1
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': `lumen-${client}/2.3`,
      ...call.headers,
    }
    if (call.token !== undefined) headers['authorization'] = `Bearer ${call.token}`
    if (call.gzip === true) headers['accept-encoding'] = 'gzip'
    let payload: Buffer | undefined
    if (call.json !== undefined || call.raw !== undefined) {
      payload = Buffer.from(call.raw ?? JSON.stringify(call.json))
      headers['content-type'] = call.contentType ?? 'application/json'
    }
    const reply = await this.send(call.method, call.path, headers, payload)
    this.byStatus[String(reply.status)] = (this.byStatus[String(reply.status)] ?? 0) + 1
    this.onProgress?.({
      sent: this.budgeted,
      maxRequests: this.maxRequests,
      elapsedMs: Date.now() - this.startMs,
      durationMs: this.durationMs,
    })
    return reply
  }

  // fetch (undici) rather than node:http: a keep-alive node:http client measured 3 to 5 times
  // slower through the proxy here, for reasons outside the demo.
  private async send(
    method: string,
    path: string,
    headers: Record<string, string>,
    body: Buffer | undefined,
  ): Promise<Reply> {
    try {
      const res = await fetch(new URL(path, this.base), {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(10_000),
      })
      const text = await res.text()
      let parsed: unknown
      if ((res.headers.get('content-type') ?? '').startsWith('application/json')) {
        try {
          parsed = JSON.parse(text)
        } catch {
          parsed = undefined
        }
      }
      return { status: res.status, body: parsed }
    } catch {
      return { status: 0, body: undefined }
    }
  }
}

function field(body: unknown, ...path: Array<string | number>): unknown {
  let cur: unknown = body
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<string | number, unknown>)[key]
  }
  return cur
}

const CUSTOMERS = 80
const SESSION_CUSTOMERS = [3, 15, 34, 42, 61]
const PRODUCT_IDS = { first: 1001, last: 1032 }
const CATEGORIES = ['audio', 'home', 'outdoor', 'books']

/** A shopper on the web app: browses, checks out, pays, sometimes sends a broken request. */
async function webClient(d: Driver, r: Random, tokenValue: string): Promise<void> {
  const orders: string[] = []
  let newCustomers = 0
  while (!d.done()) {
    const customerId = r.int(1, CUSTOMERS)
    const roll = r.next()
    const t = tokenValue
    if (roll < 0.2) {
      const category = r.chance(0.5) ? `&category=${r.pick(CATEGORIES)}` : ''
      await d.call('web', {
        method: 'GET',
        path: `/v2/products?page=${r.int(1, 2)}&limit=${r.pick([10, 20])}${category}`,
        gzip: true,
      })
      await d.call('web', {
        method: 'GET',
        path: `/v2/products/${r.int(PRODUCT_IDS.first, PRODUCT_IDS.last)}`,
      })
    } else if (roll < 0.38) {
      // The signed-in customers of this web session look at their own accounts.
      const own = r.pick(SESSION_CUSTOMERS)
      await d.call('web', { method: 'GET', path: `/v2/customers/${own}`, token: t })
      const accounts = await d.call('web', {
        method: 'GET',
        path: `/v2/customers/${own}/accounts`,
        token: t,
      })
      const accountId = field(accounts.body, 'data', 0, 'id')
      if (typeof accountId === 'number') {
        await d.call('web', { method: 'GET', path: `/v2/accounts/${accountId}`, token: t })
        const from = r.chance(0.4) ? `&from=2025-0${r.int(1, 9)}-01` : ''
        await d.call('web', {
          method: 'GET',
          path: `/v2/accounts/${accountId}/transactions?page=1&limit=${r.pick([5, 10, 25])}${from}`,
          token: t,
          gzip: true,
        })
        if (r.chance(0.3))
          await d.call('web', {
            method: 'GET',
            path: `/v2/accounts/${accountId}/statement`,
            token: t,
            headers: { accept: 'text/csv' },
          })
      }
    } else if (roll < 0.55) {
      const items = Array.from({ length: r.int(1, 3) }, () => ({
        productId: r.int(PRODUCT_IDS.first, PRODUCT_IDS.last),
        quantity: r.int(1, 3),
      }))
      const json: Record<string, unknown> = { customerId, items }
      if (r.chance(0.3)) json['notes'] = r.pick(['Leave at the door', 'Gift wrap please'])
      const order = await d.call('web', { method: 'POST', path: '/v2/orders', token: t, json })
      const orderId = field(order.body, 'id')
      if (typeof orderId !== 'string') continue
      orders.push(orderId)
      await d.call('web', { method: 'GET', path: `/v2/orders/${orderId}`, token: t })
      const cards = await d.call('web', { method: 'GET', path: `/v2/customers/${customerId}/cards`, token: t })
      const cardId = field(cards.body, 'data', 0, 'id')
      if (typeof cardId !== 'string') continue
      const payment = await d.call('web', {
        method: 'POST',
        path: '/v2/payments',
        token: t,
        json: { orderId, cardId },
      })
      const paymentId = field(payment.body, 'id')
      if (typeof paymentId === 'string')
        await d.call('web', { method: 'GET', path: `/v2/payments/${paymentId}`, token: t })
      // A double click on "pay": the second attempt is a 409.
      if (r.chance(0.15))
        await d.call('web', { method: 'POST', path: '/v2/payments', token: t, json: { orderId, cardId } })
    } else if (roll < 0.62) {
      await d.call('web', {
        method: 'PATCH',
        path: `/v2/customers/${customerId}`,
        token: t,
        json: r.chance(0.5) ? { marketingOptIn: r.chance(0.5) } : { phone: `+49151${r.int(10_000_000, 99_999_999)}` },
      })
    } else if (roll < 0.68) {
      newCustomers++
      const email = r.chance(0.2) ? 'ada.lovelace1@example.com' : `new.customer${newCustomers}.${r.hex(4)}@example.org`
      await d.call('web', {
        method: 'POST',
        path: '/v2/customers',
        token: t,
        json: {
          firstName: r.pick(['Mina', 'Theo', 'Ola']),
          lastName: r.pick(['Berg', 'Costa', 'Ivanova']),
          email,
          marketingOptIn: r.chance(0.5),
        },
      })
    } else if (roll < 0.72 && orders.length > 0) {
      await d.call('web', { method: 'DELETE', path: `/v2/orders/${orders.shift() as string}`, token: t })
    } else if (roll < 0.73) {
      await d.call('web', { method: 'DELETE', path: `/v2/customers/${r.int(60, CUSTOMERS)}`, token: t })
    } else if (roll < 0.85) {
      await d.call('web', malformed(r, t, customerId))
    } else {
      await d.call('web', {
        method: 'GET',
        path: `/v2/customers?page=${r.int(1, 4)}&limit=20${r.chance(0.2) ? '&status=active' : ''}`,
        token: t,
        gzip: true,
      })
    }
  }
}

function malformed(r: Random, t: string, customerId: number): Call {
  switch (r.int(0, 6)) {
    case 0:
      return {
        method: 'POST',
        path: '/v2/orders',
        token: t,
        raw: '{"customerId": 12, "items": [',
        contentType: 'application/json',
      }
    case 1:
      return {
        method: 'POST',
        path: '/v2/orders',
        token: t,
        json: { customerId, items: [{ productId: 1003, quantity: 0 }] },
      }
    case 2:
      return { method: 'GET', path: `/v2/customers?limit=${r.pick(['abc', '500', '-1'])}`, token: t }
    case 3:
      return { method: 'POST', path: '/v2/customers', token: t, json: { firstName: 'Kai', email: 'not-an-email' } }
    case 4:
      return { method: 'GET', path: `/v2/products/${r.int(9000, 9999)}` }
    case 5:
      return { method: 'GET', path: `/v2/accounts/${customerId}/transactions?from=last-week`, token: t }
    default:
      // Forgot the token.
      return { method: 'GET', path: `/v2/customers/${customerId}` }
  }
}

/** An old mobile build: still on the deprecated /v1 route, sometimes with the key in the query. */
async function mobileClient(d: Driver, r: Random, tokenValue: string): Promise<void> {
  while (!d.done()) {
    const customerId = r.int(1, CUSTOMERS)
    const roll = r.next()
    if (roll < 0.35) {
      await d.call('mobile', { method: 'GET', path: `/v1/customers/${customerId}`, token: tokenValue })
    } else if (roll < 0.45) {
      await d.call('mobile', {
        method: 'GET',
        path: `/v1/customers/${customerId}?api_key=${encodeURIComponent(tokenValue)}`,
      })
    } else if (roll < 0.7) {
      await d.call('mobile', {
        method: 'GET',
        path: `/v2/customers/${customerId}/accounts`,
        token: tokenValue,
      })
    } else {
      await d.call('mobile', { method: 'GET', path: `/v2/products?limit=10`, gzip: true })
    }
    // Phones are slower clients than browsers on fibre.
    await delay(r.int(1, 3))
  }
}

/** The support team's back office: calls /admin endpoints that the published spec never shows. */
async function backofficeClient(d: Driver, r: Random, tokenValue: string): Promise<void> {
  let cursor = 0
  while (!d.done()) {
    const roll = r.next()
    if (roll < 0.3) {
      await d.call('backoffice', { method: 'GET', path: '/admin/users', token: tokenValue })
    } else if (roll < 0.55) {
      await d.call('backoffice', { method: 'GET', path: `/admin/users/${r.int(501, 507)}`, token: tokenValue })
    } else if (roll < 0.65) {
      await d.call('backoffice', {
        method: 'POST',
        path: `/admin/users/${r.int(501, 506)}/unlock`,
        token: tokenValue,
      })
    } else if (roll < 0.85) {
      await d.call('backoffice', {
        method: 'GET',
        path: `/admin/audit-log?limit=25${cursor > 0 ? `&cursor=${cursor}` : ''}`,
        token: tokenValue,
        gzip: true,
      })
      cursor = (cursor + 25) % 100
    } else if (roll < 0.92) {
      // Monitoring scrapes without credentials, as it always has.
      await d.call('backoffice', {
        method: 'GET',
        path: '/internal/metrics',
        headers: { accept: 'text/plain' },
      })
    } else {
      await d.call('backoffice', { method: 'GET', path: '/internal/config' })
    }
    // Support staff click; they do not hammer.
    await delay(r.int(5, 20))
  }
}

/** A partner integration that reads every account in turn: authorized, and still a scrape. */
async function partnerClient(d: Driver, tokenValue: string, count: number): Promise<number> {
  let read = 0
  for (let id = 1; id <= count && !d.timeUp(); id++) {
    const reply = await d.call('partner', { method: 'GET', path: `/v2/accounts/${id}`, token: tokenValue })
    if (reply.status === 200) read++
  }
  // Then it probes for ids beyond the end: 404s, and more distinct objects asked for.
  for (let id = 10_001; id <= 10_003 && !d.timeUp(); id++) {
    await d.call('partner', { method: 'GET', path: `/v2/accounts/${id}`, token: tokenValue })
  }
  return read
}

/** Drives the demo traffic and resolves when the time or request budget is spent. */
export async function driveTraffic(options: TrafficOptions): Promise<TrafficSummary> {
  let base: URL
  try {
    base = new URL(options.baseUrl)
  } catch (cause) {
    throw new SpecterError('SPECTER_ERR_USAGE', `the traffic target ${options.baseUrl} is not a URL`, { cause })
  }
  if (base.protocol !== 'http:' || !LOOPBACK.has(base.hostname)) {
    throw new SpecterError('SPECTER_ERR_USAGE', `the demo only sends traffic to loopback, not to ${base.host}`)
  }
  const durationMs = options.durationMs ?? 4000
  const maxRequests = options.maxRequests ?? 2500
  const d = new Driver(options.baseUrl, durationMs, maxRequests, options.onProgress)
  const seed = options.seed ?? 7
  const tokens = {
    web: options.tokens?.web ?? token(),
    mobile: options.tokens?.mobile ?? token(),
    backoffice: options.tokens?.backoffice ?? token(),
    partner: options.tokens?.partner ?? token(),
  }
  const [, , , enumerated] = await Promise.all([
    webClient(d, createRandom(seed + 1), tokens.web),
    mobileClient(d, createRandom(seed + 2), tokens.mobile),
    backofficeClient(d, createRandom(seed + 3), tokens.backoffice),
    partnerClient(d, tokens.partner, options.enumerateAccounts ?? 150),
  ])
  return {
    requests: d.sent,
    durationMs: Date.now() - d.startMs,
    byStatus: d.byStatus,
    byClient: d.byClient,
    enumerated,
  }
}
