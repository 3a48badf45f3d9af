// NATS TLS and authentication on a real nats-server: the nats config section (every problem at
// once, unreadable files named, secrets never printed), a TLS server with a throwaway CA and mTLS,
// user/password and token auth. A wrong password is a coded, logged failure while the proxy keeps
// serving and the outbox keeps the deltas; fixing the password file is enough to drain it. Planted
// secrets appear in no log, error, metric or database file.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, onTestFinished, test } from 'vitest'
import { startCollect } from '../../src/cli/commands/collect.js'
import { main } from '../../src/cli/main.js'
import { ConfigInvalidError, loadConfig } from '../../src/config.js'
import { nkeys } from '@nats-io/transport-node'
import { connectionOptions, connectNats, natsOptionsFromConfig } from '../../src/pipeline/index.js'
import { CapturedStream, testIo } from '../helpers/cli-io.js'
import { tempDbPath } from '../helpers/temp-db.js'
import { startUpstream } from '../helpers/upstream.js'
import { apiHandler, requests, send } from './api.js'
import { observationCount, settle, startProxyStack, startTestCollector, untilCount } from './cluster.js'
import { haveNats, startNats } from './nats.js'
import { makePki } from './tls.js'

const PASSWORD = 'planted-Pw-7f3e9c'
const WRONG_PASSWORD = 'planted-Wrong-41aa'
const TOKEN = 'planted-Token-c0ffee'

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig({ env })
  } catch (err) {
    if (err instanceof ConfigInvalidError) return err
    throw err
  }
  throw new Error('expected SPECTER_ERR_CONFIG_INVALID')
}

/** A file holding `text` in a temp dir of its own. */
function secretFile(name: string, text: string): string {
  const file = join(dirname(tempDbPath()), name)
  writeFileSync(file, text, { mode: 0o600 })
  return file
}

/** Every file of the directories holding these stores (the databases, their WAL and SHM). */
function storeBytes(...dbPaths: string[]): string {
  return dbPaths
    .flatMap((p) =>
      readdirSync(dirname(p))
        .filter((f) => f.startsWith(p.slice(dirname(p).length + 1)))
        .map((f) => join(dirname(p), f)),
    )
    .map((f) => readFileSync(f).toString('latin1'))
    .join('')
}

describe('the nats config section', () => {
  test('defaults: no TLS, no credentials', () => {
    const config = loadConfig({ env: {} })
    expect(config.nats.tls).toEqual({ required: false, caFile: '', certFile: '', keyFile: '', handshakeFirst: false })
    expect(natsOptionsFromConfig(config.nats, '/')).toEqual({})
  })

  test('every problem at once: unreadable files by path, pairs, one method; secrets never printed', () => {
    const err = problemsOf({
      SPECTER_NATS_TLS_CA_FILE: '/nonexistent/specter/ca.pem',
      SPECTER_NATS_TLS_CERT_FILE: secretFile('client.pem', 'x'),
      SPECTER_NATS_CREDS_FILE: '/nonexistent/specter/user.creds',
      SPECTER_NATS_TOKEN: TOKEN,
      SPECTER_NATS_PASSWORD_FILE: dirname(tempDbPath()),
    })
    expect(err.code).toBe('SPECTER_ERR_CONFIG_INVALID')
    expect(err.problems.map((p) => p.path).sort()).toEqual(
      ['nats.credsFile', 'nats.passwordFile', 'nats.tls.caFile', 'nats.tls.keyFile', 'nats.token', 'nats.user'].sort(),
    )
    expect(err.message).toContain('/nonexistent/specter/ca.pem')
    expect(err.message).toContain('/nonexistent/specter/user.creds')
    expect(err.message).toContain('ENOENT')
    expect(err.message).not.toContain(TOKEN)
  })

  test('a user needs a password; SPECTER_NATS_PASSWORD and files resolve into connection settings', () => {
    const lone = problemsOf({ SPECTER_NATS_USER: 'specter' })
    expect(lone.problems).toEqual([expect.objectContaining({ path: 'nats.password', value: '<redacted>' })])

    const config = loadConfig({ env: { SPECTER_NATS_USER: 'specter', SPECTER_NATS_PASSWORD: PASSWORD } })
    expect(natsOptionsFromConfig(config.nats, '/')).toEqual({
      auth: { kind: 'user', user: 'specter', password: PASSWORD },
    })
    const ca = secretFile('ca.pem', 'x')
    const token = secretFile('token', TOKEN)
    const fromFiles = loadConfig({ env: { SPECTER_NATS_TLS_CA_FILE: ca, SPECTER_NATS_TOKEN_FILE: token } })
    expect(natsOptionsFromConfig(fromFiles.nats, '/')).toEqual({
      tls: { caFile: ca },
      auth: { kind: 'token', file: token },
    })
  })
})

