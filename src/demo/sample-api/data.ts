// The sample API's data set, generated from a seed: customers, accounts, transactions, cards,
// products, orders, payments and the back-office users. Same seed, same data.
import { createRandom, type Random } from './random.js'

export interface Address {
  line1: string
  line2: string | null
  city: string
  postalCode: string
  country: string
}

export interface Customer {
  id: number
  externalId: string
  firstName: string
  lastName: string
  email: string
  phone: string
  status: 'active' | 'suspended' | 'closed'
  address: Address
  createdAt: string
  marketingOptIn: boolean
  tags: string[]
  /** not in the published spec (personal data) */
  dateOfBirth: string
  /** not in the published spec, present for some customers only */
  loyaltyTier?: 'silver' | 'gold' | 'platinum'
}

export interface Account {
  id: number
  customerId: number
  iban: string
  bic: string
  type: 'checking' | 'savings'
  currency: 'EUR' | 'GBP'
  balance: { amount: string; currency: string }
  openedAt: string
  closedAt: string | null
}

export interface Transaction {
  id: string
  accountId: number
  amount: number
  currency: string
  bookedAt: string
  description: string
  counterparty: { name: string; iban: string | null }
  category: string | null
}

export interface Card {
  id: string
  customerId: number
  brand: 'visa' | 'mastercard'
  last4: string
  expMonth: number
  expYear: number
  status: 'active' | 'frozen'
  /** the full card number: the API leaks it, the spec does not list it */
  pan: string
}

export interface Product {
  id: number
  name: string
  category: string
  /** the spec says integer cents; the API has sent decimal units since a refactor */
  price: number
  currency: string
  stock: number
  rating: number | null
  tags: string[]
  images: Array<{ url: string; alt: string }>
}

export interface OrderItem {
  productId: number
  quantity: number
  unitPrice: number
}

export interface Order {
  id: string
  customerId: number
  status: 'pending' | 'paid' | 'shipped' | 'cancelled'
  items: OrderItem[]
  total: number
  currency: string
  shippingAddress: Address
  createdAt: string
  notes?: string
}

export interface Payment {
  id: string
  orderId: string
  amount: number
  currency: string
  status: 'authorized' | 'captured' | 'failed'
  method: { type: 'card'; card: { brand: string; last4: string } }
  createdAt: string
}

export interface AdminUser {
  id: number
  username: string
  email: string
  role: 'admin' | 'support' | 'auditor'
  mfaEnabled: boolean
  lastLoginAt: string | null
  lastLoginIp: string | null
  locked: boolean
}

export interface AuditEntry {
  id: string
  at: string
  actor: string
  action: string
  target: string
  ip: string
}

export interface SampleData {
  customers: Customer[]
  accounts: Account[]
  transactions: Map<number, Transaction[]>
  cards: Card[]
  products: Product[]
  orders: Map<string, Order>
  payments: Map<string, Payment>
  adminUsers: AdminUser[]
  auditLog: AuditEntry[]
}

