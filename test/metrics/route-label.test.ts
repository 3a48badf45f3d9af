import { randomBytes } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { methodLabel, OTHER_ROUTE, RouteLabels, statusClass } from '../../src/metrics/index.js'

describe('route labels', () => {
  test.each([
    ['/users/123', '/users/{int}'],
    ['/users/123?expand=orders&token=s3cret', '/users/{int}'],
    ['/users/123#frag', '/users/{int}'],
    ['/v1/orders/5f1b2c3d4e5f6a7b8c9d0e1f', '/v1/orders/{oid}'],
    ['/users/ada@example.com/profile', '/users/{email}/profile'],
    ['/reset/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJlLXZhbHVl', '/reset/{token}'],
    ['/keys/sk_live_4eC39HqLyjWDarjtT1zdp7dc', '/keys/{token}'],
    ['/files/some%20name.txt', '/files/{str}'],
    ['/q/"quoted"\n', '/q/{str}'],
    ['/', '/'],
    ['*', OTHER_ROUTE],
    ['http://example.test/absolute', OTHER_ROUTE],
    ['', OTHER_ROUTE],
  ])('%j -> %s', (url, route) => {
    expect(new RouteLabels({ maxRoutes: 10 }).label('GET', url)).toBe(route)
  })

  test('ten thousand random paths stay within maxRoutes + one overflow series', () => {
    const routes = new RouteLabels({ maxRoutes: 200 })
    const labels = new Set<string>()
    let other = 0
    for (let i = 0; i < 10_000; i++) {
      const words = Array.from({ length: 1 + (i % 4) }, () => randomBytes(3).toString('hex').replace(/[0-9]/g, 'x'))
      const label = routes.label('GET', `/${words.join('/')}?n=${i}`)
      labels.add(label)
      if (label === OTHER_ROUTE) other++
    }
    expect(labels.size).toBe(201)
    expect(labels.has(OTHER_ROUTE)).toBe(true)
    expect(routes.size).toBe(200)
    expect(other).toBeGreaterThan(9000)
    expect(routes.overflowed).toBe(other)
  })

  test('identifier paths collapse to one route and do not use up the cap', () => {
    const routes = new RouteLabels({ maxRoutes: 3 })
    for (let i = 0; i < 10_000; i++) expect(routes.label('GET', `/users/${i}/orders`)).toBe('/users/{int}/orders')
    expect(routes.size).toBe(1)
    expect(routes.overflowed).toBe(0)
  })

  test('a known route keeps its label after the cap is reached', () => {
    const routes = new RouteLabels({ maxRoutes: 1 })
    expect(routes.label('GET', '/a')).toBe('/a')
    expect(routes.label('GET', '/b')).toBe(OTHER_ROUTE)
    expect(routes.label('GET', '/a')).toBe('/a')
  })

  test('uses the template matcher first and falls back to path keys when it throws or misses', () => {
    const routes = new RouteLabels({
      maxRoutes: 10,
      matchRoute: (_method, path) => {
        if (path === '/boom') throw new Error('matcher bug')
        if (path.startsWith('/files/')) return '/files/{name}.json'
        return path.startsWith('/users/') ? '/users/{userId}' : undefined
      },
    })
    expect(routes.label('GET', '/users/ada')).toBe('/users/{userId}')
    expect(routes.label('GET', '/files/report.json')).toBe('/files/{name}.json')
    expect(routes.label('GET', '/orders/7')).toBe('/orders/{int}')
    expect(routes.label('GET', '/boom')).toBe('/boom')
    routes.setMatcher(undefined)
    expect(routes.label('GET', '/users/ada')).toBe('/users/ada')
  })

  test('a repeated path reuses its route; a new matcher or another method does not', () => {
    const seen: string[] = []
    const routes = new RouteLabels({
      maxRoutes: 10,
      matchRoute: (method, path) => {
        seen.push(`${method} ${path}`)
        return method === 'GET' ? '/users/{id}' : undefined
      },
    })
    for (let i = 0; i < 5; i++) expect(routes.label('GET', `/users/ada?n=${i}`)).toBe('/users/{id}')
    expect(routes.label('POST', '/users/ada')).toBe('/users/ada')
    expect(seen).toEqual(['GET /users/ada', 'POST /users/ada'])
    routes.setMatcher(() => '/people/{name}')
    expect(routes.label('GET', '/users/ada')).toBe('/people/{name}')
  })
})

describe('bounded labels', () => {
  test.each([
    ['get', 'GET'],
    ['PATCH', 'PATCH'],
    ['PROPFIND', 'OTHER'],
    ['BREW', 'OTHER'],
    ['G'.repeat(5000), 'OTHER'],
  ])('method %s -> %s', (method, label) => {
    expect(methodLabel(method)).toBe(label)
  })

  test.each([
    [200, '2xx'],
    [204, '2xx'],
    [301, '3xx'],
    [404, '4xx'],
    [503, '5xx'],
    [101, '1xx'],
    [0, 'none'],
    [999, 'none'],
    [42, 'none'],
  ])('status %i -> %s', (status, label) => {
    expect(statusClass(status)).toBe(label)
  })
})

test('labels behind the caches equal the uncached classification, for ids, prefixes and long digit runs', () => {
  const paths = [
    '/users/1',
    '/users/0/orders/77',
    '/2024/reports',
    '/v1/2024/orders/3',
    '/api/12345678901234567890/x',
    '/api/123456789012345678901/x',
    '/orders/0042',
    '/orders/2024-01-02/items/9',
    '/a//5/',
    '/7',
    '/files/12.json',
    '/users/5f1b2c3d4e5f6a7b8c9d0e1f/7',
  ]
  const cached = new RouteLabels({ maxRoutes: 1_000 })
  // twice, with the ids changed, so the second round is answered from the folded cache
  for (const round of [0, 1]) {
    for (const p of paths) {
      const path = round === 0 ? p : p.replace(/\/[0-9]{1,20}(?=\/|$)/g, (m) => `/${Number(m.slice(1)) + 1}`)
      expect(cached.label('GET', path)).toBe(new RouteLabels({ maxRoutes: 1_000 }).label('GET', path))
    }
  }
})

test('a matcher decides first, and a new matcher is used at once', () => {
  const routes = new RouteLabels({
    maxRoutes: 10,
    matchRoute: (_m, p) => (p.startsWith('/users/') ? '/users/{id}' : undefined),
  })
  expect(routes.label('GET', '/users/1')).toBe('/users/{id}')
  expect(routes.label('GET', '/orders/1')).toBe('/orders/{int}')
  routes.setMatcher((_m, p) => (p.startsWith('/orders/') ? '/orders/{orderId}' : undefined))
  expect(routes.label('GET', '/users/2')).toBe('/users/{int}')
  expect(routes.label('GET', '/orders/2')).toBe('/orders/{orderId}')
})