test.each([
  ['collect', '--from', 'tls://127.0.0.1:1'],
  ['proxy', '--upstream', 'http://127.0.0.1:9', '--publish', 'tls://127.0.0.1:1'],
])(
  'specter %s with an unreadable NATS file exits 2 naming it; help and errors never show a secret',
  async (...argv) => {
    const env = {
      SPECTER_NATS_USER: 'specter',
      SPECTER_NATS_PASSWORD: PASSWORD,
      SPECTER_NATS_TLS_CA_FILE: '/nonexistent/specter/ca.pem',
    }
    const io = testIo(env, dirname(tempDbPath()))
    expect(await main([...argv, '--admin-port', '0'], io)).toBe(2)
    expect(io.stderr.text).toContain('SPECTER_ERR_CONFIG_INVALID')
    expect(io.stderr.text).toContain('/nonexistent/specter/ca.pem')
    const help = testIo(env)
    expect(await main([argv[0] as string, '--help'], help)).toBe(0)
    for (const text of [io.stdout.text, io.stderr.text, help.stdout.text, help.stderr.text]) {
      expect(text).not.toContain(PASSWORD)
    }
  },
)

test('a .creds file: its JWT and a nonce signed by its seed are sent, read again after rotation', () => {
  const creds = (jwt: string, seed: string) =>
    `-----BEGIN NATS USER JWT-----\n${jwt}\n------END NATS USER JWT------\n\n` +
    `************************* IMPORTANT *************************\n\n` +
    `-----BEGIN USER NKEY SEED-----\n${seed}\n------END USER NKEY SEED------\n`
  const first = nkeys.createUser()
  const file = secretFile(
    'user.creds',
    creds('eyJ0eXAiOiJKV1QifQ.first.sig', new TextDecoder().decode(first.getSeed())),
  )
  const options = connectionOptions(
    'tls://127.0.0.1:4222',
    't',
    100,
    natsOptionsFromConfig(loadConfig({ env: { SPECTER_NATS_CREDS_FILE: file } }).nats, '/'),
  )
  const auth = options.authenticator as (nonce?: string) => { jwt: string; nkey: string; sig: string }
  const sent = auth('nonce-1')
  expect(sent).toMatchObject({ jwt: 'eyJ0eXAiOiJKV1QifQ.first.sig', nkey: first.getPublicKey() })
  expect(first.verify(new TextEncoder().encode('nonce-1'), Buffer.from(sent.sig, 'base64url'))).toBe(true)
  expect(options.tls).toEqual({})

  const second = nkeys.createUser()
  writeFileSync(file, creds('eyJ0eXAiOiJKV1QifQ.second.sig', new TextDecoder().decode(second.getSeed())))
  expect(auth('nonce-2')).toMatchObject({ jwt: 'eyJ0eXAiOiJKV1QifQ.second.sig', nkey: second.getPublicKey() })
})

