// The admin surface under attack: the admin listener refuses its API without the token, nothing
// admin answers on the proxy port, and the HTML report escapes every observed string (paths,
// query names and JSON keys are attacker-controlled).
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { expect, test } from 'vitest'
import { readBody } from '../helpers/http-client.js'
import { startSpecter } from '../helpers/start-specter.js'
import { tempDbPath } from '../helpers/temp-db.js'
import { startUpstream } from '../helpers/upstream.js'
import { attempt } from './fault-kit.js'

const TOKEN = 'admin-token-for-the-fault-suite-0123456789'
const SPEC = `openapi: 3.0.3
info: { title: Admin surface, version: '1' }
paths:
  /users/{id}:
    get:
      parameters: [{ name: id, in: path, required: true, schema: { type: integer } }]
      responses: { '200': { description: ok } }
`

async function stack() {
  const upstream = await startUpstream(async (req, res) => {
    const body = await readBody(req)
    res.setHeader('x-from-upstream', '1')
    res.setHeader('content-type', 'application/json')
    res.end(body.length > 0 ? body : JSON.stringify({ upstreamSaw: req.url }))
  })
  const dbPath = tempDbPath()
  const specPath = join(dirname(dbPath), 'spec.yaml')
  writeFileSync(specPath, SPEC)
  return startSpecter({ upstream, dbPath, config: { admin: { token: TOKEN }, spec: { path: specPath } } })
}

const ADMIN_PATHS = ['/api/operations', '/api/findings', '/api/openapi.json', '/api/openapi.yaml', '/report']

test('the admin API refuses requests without the right token', async () => {
  const app = await stack()
  for (const path of ADMIN_PATHS) {
    const none = await fetch(`${app.adminUrl}${path}`)
    expect(none.status, path).toBe(401)
    const wrong = await fetch(`${app.adminUrl}${path}`, { headers: { authorization: `Bearer ${TOKEN}x` } })
    expect(wrong.status, path).toBe(401)
    const prefix = await fetch(`${app.adminUrl}${path}`, { headers: { authorization: `Bearer ${TOKEN.slice(0, 10)}` } })
    expect(prefix.status, path).toBe(401)
    const basic = await fetch(`${app.adminUrl}${path}`, {
      headers: { authorization: `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}` },
    })
    expect(basic.status, path).toBe(401)
    const right = await fetch(`${app.adminUrl}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } })
    expect(right.status, path).toBe(200)
    // The token is never echoed back.
    expect(await none.text()).not.toContain(TOKEN)
  }
  // A token in the query string is not a credential (it would end up in access logs).
  expect((await fetch(`${app.adminUrl}/api/operations?token=${TOKEN}`)).status).toBe(401)
})

test('nothing admin is reachable through the proxy port: every admin path goes to the upstream', async () => {
  const app = await stack()
  for (const path of ['/healthz', '/readyz', '/metrics', ...ADMIN_PATHS, '/api/findings/1/ack']) {
    const res = await attempt(`${app.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } })
    expect(res.headers['x-from-upstream'], path).toBe('1')
    expect(JSON.parse(res.body.toString()), path).toEqual({ upstreamSaw: path })
  }
})

test('the HTML report escapes every observed string', async () => {
  const app = await stack()
  const payloads = ['<script>alert(1)</script>', '"><img src=x onerror=alert(2)>', "'><svg onload=alert(3)>"]
  for (const [i, p] of payloads.entries()) {
    // In the path (raw and percent-encoded), as a query parameter name, and as JSON keys both ways.
    await attempt(`${app.url}/x`, { path: `/shadow${i}/${p.replace(/ /g, '%20')}` })
    await attempt(`${app.url}/x`, { path: `/enc${i}/${encodeURIComponent(p)}?${encodeURIComponent(p)}=1` })
    await attempt(`${app.url}/users/${i + 1}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ [p]: p, nested: { [p]: [p] } }),
    })
  }
  await app.capture.drain()
  const res = await fetch(`${app.adminUrl}/report`, { headers: { authorization: `Bearer ${TOKEN}` } })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^text\/html/)
  const html = await res.text()
  // The hostile strings were observed and reported (escaped), never as markup.
  expect(html).toMatch(/shadow0|enc0/)
  expect(html).toMatch(/&lt;(script|img|svg)/)
  for (const raw of ['<script>alert', '<img src=x', '<svg onload', 'onerror=alert(2)>']) {
    expect(html).not.toContain(raw)
  }
  // Only the report's own scripts: every <script> tag in the page is one it ships.
  const scripts = html.match(/<script\b[^>]*>/g) ?? []
  expect(scripts.length).toBeLessThanOrEqual(2)
})
