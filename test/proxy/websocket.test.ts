import { once } from 'node:events'
import type { IncomingHttpHeaders } from 'node:http'
import { expect, test } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { startSpecter } from '../helpers/start-specter.js'
import { startUpstreamServer } from '../helpers/upstream.js'

test('WebSocket upgrades are proxied: text and binary messages echo back, handshake headers reach the upstream', async () => {
  const upstream = await startUpstreamServer((_req, res) => {
    res.end('plain http')
  })
  const wss = new WebSocketServer({ noServer: true })
  let handshake: IncomingHttpHeaders = {}
  let path = ''
  upstream.server.on('upgrade', (req, socket, head) => {
    handshake = req.headers
    path = req.url ?? ''
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }))
    })
  })
  const app = await startSpecter({ upstream: upstream.url })
  const client = new WebSocket(`${app.url.replace('http', 'ws')}/live?room=7`, {
    headers: { authorization: 'Bearer ws-token', 'x-tenant': 'acme' },
  })
  await once(client, 'open')

  client.send('{"hello":"world"}')
  const [text, textIsBinary] = (await once(client, 'message')) as [Buffer, boolean]
  expect(textIsBinary).toBe(false)
  expect(text.toString()).toBe('{"hello":"world"}')

  const bytes = Buffer.from([0, 1, 2, 250, 255])
  client.send(bytes)
  const [binary, binaryIsBinary] = (await once(client, 'message')) as [Buffer, boolean]
  expect(binaryIsBinary).toBe(true)
  expect(Buffer.compare(binary, bytes)).toBe(0)

  expect(path).toBe('/live?room=7')
  expect(handshake['authorization']).toBe('Bearer ws-token')
  expect(handshake['x-tenant']).toBe('acme')

  client.close()
  await once(client, 'close')
  wss.close()
})
