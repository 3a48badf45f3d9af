// A small stateless JSON API (the same request always gets the same answer, so it can be asked
// twice) and a deterministic request list over it: ids, query strings, bodies, an undocumented
// admin route, a PII field, errors.
import { type IncomingMessage, request, type ServerResponse } from 'node:http'

export function apiHandler(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x')
  const json = (status: number, body: unknown) => {
    res.statusCode = status
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify(body))
  }
  req.resume()
  req.on('end', () => {
    const user = /^\/users\/(\d+)$/.exec(url.pathname)
    if (user !== null) {
      const id = Number(user[1])
      if (id % 7 === 0) return json(404, { error: 'not found', code: 'NO_USER' })
      return json(200, { id, name: `user${id}`, email: `u${id}@example.com`, tags: id % 2 ? ['a'] : [] })
    }
    if (url.pathname === '/orders' && req.method === 'GET') {
      const n = Number(url.searchParams.get('limit') ?? '2')
      return json(200, { items: Array.from({ length: n }, (_, i) => ({ id: `o-${i}`, total: i * 1.5 })), next: null })
    }
    if (url.pathname === '/orders' && req.method === 'POST') return json(201, { id: 'o-new', status: 'created' })
    if (url.pathname === '/admin/debug') return json(200, { heap: 1, ssn: '123-45-6789' })
    return json(404, { error: 'no route' })
  })
}

export interface TestRequest {
  method: string
  path: string
  body?: string
  headers?: Record<string, string>
}

/** `n` requests, the same list every time. */
export function requests(n: number, offset = 0): TestRequest[] {
  const out: TestRequest[] = []
  for (let k = offset; k < offset + n; k++) {
    const i = k % 10
    if (i < 5) out.push({ method: 'GET', path: `/users/${k + 1}`, headers: { authorization: 'Bearer abc.def' } })
    else if (i < 7) out.push({ method: 'GET', path: `/orders?limit=${k % 4}` })
    else if (i < 9) {
      out.push({
        method: 'POST',
        path: '/orders',
        body: JSON.stringify({ sku: `s${k}`, qty: k % 3, note: k % 2 ? 'x' : null }),
        headers: { 'content-type': 'application/json' },
      })
    } else out.push({ method: 'GET', path: '/admin/debug' })
  }
  return out
}

/**
 * Sends a request with a fixed Host (each proxy otherwise sees its own address there) and
 * resolves to the status once the body is read.
 */
export function send(base: string, r: TestRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${r.path}`,
      { method: r.method, headers: { host: 'api.test', ...r.headers } },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(r.body)
  })
}
