// Paths the proxy will not forward as sent get a 400 with a coded JSON body, like Specter's 502/504,
// never fastify's or reply-from's bare one; the upstream never sees them and nothing is recorded.
import { describe, expect, test } from 'vitest'
import { REQUEST_REJECTED_BODY } from '../../src/proxy/rejected-request.js'
import { CollectingSink } from '../helpers/collecting-sink.js'
import { send } from '../helpers/http-client.js'
import { startSpecter } from '../helpers/start-specter.js'
import { startUpstream } from '../helpers/upstream.js'

describe('a request the proxy refuses to forward', () => {
  test.each(['/../', '/a/../b', '/..', '//evil.example/x', '/a/%', '/a/%zz/b'])(
    '%s: 400 SPECTER_ERR_REQUEST_REJECTED, JSON, not forwarded, not recorded',
    async (path) => {
      const seen: string[] = []
      const upstream = await startUpstream((req, res) => {
        seen.push(req.url ?? '')
        res.setHeader('content-type', 'application/json')
        res.end('{"ok":true}')
      })
      const sink = new CollectingSink()
      const app = await startSpecter({ upstream, sink })
      const res = await send(app.url, { path })
      expect(res.status).toBe(400)
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
      const body = JSON.parse(res.body.toString()) as { error: { code: string; message: string } }
      expect(body.error.code).toBe('SPECTER_ERR_REQUEST_REJECTED')
      expect(body.error.message).toContain('request path')
      expect(res.body.toString()).toBe(REQUEST_REJECTED_BODY)
      // The next exchange is the first one the sink gets: the refused one was never recorded.
      expect((await send(`${app.url}/ok`)).status).toBe(200)
      const [first] = await sink.waitFor(1)
      expect(first?.url).toBe('/ok')
      expect(seen).toEqual(['/ok'])
    },
  )
})
