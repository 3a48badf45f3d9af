// A port that cannot be listened on: exit 2 naming the key, the port and the layer that set it,
// and the proxy port never accepts traffic when the admin port is the one taken.
import { once } from 'node:events'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { describe, expect, onTestFinished, test } from 'vitest'
import { main } from '../../src/cli/main.js'
import { testIo } from '../helpers/cli-io.js'
import { tempDbPath } from '../helpers/temp-db.js'
import { startUpstream } from '../helpers/upstream.js'

/** A port held by another listener for the test's duration. */
async function takenPort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return (server.address() as AddressInfo).port
}

/** A port free a moment ago (closed again at once). */
async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe('a port in use', () => {
  test.each([
    ['--port', (port: number) => ({ argv: ['--port', String(port)], env: {} }), '--port'],
    [
      'SPECTER_PROXY_PORT',
      (port: number) => ({ argv: [], env: { SPECTER_PROXY_PORT: String(port) } }),
      'SPECTER_PROXY_PORT',
    ],
  ])('named with its source when set by %s', async (_name, given, source) => {
    const upstream = await startUpstream((_req, res) => res.end())
    const port = await takenPort()
    const { argv, env } = given(port)
    const io = testIo(env)
    const code = await main(
      ['proxy', '--upstream', upstream, '--admin-port', '0', '--db', tempDbPath(), ...argv, '--log-level', 'info'],
      io,
    )
    expect(code).toBe(2)
    expect(io.stderr.text).toContain('SPECTER_ERR_CONFIG_INVALID')
    expect(io.stderr.text).toContain(`proxy.port = ${port} (from ${source})`)
    expect(io.stderr.text).toContain(`127.0.0.1:${port} is already in use`)
    expect(io.stderr.text).not.toContain('(from config)')
  })

  test('the admin port taken: exit 2 naming admin.port and --admin-port, the proxy port never listened', async () => {
    const upstream = await startUpstream((_req, res) => res.end())
    const adminPort = await takenPort()
    const proxyPort = await freePort()
    const io = testIo()
    const code = await main(
      [
        'proxy',
        '--upstream',
        upstream,
        '--port',
        String(proxyPort),
        '--admin-port',
        String(adminPort),
        '--db',
        tempDbPath(),
        '--log-level',
        'info',
      ],
      io,
    )
    expect(code).toBe(2)
    expect(io.stderr.text).toContain(`admin.port = ${adminPort} (from --admin-port)`)
    expect(io.stdout.text).not.toContain('proxy listening')
    // Everything opened was closed again: the proxy's port is free.
    const probe = createServer()
    probe.listen(proxyPort, '127.0.0.1')
    await once(probe, 'listening')
    await new Promise<void>((resolve) => probe.close(() => resolve()))
  })

  test('the admin port of collect set in a config file names the file', async () => {
    const adminPort = await takenPort()
    const db = tempDbPath()
    const { writeFileSync } = await import('node:fs')
    const file = `${db}.yaml`
    writeFileSync(file, `admin:\n  port: ${adminPort}\n`)
    const io = testIo()
    const code = await main(['collect', '--from', 'nats://127.0.0.1:1', '--db', db, '--config', file], io)
    expect(code).toBe(2)
    expect(io.stderr.text).toContain(`admin.port = ${adminPort} (from ${file})`)
  })
})