describe.skipIf(!haveNats)('NATS with TLS and authentication', () => {
  test('TLS with a private CA and client certificates (mTLS): proxy and collector over tls://', async () => {
    const pki = makePki()
    const nats = await startNats([
      '--tlsverify',
      '--tlscert',
      pki.serverCert,
      '--tlskey',
      pki.serverKey,
      '--tlscacert',
      pki.caFile,
    ])
    const url = `tls://127.0.0.1:${nats.port}`
    const tls = { caFile: pki.caFile, certFile: pki.clientCert, keyFile: pki.clientKey }
    const upstream = await startUpstream(apiHandler)
    const proxy = await startProxyStack({ upstream, dbPath: tempDbPath(), publishUrl: url, nats: { tls } })
    const central = startTestCollector(url, tempDbPath('central.db'), { security: { tls } })
    for (const r of requests(40)) expect(await send(proxy.proxy.url, r)).toBe(await send(upstream, r))
    await settle(proxy)
    await untilCount(central, 40)
    expect(observationCount(central.store)).toBe(40)

    // The same server seen with a CA that did not sign it.
    const untrusted = await connectNats(url, 't', 100, { tls: { caFile: pki.otherCaFile } }).catch((e: unknown) => e)
    expect(untrusted).toMatchObject({ code: 'SPECTER_ERR_NATS_TLS' })
    // A plain nats:// client to a TLS server gets TLS from the server's INFO, and checks it.
    const plain = await connectNats(`nats://127.0.0.1:${nats.port}`, 't', 100, {}).catch((e: unknown) => e)
    expect(plain).toMatchObject({ code: 'SPECTER_ERR_NATS_TLS' })
  }, 60_000)

  test('a wrong password: coded and logged, traffic served, deltas kept; the fixed file drains them', async () => {
    const nats = await startNats(['--user', 'specter', '--pass', PASSWORD])
    const upstream = await startUpstream(apiHandler)
    const passwordFile = secretFile('nats-password', `${WRONG_PASSWORD}\n`)
    const logs = new CapturedStream()
    const dbPath = tempDbPath()
    const proxy = await startProxyStack({
      upstream,
      dbPath,
      publishUrl: nats.url,
      nats: { user: 'specter', passwordFile },
      logStream: logs,
    })
    for (const r of requests(50)) expect(await send(proxy.proxy.url, r)).toBe(await send(upstream, r))
    await proxy.capture.drain()
    await logs.waitFor((l) => l.includes('SPECTER_ERR_NATS_AUTH'))
    const refused = proxy.publisher?.stats()
    expect(refused).toMatchObject({ connected: false, lastErrorCode: 'SPECTER_ERR_NATS_AUTH', outboxOverflow: 0 })
    expect(refused?.outboxDepth).toBeGreaterThan(0)
    expect(observationCount(proxy.store)).toBe(50)

    // Rotated in place: the next reconnect reads the file again.
    writeFileSync(passwordFile, `${PASSWORD}\n`)
    await proxy.publisher?.flushed(20_000)
    const centralPath = tempDbPath('central.db')
    const central = startTestCollector(nats.url, centralPath, {
      security: { auth: { kind: 'user', user: 'specter', password: PASSWORD } },
    })
    await untilCount(central, 50)
    expect(observationCount(central.store)).toBe(50)
    expect(proxy.publisher?.stats().lastErrorCode).toBe('')

    const metrics = await (await fetch(`${proxy.admin.url}/metrics`)).text()
    await proxy.close()
    await central.close()
    for (const text of [logs.text, metrics, storeBytes(dbPath, centralPath)]) {
      expect(text).not.toContain(PASSWORD)
      expect(text).not.toContain(WRONG_PASSWORD)
    }
    expect(logs.text).toContain('"code":"SPECTER_ERR_NATS_AUTH"')
  }, 60_000)

  test('token auth: SPECTER_NATS_TOKEN for `specter collect`, a token file for the proxy', async () => {
    const nats = await startNats(['--auth', TOKEN])
    const upstream = await startUpstream(apiHandler)
    const dbPath = tempDbPath()
    const logs = new CapturedStream()
    const proxy = await startProxyStack({
      upstream,
      dbPath,
      publishUrl: nats.url,
      nats: { tokenFile: secretFile('nats-token', TOKEN) },
      logStream: logs,
    })
    const centralPath = tempDbPath('central.db')
    const io = testIo({ SPECTER_NATS_TOKEN: TOKEN })
    const collect = await startCollect(['--from', nats.url, '--db', centralPath, '--admin-port', '0'], io)
    onTestFinished(() => collect.close())
    for (const r of requests(30)) await send(proxy.proxy.url, r)
    await settle(proxy)
    const merged = () => collect.collector.sources().reduce((n, s) => n + s.observations, 0)
    await collect.collector.until(() => merged() >= 30, 15_000)
    const metrics = await (await fetch(`${collect.admin.url}/metrics`)).text()
    await collect.close()
    await proxy.close()

    // Without the token the collector is refused, with a code.
    const denied = testIo()
    const bare = await startCollect(['--from', nats.url, '--db', tempDbPath(), '--admin-port', '0'], denied)
    onTestFinished(() => bare.close())
    await denied.stdout.waitFor((l) => l.includes('SPECTER_ERR_NATS_AUTH'))
    expect(bare.collector.stats()).toMatchObject({ connected: false, lastErrorCode: 'SPECTER_ERR_NATS_AUTH' })
    await bare.close()

    for (const text of [logs.text, io.stdout.text, io.stderr.text, denied.stdout.text, metrics]) {
      expect(text).not.toContain(TOKEN)
    }
    expect(storeBytes(dbPath, centralPath)).not.toContain(TOKEN)
  }, 60_000)

  test('least privilege: a proxy user that may only publish deltas, a collector user that may consume', async () => {
    // The permissions docs/scale-out.md suggests, on a real server.
    const conf = secretFile(
      'nats.conf',
      `authorization {
  users = [
    { user: specter-proxy, password: "${PASSWORD}", permissions: {
        publish: ["specter.deltas.>", "$JS.API.INFO", "$JS.API.STREAM.INFO.SPECTER_DELTAS", "$JS.API.STREAM.CREATE.SPECTER_DELTAS"],
        subscribe: "_INBOX.>" } }
    { user: specter-collector, password: "${PASSWORD}", permissions: { publish: "$JS.>", subscribe: "_INBOX.>" } }
  ]
}
`,
    )
    const nats = await startNats(['-c', conf])
    const upstream = await startUpstream(apiHandler)
    const proxy = await startProxyStack({
      upstream,
      dbPath: tempDbPath(),
      publishUrl: nats.url,
      nats: { user: 'specter-proxy', passwordFile: secretFile('proxy-pw', PASSWORD) },
    })
    const central = startTestCollector(nats.url, tempDbPath('central.db'), {
      security: { auth: { kind: 'user', user: 'specter-collector', password: PASSWORD } },
    })
    for (const r of requests(30)) await send(proxy.proxy.url, r)
    await settle(proxy)
    await untilCount(central, 30)
    expect(observationCount(central.store)).toBe(30)

    // The proxy's user may not consume: a collector running as it gets a coded refusal.
    const wrongUser = startTestCollector(nats.url, tempDbPath('other.db'), {
      security: { auth: { kind: 'user', user: 'specter-proxy', password: PASSWORD } },
    })
    await wrongUser.collector.until((s) => s.lastErrorCode !== '', 15_000)
    expect(wrongUser.collector.stats()).toMatchObject({ connected: false, lastErrorCode: 'SPECTER_ERR_NATS_AUTH' })
  }, 60_000)

  test('NKey auth: the proxy and the collector sign the server nonce with a seed read from a file', async () => {
    const user = nkeys.createUser()
    const seed = new TextDecoder().decode(user.getSeed())
    const conf = secretFile('nkey.conf', `authorization { users = [ { nkey: ${user.getPublicKey()} } ] }\n`)
    const nats = await startNats(['-c', conf])
    const seedFile = secretFile('user.nk', `${seed}\n`)
    const logs = new CapturedStream()
    const dbPath = tempDbPath()
    const upstream = await startUpstream(apiHandler)
    const proxy = await startProxyStack({
      upstream,
      dbPath,
      publishUrl: nats.url,
      nats: { nkeySeedFile: seedFile },
      logStream: logs,
    })
    const centralPath = tempDbPath('central.db')
    const central = startTestCollector(nats.url, centralPath, { security: { auth: { kind: 'nkey', seedFile } } })
    for (const r of requests(20)) await send(proxy.proxy.url, r)
    await settle(proxy)
    await untilCount(central, 20)
    // A seed that is not the server's user is refused with a code.
    const stranger = secretFile('stranger.nk', new TextDecoder().decode(nkeys.createUser().getSeed()))
    const refused = await connectNats(nats.url, 't', 100, { auth: { kind: 'nkey', seedFile: stranger } }).catch(
      (e: unknown) => e,
    )
    expect(refused).toMatchObject({ code: 'SPECTER_ERR_NATS_AUTH' })
    await proxy.close()
    await central.close()
    expect(logs.text + storeBytes(dbPath, centralPath)).not.toContain(seed)
  }, 60_000)
})
