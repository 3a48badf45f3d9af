// Planted credentials go through the real capture (observe) into a real store: none of them
// may appear anywhere in the database bytes, examples and samples included.
import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { observe } from '../../src/capture/index.js'
import { openStore } from '../../src/store/index.js'
import { copyOf, exchange } from '../capture/exchange-builder.js'
import { tempDbPath } from '../helpers/temp-db.js'

const SECRETS = {
  bearer: 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXBheWxvYWQtOTk5.S3cr3tS1gnatureXYZ',
  basic: Buffer.from('alice:hunter2-basic-pw').toString('base64'),
  cookie: 'sid-7f3a9c1e55d24b0e8a1c',
  setCookie: 'session-ab12cd34ef56gh78',
  apiKeyHeader: 'ak_live_51HxQ2SecretHeaderKey',
  apiKeyQuery: 'qk_live_9Zz8Yy7SecretQueryKey',
  password: 'Tr0ub4dor&3-correct-horse',
  token: 'rt_9f8e7d6c5b4a3928171615',
}

test('no planted credential reaches the database file, examples and segment samples included', () => {
  const path = tempDbPath()
  const store = openStore({ path })
  const options = { clientKeySalt: store.salt, wantExample: () => true }
  const exchanges = [
    exchange({
      method: 'POST',
      url: `/login?api_key=${SECRETS.apiKeyQuery}&page=1`,
      requestHeaders: {
        authorization: `Bearer ${SECRETS.bearer}`,
        cookie: `sid=${SECRETS.cookie}; theme=dark`,
        'x-api-key': SECRETS.apiKeyHeader,
        'content-type': 'application/json',
      },
      requestBody: copyOf(JSON.stringify({ user: 'alice', password: SECRETS.password })),
      responseHeaders: { 'content-type': 'application/json', 'set-cookie': `sid=${SECRETS.setCookie}; HttpOnly` },
      responseBody: copyOf(JSON.stringify({ access_token: SECRETS.token, refresh_token: SECRETS.token, ok: true })),
    }),
    exchange({
      method: 'POST',
      url: '/session/42',
      requestHeaders: {
        authorization: `Basic ${SECRETS.basic}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      requestBody: copyOf(`username=alice&password=${encodeURIComponent(SECRETS.password)}`),
      responseHeaders: { 'content-type': 'application/json' },
      responseBody: copyOf(JSON.stringify({ token: SECRETS.token })),
    }),
  ]
  const observations = exchanges.map((e) => observe(e, options))
  store.record(observations)
  const inv = store.inventory()
  // the examples were really kept, so the absence below means redaction, not emptiness
  expect(inv.endpoints.flatMap((e) => e.examples).length).toBeGreaterThan(0)
  expect(inv.endpoints.find((e) => e.pathKey === '/session/{int}')?.segments[0]?.values).toEqual(['42'])
  const bytes = Buffer.concat([readFileSync(path), readFileSync(`${path}-wal`)])
  store.close()
  for (const [name, secret] of Object.entries(SECRETS)) {
    expect(bytes.includes(Buffer.from(secret)), `${name} found in the database`).toBe(false)
  }
  expect(JSON.stringify(inv)).not.toContain('hunter2')
})
