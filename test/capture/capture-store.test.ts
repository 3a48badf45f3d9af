// The capture pipeline writing into a real SQLite store (a file in os.tmpdir()): planted secrets
// never reach the file, and a store that refuses writes loses nothing within the bound.
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { expect, test } from 'vitest'
import { createCapture } from '../../src/capture/index.js'
import { classifyValue } from '../../src/security/index.js'
import { openStore, type Store } from '../../src/store/index.js'
import { tempDbPath } from '../helpers/temp-db.js'
import { copyOf, exchange } from './exchange-builder.js'

const SECRET = 'Zq8PlantedCredential'

function captureInto(store: Store, options: Parameters<typeof createCapture>[0]['options'] = {}) {
  return createCapture({
    store,
    options: {
      clientKeySalt: store.salt,
      wantExample: (m, p, s) => store.wantsExample(m, p, s),
      classify: classifyValue,
      ...options,
    },
  })
}

const total = (store: Store) => store.inventory().endpoints.reduce((n, e) => n + e.count, 0)

test('planted secrets are absent from the database bytes', async () => {
  const path = tempDbPath()
  const store = openStore({ path })
  const capture = captureInto(store)
  const json = { 'content-type': 'application/json' }
  const exchanges = [
    exchange({ url: `/login?api_key=${SECRET}`, requestHeaders: { authorization: `Bearer ${SECRET}` } }),
    exchange({ url: '/me', requestHeaders: { cookie: `sid=${SECRET}; theme=dark`, 'x-api-key': SECRET } }),
    exchange({ url: '/session', responseHeaders: { 'set-cookie': `session=${SECRET}; HttpOnly` } }),
    exchange({
      method: 'POST',
      url: '/login',
      requestHeaders: json,
      requestBody: copyOf(JSON.stringify({ user: 'ada', password: SECRET })),
      responseHeaders: { ...json, 'content-encoding': 'gzip' },
      responseBody: copyOf(gzipSync(JSON.stringify({ access_token: SECRET, token_type: 'bearer' }))),
    }),
    exchange({
      method: 'POST',
      url: '/form',
      requestHeaders: { 'content-type': 'application/x-www-form-urlencoded' },
      requestBody: copyOf(`user=ada&password=${SECRET}`),
    }),
  ]
  for (let round = 0; round < 3; round++) for (const ex of exchanges) capture.submit(ex)
  await capture.close()
  expect(total(store)).toBe(15)
  store.close()
  const files = readdirSync(dirname(path)).map((file) => readFileSync(join(dirname(path), file)))
  // The control: what is recorded (paths, field names) is in the file, so the search can succeed.
  expect(files.some((bytes) => bytes.includes('/login') && bytes.includes('access_token'))).toBe(true)
  for (const bytes of files) {
    expect(bytes.includes(SECRET)).toBe(false)
    expect(bytes.includes(Buffer.from(SECRET, 'utf16le'))).toBe(false)
  }
})

test('a read-only store: observations are kept, then written exactly once when it recovers', async () => {
  const store = openStore({ path: tempDbPath() })
  const capture = captureInto(store, { retryBufferSize: 1_000 })
  store.database.pragma('query_only = ON')
  for (let i = 0; i < 300; i++) capture.submit(exchange({ url: `/items/${i}` }))
  await expect(capture.drain()).rejects.toMatchObject({ code: 'SPECTER_ERR_STORE_UNAVAILABLE' })
  expect(capture.stats()).toMatchObject({ storeFailing: true, pendingObservations: 300, dropped: 0 })
  store.database.pragma('query_only = OFF')
  await capture.drain()
  expect(total(store)).toBe(300)
  expect(capture.stats()).toMatchObject({ storeFailing: false, observationsWritten: 300, pendingObservations: 0 })
  // Written once: another drain writes nothing more.
  await capture.drain()
  expect(total(store)).toBe(300)
  await capture.close()
  store.close()
})
