import { EventEmitter } from 'node:events'
import { createConnection } from 'node:net'
import { describe, expect, test } from 'vitest'
import { runProxy } from '../../src/cli/commands/proxy.js'
import { main } from '../../src/cli/main.js'
import { openStore } from '../../src/store/index.js'
import { testIo } from '../helpers/cli-io.js'
import { send } from '../helpers/http-client.js'
import { tempDbPath } from '../helpers/temp-db.js'
import { startUpstream } from '../helpers/upstream.js'

const urlFrom = (line: string): string => (JSON.parse(line) as { url: string }).url

describe('specter proxy', () => {
  test('--help prints usage and examples', async () => {
    const io = testIo()
    expect(await main(['proxy', '--help'], io)).toBe(0)
    expect(io.stdout.text).toContain('Usage: specter proxy --upstream URL')
    expect(io.stdout.text).toContain('Examples:')
  })

  test('a bad config exits 2 with SPECTER_ERR_CONFIG_INVALID, listing every problem, before listening', async () => {
    const io = testIo({ SPECTER_PROXY_PORT: 'eighty', SPECTER_CAPTURE_SAMPLE_RATE: '2' })
    const db = tempDbPath()
    expect(await main(['proxy', '--upstream', 'ftp://127.0.0.1:1', '--db', db], io)).toBe(2)
    expect(io.stderr.text).toContain('SPECTER_ERR_CONFIG_INVALID')
    for (const path of ['proxy.port', 'proxy.upstream', 'capture.sampleRate']) expect(io.stderr.text).toContain(path)
    expect(io.stdout.text).not.toContain('listening')
    // Nothing was opened either.
    const { existsSync } = await import('node:fs')
    expect(existsSync(db)).toBe(false)
  })

  test('a missing --upstream exits 2 with SPECTER_ERR_CONFIG_INVALID', async () => {
    const io = testIo()
    expect(await main(['proxy', '--port', '0', '--admin-port', '0', '--db', tempDbPath()], io)).toBe(2)
    expect(io.stderr.text).toContain('SPECTER_ERR_CONFIG_INVALID')
    expect(io.stderr.text).toContain('proxy.upstream')
  })

  test('a bad flag value exits 2', async () => {
    const io = testIo()
    expect(await main(['proxy', '--upstream', 'http://127.0.0.1:1', '--port', 'x'], io)).toBe(2)
    expect(io.stderr.text).toContain('--port')
  })

  test('runs end to end; admin is only on its own port; SIGTERM drains in-flight requests and queued observations', async () => {
    let releaseSlow!: () => void
    const slowStarted = new Promise<void>((resolveStarted) => {
      releaseSlow = resolveStarted
    })
    let finishSlow!: () => void
    const slowMayFinish = new Promise<void>((resolve) => {
      finishSlow = resolve
    })
    const upstreamPaths: string[] = []
    const upstream = await startUpstream(async (req, res) => {
      upstreamPaths.push(req.url ?? '')
      res.setHeader('content-type', 'application/json')
      if (req.url === '/slow') {
        releaseSlow()
        await slowMayFinish
        res.end('{"slow":true}')
        return
      }
      res.end(`{"path":"${req.url}","id":7}`)
    })
    const db = tempDbPath()
    const io = testIo()
    const signals = new EventEmitter()
    const running = runProxy(
      ['--upstream', upstream, '--port', '0', '--admin-port', '0', '--db', db, '--log-level', 'info'],
      io,
      signals,
    )
    const proxyUrl = urlFrom(await io.stdout.waitFor((l) => l.includes('"proxy listening"')))
    const adminUrl = urlFrom(await io.stdout.waitFor((l) => l.includes('"admin listening"')))

    for (let i = 0; i < 20; i++) {
      const res = await send(`${proxyUrl}/users/${i}?token=q-secret-${i}`, {
        headers: { authorization: 'Bearer header-secret-value', cookie: 'sid=cookie-secret-value' },
      })
      expect(res.status).toBe(200)
    }
    // Admin paths on the proxy port are the API's paths: forwarded, never answered by Specter.
    const viaProxy = await send(`${proxyUrl}/healthz`)
    expect(JSON.parse(viaProxy.body.toString())).toEqual({ path: '/healthz', id: 7 })
    const metricsViaProxy = await send(`${proxyUrl}/metrics`)
    expect(JSON.parse(metricsViaProxy.body.toString())).toEqual({ path: '/metrics', id: 7 })
    expect(upstreamPaths).toContain('/healthz')
    expect(upstreamPaths).toContain('/metrics')
    expect((await send(`${adminUrl}/healthz`)).status).toBe(200)
    expect(JSON.parse((await send(`${adminUrl}/readyz`)).body.toString())).toEqual({ status: 'ready' })
    expect((await send(`${adminUrl}/metrics`)).body.toString()).toContain('specter_http_requests_total')

    // One request in flight when the signal arrives.
    const slow = send(`${proxyUrl}/slow`)
    await slowStarted
    signals.emit('SIGTERM', 'SIGTERM')
    await io.stdout.waitFor((l) => l.includes('proxy closing'))
    // New connections are refused once shutdown has begun.
    const refused = await new Promise<boolean>((resolve) => {
      const socket = createConnection(Number(new URL(proxyUrl).port), '127.0.0.1')
      socket.once('connect', () => {
        socket.destroy()
        resolve(false)
      })
      socket.once('error', () => resolve(true))
    })
    expect(refused).toBe(true)
    finishSlow()
    const slowRes = await slow
    expect(slowRes.status).toBe(200)
    expect(slowRes.body.toString()).toBe('{"slow":true}')
    expect(await running).toBe(0)
    expect(io.stdout.text).toContain('"stopped"')

    // Every exchange made it into the database, including the one in flight at SIGTERM.
    const store = openStore({ path: db, fileMustExist: true })
    try {
      expect(store.stats().observations).toBe(23)
    } finally {
      store.close()
    }
    // Logs never carry header values or query secrets.
    for (const secret of ['header-secret-value', 'cookie-secret-value', 'q-secret-']) {
      expect(io.stdout.text).not.toContain(secret)
      expect(io.stderr.text).not.toContain(secret)
    }
  })

  test('a port already in use exits 2 with SPECTER_ERR_CONFIG_INVALID naming the key', async () => {
    const upstream = await startUpstream((_req, res) => {
      res.end()
    })
    const port = Number(new URL(upstream).port)
    const io = testIo()
    const code = await main(
      ['proxy', '--upstream', upstream, '--port', String(port), '--admin-port', '0', '--db', tempDbPath()],
      { ...io, env: { SPECTER_PROXY_HOST: '127.0.0.1' } },
    )
    expect(code).toBe(2)
    expect(io.stderr.text).toContain('SPECTER_ERR_CONFIG_INVALID')
    expect(io.stderr.text).toContain('proxy.port')
  })
})
