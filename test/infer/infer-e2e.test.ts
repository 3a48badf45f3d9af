// End to end: a real upstream on 127.0.0.1:0, real HTTP through the Specter proxy into a real
// SQLite store, then `specter infer` on that file.
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { parse } from 'yaml'
import { main } from '../../src/cli/main.js'
import { startSpecter } from '../helpers/start-specter.js'
import { tempDbPath } from '../helpers/temp-db.js'
import { testIo } from '../helpers/cli-io.js'
import { startUpstream } from '../helpers/upstream.js'
import { storeWith } from './exchanges.js'
import { openApiErrors } from './openapi-validate.js'
import type { Doc } from './doc.js'

const SLUGS = ['hello-world', 'spring-notes', 'why-rust', 'on-caching', 'quiet-launch', 'tiny-wins', 'the-plan']

async function recordTraffic(): Promise<string> {
  const upstream = await startUpstream((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const send = (status: number, body: unknown) => {
      res.statusCode = status
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify(body))
    }
    const parts = url.pathname.split('/').filter(Boolean)
    if (req.headers.authorization === undefined) return send(401, { error: 'unauthorized' })
    if (parts[0] === 'users' && parts[1] === 'me') return send(200, { id: 1, name: 'me', email: 'me@example.com' })
    if (parts[0] === 'users' && parts.length === 2) {
      return send(200, { id: Number(parts[1]), name: `u${parts[1]}`, email: `u${parts[1]}@example.com` })
    }
    if (parts[0] === 'posts' && parts.length === 2) {
      return send(200, { slug: parts[1], title: 'T', publishedAt: '2024-05-01T10:00:00Z', tags: ['a'] })
    }
    if (parts[0] === 'orders' && req.method === 'POST') {
      req.resume()
      return send(201, { id: 77, total: 12.5, status: 'new' })
    }
    if (parts[0] === 'orders') return send(200, [{ id: 1, total: 9.99, status: 'paid' }])
    send(404, { error: 'not found' })
  })
  const dbPath = tempDbPath()
  const app = await startSpecter({ upstream, dbPath })
  const auth = { authorization: 'Bearer very-secret-token' }
  for (const id of [3, 14, 159, 2653]) await (await fetch(`${app.url}/users/${id}`, { headers: auth })).text()
  await (await fetch(`${app.url}/users/me`, { headers: auth })).text()
  for (const slug of SLUGS) await (await fetch(`${app.url}/posts/${slug}`, { headers: auth })).text()
  for (const limit of [5, 10]) await (await fetch(`${app.url}/orders?limit=${limit}`, { headers: auth })).text()
  await (
    await fetch(`${app.url}/orders`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ sku: 'A1', qty: 2 }] }),
    })
  ).text()
  await (await fetch(`${app.url}/users/5`)).text()
  await app.capture.drain()
  await app.close()
  return dbPath
}

describe('specter infer', () => {
  test('proxy -> store -> infer: a valid, deterministic OpenAPI document', async () => {
    const dbPath = await recordTraffic()
    const out = join(dirname(dbPath), 'openapi.yaml')
    const io = testIo()
    expect(await main(['infer', '--db', dbPath, '--out', out], io)).toBe(0)
    expect(io.stderr.text).toContain('wrote 4 paths')
    const text = readFileSync(out, 'utf8')
    const doc = parse(text) as Doc
    expect(openApiErrors(doc)).toEqual([])
    expect(Object.keys(doc.paths)).toEqual(['/orders', '/posts/{postId}', '/users/me', '/users/{userId}'])
    expect(doc.paths['/users/{userId}'].get.parameters[0].schema).toEqual({ type: 'integer' })
    expect(doc.paths['/orders'].get.parameters).toEqual([
      { name: 'limit', in: 'query', required: true, schema: { type: 'integer' } },
    ])
    expect(doc.paths['/orders'].post.requestBody.content['application/json'].schema.properties.items.type).toBe('array')
    expect(doc.components.securitySchemes).toEqual({ bearerAuth: { type: 'http', scheme: 'bearer' } })
    // One unauthenticated request got a 401: the operation says auth is optional only if a 2xx had none.
    expect(doc.paths['/users/{userId}'].get.security).toEqual([{ bearerAuth: [] }])
    expect(text).not.toContain('very-secret-token')

    // Same store -> byte-identical file.
    const again = testIo()
    expect(await main(['infer', '--db', dbPath], again)).toBe(0)
    expect(again.stdout.text).toBe(text)

    const json = testIo()
    expect(await main(['infer', '--db', dbPath, '--format', 'json', '--openapi', '3.0'], json)).toBe(0)
    const doc30 = JSON.parse(json.stdout.text) as Record<string, unknown>
    expect(doc30['openapi']).toBe('3.0.3')
    expect(openApiErrors(doc30)).toEqual([])
  })

  test('--spec templates are matched first; --config pins apply to data already stored', async () => {
    const dbPath = storeWith([
      { url: '/users/1', response: { id: 1 } },
      { url: '/users/me', response: { id: 2 } },
      { url: '/archive/2024', response: { year: 2024 } },
    ])
    const dir = dirname(dbPath)
    writeFileSync(
      join(dir, 'published.yaml'),
      'openapi: 3.0.3\ninfo: { title: p, version: "1" }\npaths:\n  /users/{id}:\n    get:\n      responses: { "200": { description: ok } }\n',
    )
    writeFileSync(join(dir, 'specter.yaml'), 'paths:\n  literals: ["2024"]\n')
    const io = testIo({}, dir)
    expect(await main(['infer', '--db', dbPath, '--spec', 'published.yaml', '--config', 'specter.yaml'], io)).toBe(0)
    const doc = parse(io.stdout.text) as Doc
    expect(Object.keys(doc.paths)).toEqual(['/archive/2024', '/users/{id}'])
    expect(doc.paths['/users/{id}'].get['x-specter'].template).toBe('published')
  })

  test.each([
    [['--format', 'xml'], 'SPECTER_ERR_USAGE'],
    [['--openapi', '2.0'], 'SPECTER_ERR_USAGE'],
    [['--db', '/nonexistent/dir/specter.db'], 'SPECTER_ERR_USAGE'],
    [['stray'], 'SPECTER_ERR_USAGE'],
  ])('bad input %j exits 2 with a coded error', async (args, code) => {
    const io = testIo()
    expect(await main(['infer', ...args], io)).toBe(2)
    expect(io.stderr.text).toContain(code)
  })

  test('an unreadable --spec is a coded error and writes nothing', async () => {
    const dbPath = storeWith([{ url: '/a/1', response: { id: 1 } }])
    const out = join(dirname(dbPath), 'never.yaml')
    const io = testIo()
    expect(
      await main(['infer', '--db', dbPath, '--spec', join(dirname(dbPath), 'missing.yaml'), '--out', out], io),
    ).toBe(1)
    expect(io.stderr.text).toContain('SPECTER_ERR_SPEC_UNREADABLE')
    expect(() => readFileSync(out)).toThrow()
  })

  test('--help has usage and examples', async () => {
    const io = testIo()
    expect(await main(['infer', '--help'], io)).toBe(0)
    expect(io.stdout.text).toContain('Usage: specter infer')
    expect(io.stdout.text).toContain('Examples:')
  })
})
