import { describe, expect, test } from 'vitest'
import { createRouter, matchTemplate, pathKeyOf } from '../../src/infer/index.js'

const router = createRouter([
  '/users/{userId}',
  '/users/me',
  '/users/{userId}/orders/{orderId}',
  '/files/{name}.json',
  '/{a}/{b}/avatar',
  '/users/{id}/avatar',
  '/',
])

describe('createRouter', () => {
  test.each([
    ['/users/42', '/users/{userId}', { userId: '42' }],
    ['/users/me', '/users/me', {}],
    ['/users/{int}', '/users/{userId}', { userId: '{int}' }],
    ['/users/7/orders/9?x=1', '/users/{userId}/orders/{orderId}', { userId: '7', orderId: '9' }],
    ['/files/report.v2.json', '/files/{name}.json', { name: 'report.v2' }],
    ['/users/2/avatar', '/users/{id}/avatar', { id: '2' }],
    ['/teams/2/avatar', '/{a}/{b}/avatar', { a: 'teams', b: '2' }],
    ['/', '/', {}],
  ])('%s -> %s', (path, template, params) => {
    const m = router.match(path)
    expect(m?.template).toBe(template)
    expect({ ...m?.params }).toEqual(params)
  })

  test.each(['/users', '/users/', '/users/1/orders', '/files/x.yaml', '/nope/1/2/3'])('%s matches nothing', (path) => {
    expect(router.match(path)).toBeUndefined()
  })

  test('a live path maps through its path key the same way', () => {
    const { pathKey } = pathKeyOf('/users/3e4e0e9a-9d3c-4f0b-8a55-1c2d3e4f5a6b/orders/12')
    expect(router.match(pathKey)?.template).toBe('/users/{userId}/orders/{orderId}')
  })

  test('bounded work on adversarial templates: every segment both literal and parameter', () => {
    const templates: string[] = []
    for (let i = 0; i < 40; i++) templates.push(`/${'a/'.repeat(i)}{p}/${'{q}/'.repeat(20 - Math.min(i, 20))}end`)
    const r = createRouter(templates)
    const path = `/${'a/'.repeat(30)}zzz`
    // Terminates (the visit budget caps backtracking) and finds nothing for a path that ends elsewhere.
    expect(r.match(path)).toBeUndefined()
    expect(r.match(`/${'a/'.repeat(60)}`)).toBeUndefined()
    expect(r.match('x'.repeat(10_000))).toBeUndefined()
  })

  test('matchTemplate for one template', () => {
    expect(matchTemplate('/orgs/{org}/repos', '/orgs/acme/repos')).toEqual({ org: 'acme' })
    expect(matchTemplate('/orgs/{org}/repos', '/orgs/acme')).toBeUndefined()
  })
})