const FIRST_NAMES = [
  'Ada',
  'Liam',
  'Maya',
  'Noah',
  'Sofia',
  'Jonas',
  'Elena',
  'Mateo',
  'Chloé',
  'Yusuf',
  'Hana',
  'Oskar',
  'Priya',
  'Lucas',
  'Amara',
  'Felix',
  'Ines',
  'Tomás',
  'Freya',
  'Kenji',
  'Zoë',
  'Emil',
  'Nadia',
  'Ruben',
]
const LAST_NAMES = [
  'Lovelace',
  'Schneider',
  'Okafor',
  'van Dijk',
  'García',
  'Novak',
  'Kowalski',
  'Dubois',
  'Rossi',
  'Yilmaz',
  'Andersson',
  'Tanaka',
  "O'Brien",
  'Müller',
  'Haddad',
  'Silva',
  'Nguyen',
  'Jansen',
  'Moreau',
  'Fischer',
]
const STREETS = ['Harbour Street', 'Linden Allee', 'Keizersgracht', 'Rue des Lilas', 'Mill Lane', 'Kastanienweg']
const EMAIL_DOMAINS = ['example.com', 'example.org', 'mail.example.net']
const PRODUCT_WORDS: ReadonlyArray<[category: string, names: string[]]> = [
  ['audio', ['Wireless Earbuds', 'Studio Headphones', 'Bluetooth Speaker', 'Turntable']],
  ['home', ['Pour-over Kettle', 'Linen Throw', 'Desk Lamp', 'Ceramic Mug Set']],
  ['outdoor', ['Trail Backpack', 'Insulated Bottle', 'Camping Stove', 'Rain Shell']],
  ['books', ['Field Guide to Birds', 'Modern Typography', 'The Bread Book', 'Night Sky Atlas']],
]
const MERCHANTS = ['Coffee Corner', 'City Transit', 'Green Grocer', 'Streamly', 'Bookhaus', 'Fuel Stop', 'Pharmacy 24']
const TX_CATEGORIES = ['groceries', 'transport', 'subscriptions', 'dining', 'health', 'shopping']
const AUDIT_ACTIONS = ['user.login', 'user.unlock', 'customer.suspend', 'payment.refund', 'export.customers']

function postalFor(r: Random, country: string): string {
  if (country === 'DE') return String(r.int(10115, 99998))
  if (country === 'NL') return `${r.int(1011, 9999)} ${String.fromCharCode(65 + r.int(0, 25), 65 + r.int(0, 25))}`
  if (country === 'GB')
    return `SW${r.int(1, 20)} ${r.int(1, 9)}${String.fromCharCode(65 + r.int(0, 25), 65 + r.int(0, 25))}`
  return String(r.int(75001, 75020))
}

const PLACES: ReadonlyArray<[city: string, country: string]> = [
  ['Berlin', 'DE'],
  ['Hamburg', 'DE'],
  ['Amsterdam', 'NL'],
  ['Utrecht', 'NL'],
  ['London', 'GB'],
  ['Paris', 'FR'],
]

function address(r: Random): Address {
  const [city, country] = r.pick(PLACES)
  return {
    line1: `${r.int(1, 220)} ${r.pick(STREETS)}`,
    line2: r.chance(0.3) ? `Apt ${r.int(1, 40)}` : null,
    city,
    postalCode: postalFor(r, country),
    country,
  }
}

function digits(r: Random, count: number): string {
  let out = ''
  for (let i = 0; i < count; i++) out += String(r.int(0, 9))
  return out
}

/** ISO 13616 check digits: the country code and "00" moved to the end, letters as numbers, mod 97. */
function ibanWithCheck(country: string, bban: string): string {
  const rearranged = `${bban}${country}00`
  let remainder = 0
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0)
    const value = code >= 65 ? String(code - 55) : ch
    for (const d of value) remainder = (remainder * 10 + Number(d)) % 97
  }
  return `${country}${String(98 - remainder).padStart(2, '0')}${bban}`
}

function iban(r: Random, country: string): string {
  if (country === 'GB') return ibanWithCheck('GB', `LUMN${digits(r, 14)}`)
  if (country === 'NL') return ibanWithCheck('NL', `LUMN${digits(r, 10)}`)
  return ibanWithCheck('DE', digits(r, 18))
}

/** A card number with a valid Luhn check digit (ISO/IEC 7812). */
function pan(r: Random, prefix: string): string {
  const body = prefix + digits(r, 15 - prefix.length)
  let sum = 0
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i])
    if (i % 2 === 0) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return body + String((10 - (sum % 10)) % 10)
}

function phone(r: Random, country: string): string {
  if (country === 'GB') return `+447700${digits(r, 6)}`
  if (country === 'NL') return `+316${digits(r, 8)}`
  if (country === 'FR') return `+336${digits(r, 8)}`
  return `+49151${digits(r, 8)}`
}

const EPOCH_2021_MS = Date.UTC(2021, 0, 1)
const EPOCH_2026_MS = Date.UTC(2026, 5, 30)

