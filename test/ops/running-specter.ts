// A whole running Specter for ops tests, started the way `specter proxy` starts it
// (startSpecterStack): an upstream on 127.0.0.1:0, the proxy in front of it, the capture
// pipeline into a SQLite store in os.tmpdir(), the published spec loaded from a file, and the
// ops surface (metrics + admin listener). Nothing is mocked.
import { once } from 'node:events'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AdminServer, Ops } from '../../src/admin/index.js'
import type { Capture } from '../../src/capture/index.js'
import { startSpecterStack } from '../../src/cli/commands/proxy.js'
import { type ConfigOverrides, loadConfig, type SpecterConfig } from '../../src/config.js'
import type { SpecterProxy } from '../../src/proxy/index.js'
import { loadSpec, type SpecModel } from '../../src/spec/index.js'
import type { Store } from '../../src/store/index.js'

/** The published spec of the test upstream: GET /users/{id}, POST /users, GET /health. */
export const TEST_SPEC = `openapi: 3.0.3
info: { title: Test API, version: '1.0' }
paths:
  /users/{id}:
    get:
      parameters: [{ name: id, in: path, required: true, schema: { type: integer } }]
      responses:
        '200':
          description: a user
          content: { application/json: { schema: { type: object, properties: { id: { type: integer }, name: { type: string } } } } }
  /users:
    post:
      requestBody: { content: { application/json: { schema: { type: object } } } }
      responses: { '201': { description: created } }
  /health:
    get:
      responses: { '200': { description: ok } }
`

/** The test upstream: users, orders (undocumented), 404 for the rest. */
function upstreamHandler(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    const url = (req.url ?? '/').split('?')[0] as string
    const users = /^\/users\/([0-9]+)$/.exec(url)
    const orders = /^\/orders\/([0-9]+)$/.exec(url)
    res.setHeader('content-type', 'application/json')
    if (req.method === 'GET' && users !== null) res.end(JSON.stringify({ id: Number(users[1]), name: 'ada' }))
    else if (req.method === 'GET' && orders !== null) res.end(JSON.stringify({ id: Number(orders[1]), total: 12.5 }))
    else if (req.method === 'POST' && url === '/users') {
      res.statusCode = 201
      res.end(JSON.stringify({ id: 1, size: Buffer.concat(chunks).length }))
    } else {
      res.statusCode = 404
      res.end('{"error":"not found"}')
    }
  })
}

export interface RunningSpecter {
  config: SpecterConfig
  proxyUrl: string
  adminUrl: string
  admin: AdminServer
  ops: Ops
  store: Store
  capture: Capture
  spec: SpecModel
  proxy: SpecterProxy
  close: () => Promise<void>
}

export async function startRunningSpecter(overrides: ConfigOverrides = {}): Promise<RunningSpecter> {
  const dir = mkdtempSync(join(tmpdir(), 'specter-ops-e2e-'))
  const upstream = createServer(upstreamHandler)
  upstream.listen(0, '127.0.0.1')
  await once(upstream, 'listening')
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
  const specFile = join(dir, 'openapi.yaml')
  writeFileSync(specFile, TEST_SPEC)
  const config = loadConfig({
    env: {},
    overrides: {
      ...overrides,
      proxy: { host: '127.0.0.1', port: 0, upstream: upstreamUrl, ...overrides.proxy },
      admin: { host: '127.0.0.1', port: 0, ...overrides.admin },
      store: { path: join(dir, 'specter.db') },
      spec: { path: specFile },
      log: { level: 'silent' },
    },
  })
  const stack = await startSpecterStack(config, { cwd: dir })
  return {
    config,
    proxyUrl: stack.proxy.url,
    adminUrl: stack.admin.url,
    admin: stack.admin,
    ops: stack.ops,
    store: stack.store,
    capture: stack.capture,
    // The same document, loaded again for the tests' own expectations.
    spec: await loadSpec(specFile),
    proxy: stack.proxy,
    close: async () => {
      await stack.close()
      upstream.closeAllConnections()
      await new Promise<void>((resolve) => upstream.close(() => resolve()))
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
