// The published spec under a running Specter: a local file is reloaded when it changes (a version
// that fails to load is logged with its code and the previous one kept), and a spec given as an
// http URL is fetched from a loopback server. Observed through the admin API's /api/operations.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, onTestFinished, test, vi } from 'vitest'
import type { OperationSummary } from '../../src/admin/index.js'
import { startSpecterStack } from '../../src/cli/commands/proxy.js'
import { CapturedStream } from '../helpers/cli-io.js'
import { testConfig } from '../helpers/start-specter.js'
import { startUpstream } from '../helpers/upstream.js'

const specWith = (paths: Record<string, string>): string =>
  [
    'openapi: 3.0.3',
    'info: { title: Reload API, version: "1.0" }',
    'paths:',
    ...Object.entries(paths).flatMap(([path, method]) => [
      `  ${path}:`,
      `    ${method}:`,
      "      responses: { '200': { description: ok } }",
    ]),
    '',
  ].join('\n')

async function startWithSpec(specPath: string, dir: string) {
  const upstream = await startUpstream((_req, res) => {
    res.setHeader('content-type', 'application/json')
    res.end('{"ok":true}')
  })
  const logs = new CapturedStream()
  const config = testConfig(upstream, {
    store: { path: join(dir, 'specter.db') },
    spec: { path: specPath },
    log: { level: 'info' },
  })
  const stack = await startSpecterStack(config, { cwd: dir, logStream: logs })
  onTestFinished(() => stack.close())
  const documented = async (): Promise<string[]> => {
    const res = await fetch(`${stack.admin.url}/api/operations`)
    expect(res.status).toBe(200)
    const { operations } = (await res.json()) as { operations: OperationSummary[] }
    return operations
      .filter((o) => o.documented)
      .map((o) => `${o.method} ${o.path}`)
      .sort()
  }
  return { stack, logs, documented }
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'specter-spec-reload-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

// Bounded polling: the watcher debounces and reloads asynchronously.
const eventually = { timeout: 10_000, interval: 50 }

test('a changed spec file is reloaded; a broken version is logged with its code and the previous one kept', async () => {
  const dir = tempDir()
  // Relative to the stack's cwd, as `--spec openapi.yaml` would be.
  writeFileSync(join(dir, 'openapi.yaml'), specWith({ '/users/{id}': 'get' }))
  const { logs, documented } = await startWithSpec('openapi.yaml', dir)
  expect(await documented()).toEqual(['GET /users/{id}'])

  writeFileSync(join(dir, 'openapi.yaml'), specWith({ '/users/{id}': 'get', '/orders/{orderId}': 'delete' }))
  await vi.waitFor(async () => {
    expect(await documented()).toEqual(['DELETE /orders/{orderId}', 'GET /users/{id}'])
  }, eventually)

  writeFileSync(join(dir, 'openapi.yaml'), 'openapi: 3.0.3\npaths: [not, a, map\n')
  const failure = JSON.parse(await logs.waitFor((line) => line.includes('published spec reload failed'))) as Record<
    string,
    unknown
  >
  expect(failure.code).toMatch(/^SPECTER_ERR_SPEC_(INVALID|UNREADABLE)$/)
  expect(failure.level).toBe(50)
  expect(await documented()).toEqual(['DELETE /orders/{orderId}', 'GET /users/{id}'])

  // The watcher survives a failed reload.
  writeFileSync(join(dir, 'openapi.yaml'), specWith({ '/health': 'get' }))
  await vi.waitFor(async () => {
    expect(await documented()).toEqual(['GET /health'])
  }, eventually)
})

test('a spec given as an http URL is loaded from the server that serves it', async () => {
  const dir = tempDir()
  const specServer = await startUpstream((req, res) => {
    if (req.url !== '/openapi.yaml') {
      res.statusCode = 404
      res.end()
      return
    }
    res.setHeader('content-type', 'application/yaml')
    res.end(specWith({ '/users/{id}': 'get', '/users': 'post' }))
  })
  const { documented } = await startWithSpec(`${specServer}/openapi.yaml`, dir)
  expect(await documented()).toEqual(['GET /users/{id}', 'POST /users'])
})

test('a spec URL that does not answer fails the start with SPECTER_ERR_SPEC_UNREADABLE', async () => {
  const dir = tempDir()
  const specServer = await startUpstream((_req, res) => {
    res.statusCode = 404
    res.end()
  })
  await expect(startWithSpec(`${specServer}/missing.yaml`, dir)).rejects.toMatchObject({
    code: 'SPECTER_ERR_SPEC_UNREADABLE',
  })
})
