// Planted credentials, sent through the real `specter proxy` process (debug logging) together
// with failing exchanges, never appear in: the database bytes (main file and WAL), the process's
// stdout/stderr, the metrics exposition, the admin API (inferred document, operations, HTML
// report), or the CLI's inferred document and reports in every format.
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, expect, test } from 'vitest'
import { readBody } from '../helpers/http-client.js'
import { tempDbPath } from '../helpers/temp-db.js'
import { startUpstream } from '../helpers/upstream.js'
import { attempt, metricValue, scrape } from './fault-kit.js'
import { ensureBuilt, REPO, spawnSpecter } from './specter-process.js'

const run = promisify(execFile)
const secret = (label: string): string => `${label}${randomBytes(12).toString('hex')}`

const S = {
  bearer: secret('bear'),
  cookie: secret('cook'),
  setCookie: secret('setc'),
  apiKeyHeader: secret('akh'),
  apiKeyQuery: secret('akq'),
  accessTokenQuery: secret('atq'),
  jsonPassword: secret('jpw'),
  clientSecret: secret('csec'),
  formPassword: secret('fpw'),
  formToken: secret('ftok'),
  responseAccess: secret('racc'),
  responseRefresh: secret('rref'),
  responseApiKey: secret('rapi'),
  basicPassword: secret('bpw'),
  adminToken: secret('admn'),
}
const basic = Buffer.from(`ada:${S.basicPassword}`).toString('base64')
const jwtPayload = Buffer.from(JSON.stringify({ sub: S.responseAccess.slice(0, 8), exp: 1 })).toString('base64url')
const jwt = `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.${jwtPayload}.${randomBytes(32).toString('base64url')}`

/** Every planted value, and the encodings it travels in. */
const NEEDLES = [...Object.values(S), basic, jwt, jwtPayload]

function leaks(where: string, haystack: string | Buffer): string[] {
  const text = typeof haystack === 'string' ? haystack : haystack.toString('latin1')
  return NEEDLES.filter((n) => text.includes(n)).map((n) => `${where}: ${n.slice(0, 6)}...`)
}

const SPEC = `openapi: 3.0.3
info: { title: Secrets, version: '1' }
paths:
  /login:
    post:
      responses: { '200': { description: ok } }
`

beforeAll(() => ensureBuilt(), 240_000)

test('planted credentials never reach the database, logs, metrics, admin API, inferred document or reports', {
  timeout: 120_000,
}, async () => {
  const upstream = await startUpstream(async (req, res) => {
    await readBody(req)
    if (req.url?.startsWith('/reset')) {
      res.socket?.destroy()
      return
    }
    res.setHeader('set-cookie', [`sid=${S.setCookie}; HttpOnly; Path=/`, 'theme=dark'])
    res.setHeader('content-type', 'application/json')
    if (req.url?.startsWith('/error')) res.statusCode = 500
    res.end(
      JSON.stringify({
        access_token: S.responseAccess,
        refresh_token: S.responseRefresh,
        apiKey: S.responseApiKey,
        result: jwt,
        user: { name: 'ada', id: 7 },
      }),
    )
  })
  const dbPath = tempDbPath()
  const specPath = join(dirname(dbPath), 'spec.yaml')
  writeFileSync(specPath, SPEC)
  const specter = await spawnSpecter(
    [
      'proxy',
      '--upstream',
      upstream,
      '--port',
      '0',
      '--admin-port',
      '0',
      '--db',
      dbPath,
      '--spec',
      specPath,
      '--log-level',
      'trace',
    ],
    { SPECTER_ADMIN_TOKEN: S.adminToken, SPECTER_CAPTURE_FLUSH_INTERVAL_MS: '50' },
  )
  const headers = {
    authorization: `Bearer ${S.bearer}`,
    cookie: `session=${S.cookie}; theme=dark`,
    'x-api-key': S.apiKeyHeader,
  }
  const query = `?api_key=${S.apiKeyQuery}&access_token=${S.accessTokenQuery}&page=1`
  const requests = [
    {
      path: `/login${query}`,
      body: JSON.stringify({ username: 'ada', password: S.jsonPassword, client_secret: S.clientSecret }),
      type: 'application/json',
    },
    {
      path: `/session${query}`,
      body: `user=ada&password=${S.formPassword}&token=${S.formToken}`,
      type: 'application/x-www-form-urlencoded',
    },
    { path: `/error/1${query}`, body: JSON.stringify({ password: S.jsonPassword }), type: 'application/json' },
    { path: `/reset/1${query}`, body: JSON.stringify({ password: S.jsonPassword }), type: 'application/json' },
  ]
  let sent = 0
  for (let round = 0; round < 3; round++) {
    for (const r of requests) {
      await attempt(`${specter.proxyUrl}${r.path}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': r.type },
        body: r.body,
      })
      sent++
    }
    await attempt(`${specter.proxyUrl}/me`, { headers: { authorization: `Basic ${basic}` } })
    sent++
  }
  await expect
    .poll(async () => metricValue(await scrape(specter.adminUrl), 'specter_capture_observations_written_total'), {
      timeout: 20_000,
    })
    .toBe(sent)

  const found: string[] = []
  // The database while running (WAL not checkpointed yet) ...
  found.push(...leaks('db', readFileSync(dbPath)))
  if (existsSync(`${dbPath}-wal`)) found.push(...leaks('db-wal', readFileSync(`${dbPath}-wal`)))
  // ... the ops surface ...
  const auth = { authorization: `Bearer ${S.adminToken}` }
  found.push(...leaks('metrics', await scrape(specter.adminUrl)))
  for (const path of ['/api/openapi.json', '/api/openapi.yaml', '/api/operations', '/api/findings', '/report']) {
    const res = await fetch(`${specter.adminUrl}${path}`, { headers: auth })
    expect(res.status, path).toBe(200)
    found.push(...leaks(`admin ${path}`, await res.text()))
  }
  // ... the logs, after a graceful stop ...
  expect(await specter.stop()).toBe(0)
  found.push(...leaks('stdout', specter.stdout()), ...leaks('stderr', specter.stderr()))
  found.push(...leaks('db after stop', readFileSync(dbPath)))
  if (existsSync(`${dbPath}-wal`)) found.push(...leaks('db-wal after stop', readFileSync(`${dbPath}-wal`)))
  // ... and every CLI output over the store.
  const cli = async (args: string[]) => {
    const out = await run(process.execPath, [join(REPO, 'bin/specter.js'), ...args], {
      cwd: REPO,
      env: { PATH: process.env.PATH },
    }).catch((err: { stdout?: string; stderr?: string; code?: number }) => ({
      stdout: err.stdout ?? '',
      stderr: err.stderr ?? '',
      code: err.code,
    }))
    return `${out.stdout}\n${out.stderr}`
  }
  found.push(...leaks('infer', await cli(['infer', '--db', dbPath, '--format', 'json'])))
  found.push(...leaks('diff', await cli(['diff', '--db', dbPath, '--spec', specPath])))
  found.push(...leaks('db stats', await cli(['db', 'stats', '--db', dbPath, '--json'])))
  for (const format of ['html', 'md', 'json', 'sarif']) {
    const report = await cli(['report', '--db', dbPath, '--spec', specPath, '--format', format, '--no-save'])
    expect(report.length, format).toBeGreaterThan(100)
    found.push(...leaks(`report ${format}`, report))
  }
  expect(found).toEqual([])
})