function dateTime(r: Random, fromMs = EPOCH_2021_MS, toMs = EPOCH_2026_MS): string {
  return new Date(fromMs + Math.floor(r.next() * (toMs - fromMs))).toISOString()
}

function slug(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[^A-Za-z ]/g, '')
    .toLowerCase()
    .replaceAll(' ', '')
}

function money(r: Random, min: number, max: number): number {
  return Math.round((min + r.next() * (max - min)) * 100) / 100
}

export interface SampleDataOptions {
  seed: number
  customers?: number
  products?: number
}

/** Generates the whole data set from a seed. */
export function generateSampleData(options: SampleDataOptions): SampleData {
  const r = createRandom(options.seed)
  const customers: Customer[] = []
  const accounts: Account[] = []
  const cards: Card[] = []
  const transactions = new Map<number, Transaction[]>()
  const customerCount = options.customers ?? 80
  for (let id = 1; id <= customerCount; id++) {
    const firstName = r.pick(FIRST_NAMES)
    const lastName = r.pick(LAST_NAMES)
    const addr = address(r)
    const customer: Customer = {
      id,
      externalId: r.uuid(),
      firstName,
      lastName,
      email: `${slug(firstName)}.${slug(lastName)}${id}@${r.pick(EMAIL_DOMAINS)}`,
      phone: phone(r, addr.country),
      status: r.chance(0.9) ? 'active' : r.pick(['suspended', 'closed'] as const),
      address: addr,
      createdAt: dateTime(r),
      marketingOptIn: r.chance(0.4),
      tags: r.chance(0.5) ? [r.pick(['vip', 'newsletter', 'beta', 'b2b'])] : [],
      dateOfBirth: dateTime(r, Date.UTC(1950, 0, 1), Date.UTC(2005, 0, 1)).slice(0, 10),
    }
    if (r.chance(0.35)) customer.loyaltyTier = r.pick(['silver', 'gold', 'platinum'] as const)
    customers.push(customer)
  }
  // Account ids are sequential across customers: that is what makes them guessable.
  for (const customer of customers) {
    const count = r.int(1, 3)
    for (let i = 0; i < count; i++) {
      const id = accounts.length + 1
      const currency = customer.address.country === 'GB' ? 'GBP' : 'EUR'
      const openedAt = dateTime(r).slice(0, 10)
      const country = customer.address.country
      const ibanCountry = country === 'GB' || country === 'NL' ? country : 'DE'
      accounts.push({
        id,
        customerId: customer.id,
        iban: iban(r, ibanCountry),
        bic: ibanCountry === 'GB' ? 'LUMNGB2LXXX' : ibanCountry === 'NL' ? 'LUMNNL2AXXX' : 'LUMNDEB1XXX',
        type: i === 0 ? 'checking' : 'savings',
        currency,
        balance: { amount: money(r, -200, 25_000).toFixed(2), currency },
        openedAt,
        closedAt: r.chance(0.08) ? dateTime(r, Date.parse(openedAt)).slice(0, 10) : null,
      })
      const txs: Transaction[] = []
      const txCount = r.int(3, 25)
      for (let t = 0; t < txCount; t++) {
        const outgoing = r.chance(0.8)
        txs.push({
          id: r.uuid(),
          accountId: id,
          amount: outgoing ? -money(r, 1, 300) : money(r, 20, 3000),
          currency,
          bookedAt: dateTime(r, Date.UTC(2025, 0, 1)),
          description: outgoing ? `Card payment ${r.pick(MERCHANTS)}` : 'Incoming transfer',
          counterparty: {
            name: outgoing ? r.pick(MERCHANTS) : `${r.pick(FIRST_NAMES)} ${r.pick(LAST_NAMES)}`,
            iban: outgoing ? null : iban(r, 'DE'),
          },
          category: outgoing ? r.pick(TX_CATEGORIES) : null,
        })
      }
      txs.sort((a, b) => (a.bookedAt < b.bookedAt ? 1 : -1))
      transactions.set(id, txs)
    }
    if (r.chance(0.8)) {
      const brand = r.pick(['visa', 'mastercard'] as const)
      const number = pan(r, brand === 'visa' ? '4' : `5${r.int(1, 5)}`)
      cards.push({
        id: r.uuid(),
        customerId: customer.id,
        brand,
        last4: number.slice(-4),
        expMonth: r.int(1, 12),
        expYear: r.int(2026, 2031),
        status: r.chance(0.9) ? 'active' : 'frozen',
        pan: number,
      })
    }
  }
  const products: Product[] = []
  const productCount = options.products ?? 32
  for (let i = 0; i < productCount; i++) {
    const [category, names] = r.pick(PRODUCT_WORDS)
    const name = `${r.pick(names)}${r.chance(0.5) ? ` ${r.pick(['Mini', 'Pro', 'Classic', 'Lite'])}` : ''}`
    const id = 1001 + i
    products.push({
      id,
      name,
      category,
      price: money(r, 4, 400),
      currency: 'EUR',
      stock: r.int(0, 250),
      rating: r.chance(0.75) ? Math.round(r.next() * 40 + 10) / 10 : null,
      tags: r.chance(0.6) ? [r.pick(['new', 'sale', 'eco', 'bestseller'])] : [],
      images: Array.from({ length: r.int(1, 3) }, (_, n) => ({
        url: `https://cdn.lumenpay.example/products/${id}/${n + 1}.jpg`,
        alt: `${name} photo ${n + 1}`,
      })),
    })
  }
  const orders = new Map<string, Order>()
  const payments = new Map<string, Payment>()
  for (let i = 0; i < 40; i++) {
    const customer = r.pick(customers)
    const items = Array.from({ length: r.int(1, 3) }, () => {
      const product = r.pick(products)
      return { productId: product.id, quantity: r.int(1, 3), unitPrice: product.price }
    })
    const order: Order = {
      id: r.uuid(),
      customerId: customer.id,
      status: r.pick(['pending', 'paid', 'shipped', 'cancelled'] as const),
      items,
      total: Math.round(items.reduce((s, it) => s + it.quantity * it.unitPrice, 0) * 100) / 100,
      currency: 'EUR',
      shippingAddress: customer.address,
      createdAt: dateTime(r, Date.UTC(2026, 0, 1)),
    }
    if (r.chance(0.3)) order.notes = r.pick(['Leave at the door', 'Gift wrap please', 'Call before delivery'])
    orders.set(order.id, order)
    if (order.status !== 'pending') {
      const card = cards.find((c) => c.customerId === customer.id) ?? r.pick(cards)
      const payment: Payment = {
        id: r.uuid(),
        orderId: order.id,
        amount: order.total,
        currency: 'EUR',
        status: order.status === 'cancelled' ? 'failed' : 'captured',
        method: { type: 'card', card: { brand: card.brand, last4: card.last4 } },
        createdAt: order.createdAt,
      }
      payments.set(payment.id, payment)
    }
  }
  const adminUsers: AdminUser[] = ['jkowalski', 'mrossi', 'support-bot', 'asilva', 'tnguyen', 'auditor1'].map(
    (username, i) => {
      const loggedIn = r.chance(0.85)
      return {
        id: 501 + i,
        username,
        email: `${username}@lumenpay.example`,
        role: username.startsWith('auditor') ? 'auditor' : r.pick(['admin', 'support'] as const),
        mfaEnabled: r.chance(0.6),
        lastLoginAt: loggedIn ? dateTime(r, Date.UTC(2026, 5, 1)) : null,
        lastLoginIp: loggedIn ? `10.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}` : null,
        locked: r.chance(0.15),
      }
    },
  )
  const auditLog: AuditEntry[] = Array.from({ length: 120 }, () => ({
    id: r.uuid(),
    at: dateTime(r, Date.UTC(2026, 4, 1)),
    actor: r.pick(adminUsers).username,
    action: r.pick(AUDIT_ACTIONS),
    target: `customer:${r.int(1, customerCount)}`,
    ip: `10.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`,
  })).sort((a, b) => (a.at < b.at ? 1 : -1))
  return { customers, accounts, transactions, cards, products, orders, payments, adminUsers, auditLog }
}
