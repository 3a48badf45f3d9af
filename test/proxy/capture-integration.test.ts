import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { send } from '../helpers/http-client.js'
import { startSpecter } from '../helpers/start-specter.js'
import { tempDbPath } from '../helpers/temp-db.js'
import { startUpstream } from '../helpers/upstream.js'

test('passes the response through byte for byte and records its shape, never the secrets', async () => {
  const upstream = await startUpstream((_req, res) => {
    res.setHeader('content-type', 'application/json')
    res.setHeader('set-cookie', 'session=set-cookie-secret; HttpOnly')
    res.end('{"id":42,"name":"ada"}')
  })
  const dbPath = tempDbPath()
  const app = await startSpecter({ upstream, dbPath })
  const res = await send(`${app.url}/users/42?api_key=query-secret`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: 'Bearer bearer-secret',
      cookie: 'sid=cookie-secret',
    },
    body: '{"password":"password-secret","name":"ada"}',
  })
  expect(res.body.toString()).toBe('{"id":42,"name":"ada"}')
  await app.capture.drain()
  const endpoints = app.store.inventory().endpoints
  expect(endpoints).toContainEqual(expect.objectContaining({ method: 'POST', count: 1 }))
  await app.close()
  const bytes = readFileSync(dbPath).toString('latin1')
  for (const secret of ['query-secret', 'bearer-secret', 'cookie-secret', 'password-secret', 'set-cookie-secret']) {
    expect(bytes).not.toContain(secret)
  }
})
