import { describe, expect, test } from 'vitest'
import { classifyUpstreamError, UPSTREAM_RESET, UPSTREAM_TIMEOUT, UPSTREAM_UNREACHABLE } from '../../src/proxy/index.js'
import { CollectingSink } from '../helpers/collecting-sink.js'
import { send } from '../helpers/http-client.js'
import { startSpecter } from '../helpers/start-specter.js'
import { startUpstream } from '../helpers/upstream.js'

const coded = (code: string, cause?: unknown): Error => Object.assign(new Error(code, { cause }), { code })

describe('classifyUpstreamError', () => {
  test.each([
    ['ECONNREFUSED', coded('ECONNREFUSED'), UPSTREAM_UNREACHABLE],
    ['ENOTFOUND', coded('ENOTFOUND'), UPSTREAM_UNREACHABLE],
    [
      'EHOSTUNREACH wrapped twice',
      coded('FST_REPLY_FROM_INTERNAL_SERVER_ERROR', coded('X', coded('EHOSTUNREACH'))),
      UPSTREAM_UNREACHABLE,
    ],
    ['undici connect timeout', coded('UND_ERR_CONNECT_TIMEOUT'), UPSTREAM_TIMEOUT],
    [
      'undici headers timeout',
      coded('FST_REPLY_FROM_GATEWAY_TIMEOUT', coded('UND_ERR_HEADERS_TIMEOUT')),
      UPSTREAM_TIMEOUT,
    ],
    ['undici body timeout', coded('UND_ERR_BODY_TIMEOUT'), UPSTREAM_TIMEOUT],
    ['socket closed', coded('UND_ERR_SOCKET'), UPSTREAM_RESET],
    ['ECONNRESET', coded('ECONNRESET'), UPSTREAM_RESET],
    ['no code at all', new Error('odd'), UPSTREAM_RESET],
    ['not an Error', 'a string', UPSTREAM_RESET],
  ])('%s', (_name, err, expected) => {
    expect(classifyUpstreamError(err)).toBe(expected)
  })

  test('the bodies are short coded JSON', () => {
    for (const failure of [UPSTREAM_UNREACHABLE, UPSTREAM_TIMEOUT, UPSTREAM_RESET]) {
      const body = JSON.parse(failure.body) as { error: { code: string; message: string } }
      expect(body.error.code).toMatch(/^SPECTER_ERR_UPSTREAM_/)
      expect(failure.body.length).toBeLessThan(160)
    }
  })
})

test('an upstream dropping the connection before answering gives 502 SPECTER_ERR_UPSTREAM_RESET', async () => {
  const upstream = await startUpstream((req) => {
    req.socket.destroy()
  })
  const sink = new CollectingSink()
  const app = await startSpecter({ upstream, sink })
  const res = await send(`${app.url}/boom`, { method: 'POST', body: '{}' })
  expect(res.status).toBe(502)
  expect(JSON.parse(res.body.toString()).error.code).toBe('SPECTER_ERR_UPSTREAM_RESET')
  const [exchange] = await sink.waitFor(1)
  expect(exchange).toMatchObject({ outcome: 'upstream-error', status: 0 })
})
