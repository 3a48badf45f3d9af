// NATS JetStream plumbing shared by publisher and collector: URL checks, connection options (TLS,
// authentication) from the config, connection with endless reconnects, coded connection errors,
// and the stream both sides declare (idempotently) before use. Secrets are read from their files
// at every (re)connect, never kept in logs or errors.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import {
  type Authenticator,
  AuthorizationError,
  type ConnectionOptions,
  connect,
  credsAuthenticator,
  type NatsConnection,
  nkeyAuthenticator,
  PermissionViolationError,
  tokenAuthenticator,
  UserAuthenticationExpiredError,
  usernamePasswordAuthenticator,
} from '@nats-io/transport-node'
import { jetstreamManager, type JetStreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream'
import type { NatsConfig } from '../config.js'
import { type ErrorCode, isSpecterError, natsError, type SpecterError, usageError } from '../errors.js'

export interface StreamOptions {
  /** JetStream stream name */
  stream: string
  /** deltas go to `${subjectPrefix}.<instance id>` */
  subjectPrefix: string
  /** how long the stream keeps a delta, acknowledged or not */
  maxAgeMs: number
  /** window in which JetStream drops a re-published Nats-Msg-Id */
  duplicateWindowMs: number
}

export const DEFAULT_STREAM_OPTIONS: Readonly<StreamOptions> = Object.freeze({
  stream: 'SPECTER_DELTAS',
  subjectPrefix: 'specter.deltas',
  maxAgeMs: 24 * 3600_000,
  duplicateWindowMs: 120_000,
})

/** How to reach NATS securely; absolute file paths (see natsOptionsFromConfig). */
export interface NatsSecurity {
  /** TLS settings; undefined: TLS only when the server requires it (or a URL is tls://) */
  tls?: { caFile?: string; certFile?: string; keyFile?: string; handshakeFirst?: boolean }
  auth?: NatsAuth
}

export type NatsAuth =
  | { kind: 'creds'; file: string }
  | { kind: 'nkey'; seedFile: string }
  | { kind: 'token'; token: string }
  | { kind: 'token'; file: string }
  | { kind: 'user'; user: string; password: string }
  | { kind: 'user'; user: string; passwordFile: string }

const NATS_URL = /^(nats|tls):\/\/[A-Za-z0-9.\-[\]:]{1,255}$/
const MAX_SERVERS = 16

/** A URL as it may be printed: user information before '@' masked, length capped. */
export const printableUrl = (url: string): string =>
  url
    .slice(0, 200)
    .replace(/\/\/[^/,]*@/g, '//***@')
    .slice(0, 100)

/** The servers of a checked URL list (`nats://a:4222,nats://b:4222`). */
export const natsServers = (url: string): string[] => url.split(',').map((s) => s.trim())

/**
 * Checks `nats://HOST:PORT` or `tls://HOST:PORT`, or a comma-separated list of them (seed servers
 * of a cluster). Credentials in a URL are refused: they would end up in logs.
 */
export function checkNatsUrl(url: string, flag: string): string {
  const servers = natsServers(url)
  if (servers.length > MAX_SERVERS || !servers.every((s) => NATS_URL.test(s))) {
    throw usageError(
      `${flag} must be nats://HOST:PORT or tls://HOST:PORT (comma-separated for several), got ${JSON.stringify(printableUrl(url))}`,
    )
  }
  return url
}

/** The nats config section as connection settings, with relative files resolved against `cwd`. */
export function natsOptionsFromConfig(c: NatsConfig, cwd: string): NatsSecurity {
  const file = (p: string) => (p === '' ? undefined : resolve(cwd, p))
  const tlsFiles = {
    ...(file(c.tls.caFile) !== undefined ? { caFile: file(c.tls.caFile) as string } : {}),
    ...(file(c.tls.certFile) !== undefined ? { certFile: file(c.tls.certFile) as string } : {}),
    ...(file(c.tls.keyFile) !== undefined ? { keyFile: file(c.tls.keyFile) as string } : {}),
  }
  const wantTls = c.tls.required || c.tls.handshakeFirst || Object.keys(tlsFiles).length > 0
  let auth: NatsAuth | undefined
  if (c.credsFile !== '') auth = { kind: 'creds', file: resolve(cwd, c.credsFile) }
  else if (c.nkeySeedFile !== '') auth = { kind: 'nkey', seedFile: resolve(cwd, c.nkeySeedFile) }
  else if (c.token !== '') auth = { kind: 'token', token: c.token }
  else if (c.tokenFile !== '') auth = { kind: 'token', file: resolve(cwd, c.tokenFile) }
  else if (c.user !== '' && c.password !== '') auth = { kind: 'user', user: c.user, password: c.password }
  else if (c.user !== '') auth = { kind: 'user', user: c.user, passwordFile: resolve(cwd, c.passwordFile) }
  return {
    ...(wantTls ? { tls: { ...tlsFiles, ...(c.tls.handshakeFirst ? { handshakeFirst: true } : {}) } } : {}),
    ...(auth !== undefined ? { auth } : {}),
  }
}

/** Reads a secret file at connect time; a failure names the file, never its content. */
function secretFile(what: string, file: string): Buffer {
  try {
    return readFileSync(file)
  } catch (err) {
    throw natsError('SPECTER_ERR_NATS_AUTH', `cannot read the NATS ${what} file ${file}`, err)
  }
}
/** A secret line from a file, without its final newline. */
const secretLine = (what: string, file: string) =>
  secretFile(what, file)
    .toString('utf8')
    .replace(/\r?\n$/, '')

function authenticator(auth: NatsAuth): Authenticator {
  switch (auth.kind) {
    case 'creds':
      return credsAuthenticator(() => new Uint8Array(secretFile('credentials', auth.file)))
    case 'nkey':
      return nkeyAuthenticator(() => new TextEncoder().encode(secretLine('NKey seed', auth.seedFile).trim()))
    case 'token':
      return tokenAuthenticator('token' in auth ? auth.token : () => secretLine('token', auth.file))
    case 'user':
      return usernamePasswordAuthenticator(
        auth.user,
        'password' in auth ? auth.password : () => secretLine('password', auth.passwordFile),
      )
  }
}

/** The nats.js connection options for `url` (checked by checkNatsUrl) and `security`. */
export function connectionOptions(
  url: string,
  name: string,
  reconnectWaitMs: number,
  security: NatsSecurity = {},
): ConnectionOptions {
  const servers = natsServers(url)
  // nats.js ignores the scheme; a tls:// URL asks for TLS like nats.tls.required does.
  const tls = security.tls ?? (servers.some((s) => s.startsWith('tls://')) ? {} : undefined)
  return {
    servers,
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: reconnectWaitMs,
    pingInterval: 10_000,
    ...(tls !== undefined ? { tls } : {}),
    ...(security.auth !== undefined ? { authenticator: authenticator(security.auth) } : {}),
  }
}

/**
 * Connects once (failing fast when nobody listens, so the caller's retry loop stays cancellable),
 * then reconnects forever: NATS may restart under a running Specter. Rejects with a coded
 * SPECTER_ERR_NATS_* error (see natsFailure).
 */
export async function connectNats(
  url: string,
  name: string,
  reconnectWaitMs: number,
  security: NatsSecurity = {},
): Promise<NatsConnection> {
  try {
    return await connect(connectionOptions(url, name, reconnectWaitMs, security))
  } catch (err) {
    throw natsFailure(err)
  }
}

const TLS_ERROR = /CERT|SSL|TLS|UNABLE_TO_(GET|VERIFY)|SELF_SIGNED|HOSTNAME|ALTNAME/i

/**
 * A failure talking to NATS as a coded error: refused credentials or subject permissions (SPECTER_ERR_NATS_AUTH), a
 * failed TLS handshake (SPECTER_ERR_NATS_TLS), or anything else (SPECTER_ERR_NATS_UNREACHABLE).
 * The message is nats.js' or Node's, which never carries a credential.
 */
export function natsFailure(err: unknown): SpecterError {
  if (isSpecterError(err)) return err
  let code: ErrorCode = 'SPECTER_ERR_NATS_UNREACHABLE'
  const messages: string[] = []
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    messages.push(e.message)
    if (isSpecterError(e)) return e
    const nodeCode = (e as NodeJS.ErrnoException).code
    if (
      e instanceof AuthorizationError ||
      e instanceof UserAuthenticationExpiredError ||
      e instanceof PermissionViolationError ||
      /authorization violation|authentication|permissions violation/i.test(e.message)
    ) {
      code = 'SPECTER_ERR_NATS_AUTH'
      break
    }
    if ((typeof nodeCode === 'string' && TLS_ERROR.test(nodeCode)) || /\btls\b|certificate/i.test(e.message)) {
      code = 'SPECTER_ERR_NATS_TLS'
      break
    }
  }
  const what =
    code === 'SPECTER_ERR_NATS_AUTH'
      ? 'NATS refused the credentials or a permission'
      : code === 'SPECTER_ERR_NATS_TLS'
        ? 'the TLS handshake with NATS failed'
        : 'NATS is unreachable'
  const detail = messages[0] ?? String(err)
  return natsError(code, `${what}: ${detail.slice(0, 300)}`, err)
}

const nanos = (ms: number) => ms * 1_000_000

/** Declares the delta stream when missing; returns the manager. */
export async function ensureStream(nc: NatsConnection, o: StreamOptions): Promise<JetStreamManager> {
  const jsm = await jetstreamManager(nc)
  try {
    await jsm.streams.info(o.stream)
  } catch {
    await jsm.streams.add({
      name: o.stream,
      subjects: [`${o.subjectPrefix}.>`],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      max_age: nanos(o.maxAgeMs),
      duplicate_window: nanos(o.duplicateWindowMs),
    })
  }
  return jsm
}

export { nanos }
