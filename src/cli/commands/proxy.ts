// `specter proxy`: config -> store -> capture -> metrics -> proxy -> admin listener, running until
// SIGTERM/SIGINT, then a graceful stop: no new connections, in-flight exchanges finish, the
// capture queue is written out, the database is closed.
import type { EventEmitter } from 'node:events'
import { resolve } from 'node:path'
import type { FastifyBaseLogger } from 'fastify'
import { type AdminServer, createOps, type Ops } from '../../admin/index.js'
import { type Capture, createCapture } from '../../capture/index.js'
import { ConfigInvalidError, type ConfigOverrides, loadConfig, type SpecterConfig } from '../../config.js'
import { isSpecterError } from '../../errors.js'
import type { SpecterMetrics } from '../../metrics/index.js'
import {
  checkNatsUrl,
  createPublisher,
  createPublisherMetrics,
  type Publisher,
  printableUrl,
} from '../../pipeline/index.js'
import { type SpecterProxy, startProxy } from '../../proxy/index.js'
import {
  classifyValue,
  createEnumerationRecorder,
  type EnumerationRecorder,
  EnumerationTracker,
} from '../../security/index.js'
import {
  isUrlSource,
  type LoadSpecOptions,
  loadSpec,
  type SpecModel,
  type SpecWatcher,
  watchSpec,
} from '../../spec/index.js'
import { openStore, type Store, storeOptionsFromConfig } from '../../store/index.js'
import type { CliIo, Command } from '../command.js'
import { intFlag, parseFlags, stringFlag } from '../flags.js'

const help = `Usage: specter proxy --upstream URL [options]

Runs Specter inline in front of an HTTP API: every request is forwarded unchanged (bytes,
status, headers, streaming, WebSockets) and the shape of each exchange is recorded into the
store. Secret values (tokens, cookies, passwords) are never stored or logged.

Options:
  --upstream URL      the API to observe, e.g. http://127.0.0.1:3000 (proxy.upstream)
  --port N            port to listen on (proxy.port, default 8080; 0 picks a free one)
  --host ADDR         address to listen on (proxy.host, default 127.0.0.1; 0.0.0.0 for all)
  --admin-port N      port of the admin listener: /healthz, /readyz, /metrics (admin.port, default 9091)
  --db FILE           the SQLite store (store.path, default specter.db)
  --spec FILE|URL     the published OpenAPI document, for drift (spec.path); a file is reloaded
                      when it changes (a version that fails to load is logged, the previous kept)
  --publish URL       also publish batch deltas to NATS JetStream, e.g. nats://127.0.0.1:4222
                      (publish.url; merged centrally by \`specter collect\`, see docs/scale-out.md)
  --config FILE       a YAML or JSON config file layered over config/default.yaml
  --log-level LEVEL   fatal, error, warn, info, debug, trace or silent (log.level)
  -h, --help          this help

Configuration is layered: config/default.yaml, then --config FILE, then SPECTER_* environment
variables (SPECTER_PROXY_PORT, SPECTER_ADMIN_TOKEN, ...), then these flags. Every problem is
reported at once and Specter exits with code 2 before listening.

Examples:
  specter proxy --upstream http://127.0.0.1:3000
  specter proxy --upstream http://127.0.0.1:3000 --port 8080 --admin-port 9091 --db shop.db
  SPECTER_PROXY_HOST=0.0.0.0 specter proxy --config specter.yaml --spec openapi.yaml

Stop with Ctrl-C or SIGTERM: in-flight requests finish (up to proxy.shutdownTimeoutMs), queued
observations are written, the database is closed. A second signal cuts remaining connections.

Exit codes: 0 stopped cleanly, 1 runtime failure, 2 usage or configuration error.
`

export interface SpecterStack {
  config: SpecterConfig
  proxy: SpecterProxy
  admin: AdminServer
  capture: Capture
  store: Store
  /** the object-enumeration tracker and its suspects' table (persist() evaluates and stores now) */
  enumeration: EnumerationRecorder
  /** set when publish.url is: the outbox and its JetStream publisher */
  publisher?: Publisher
  metrics: SpecterMetrics
  /** metrics, drift and the admin API's sources */
  ops: Ops
  log: FastifyBaseLogger
  /**
   * graceful stop, in order: proxy (drains in-flight), capture (writes its queue), enumeration
   * suspects (evaluated and stored once more), publisher, admin, store. Idempotent.
   */
  close: () => Promise<void>
}

export interface StartStackOptions {
  /** resolves store.path */
  cwd: string
  /** where structured logs go (default stdout) */
  logStream?: NodeJS.WritableStream
}

function listenError(err: unknown, path: string, value: number): unknown {
  const code = (err as { code?: unknown } | null)?.code
  if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') return err
  return new ConfigInvalidError([
    { path, value: String(value), expected: `a port this process may listen on (${String(code)})`, source: 'config' },
  ])
}

interface SpecReloader {
  /** stops watching and waits for a reload under way */
  close: () => Promise<void>
}

/**
 * Watches a local spec file and hands each new version to the ops layer (route templates, drift,
 * the admin API). A reload that fails is logged with its code and the previous spec stays in use.
 */
function reloadSpecOnChange(
  path: string,
  specOptions: LoadSpecOptions & { cwd: string },
  ops: Ops,
  log: FastifyBaseLogger,
): SpecReloader {
  let closed = false
  let queued = false
  let chain: Promise<void> = Promise.resolve()
  const reload = async (): Promise<void> => {
    queued = false
    let next: SpecModel
    try {
      next = await loadSpec(path, specOptions)
    } catch (err) {
      if (closed) return
      log.error(
        { code: isSpecterError(err) ? err.code : undefined, err: err instanceof Error ? err.message : String(err) },
        'published spec reload failed: keeping the previous spec',
      )
      return
    }
    if (closed) return
    ops.attach({ spec: next })
    log.info({ operations: next.operations.length }, 'published spec reloaded')
  }
  // One reload at a time; changes arriving while one waits to start are the same reload.
  const watcher: SpecWatcher = watchSpec(
    resolve(specOptions.cwd, path),
    () => {
      if (closed || queued) return
      queued = true
      chain = chain.then(reload).catch((err: unknown) => {
        log.error({ err: err instanceof Error ? err.message : String(err) }, 'published spec reload failure')
      })
    },
    { onError: (err) => log.warn({ err: err instanceof Error ? err.message : String(err) }, 'spec watcher failure') },
  )
  return {
    close: async () => {
      closed = true
      watcher.close()
      await chain
    },
  }
}

/** Wires and starts every long-running part of Specter; on any failure, what was started is stopped again. */
export async function startSpecterStack(config: SpecterConfig, options: StartStackOptions): Promise<SpecterStack> {
  if (config.proxy.upstream === '') {
    throw new ConfigInvalidError([
      {
        path: 'proxy.upstream',
        value: '""',
        expected: 'the URL of the API to observe (--upstream or SPECTER_PROXY_UPSTREAM)',
        source: 'defaults',
      },
    ])
  }
  // A bad published spec fails before the store is opened, so nothing recorded is touched.
  const specOptions = { cwd: options.cwd, timeoutMs: config.spec.timeoutMs, maxBytes: config.spec.maxBytes }
  const spec = config.spec.path === '' ? undefined : await loadSpec(config.spec.path, specOptions)
  const publishUrl = config.publish.url
  if (publishUrl !== '') {
    try {
      checkNatsUrl(publishUrl, 'publish.url')
    } catch {
      throw new ConfigInvalidError([
        {
          path: 'publish.url',
          value: printableUrl(publishUrl),
          expected: 'nats://HOST:PORT or empty',
          source: 'config',
        },
      ])
    }
  }
  // Bad enumeration options (buckets not dividing the window) also fail before the store is opened.
  const tracker = new EnumerationTracker(config.security.enumeration)
  // store.* caps and the busy timeout apply, not only the path.
  const store = openStore(storeOptionsFromConfig(config.store, options.cwd))
  // The capture is created before the proxy whose logger it shares: bind the logger late.
  let log: FastifyBaseLogger | undefined
  // Metrics, drift gauges and the admin API (src/admin/ops.ts): fed by the proxy, capture and store.
  const ops = createOps({
    admin: config.admin,
    metrics: config.metrics,
    paths: config.paths,
    version: '0.1.0',
    onError: (err) => log?.error({ err: err instanceof Error ? err.message : String(err) }, 'admin failure'),
  })
  const publisher =
    publishUrl === ''
      ? undefined
      : createPublisher({
          store,
          url: publishUrl,
          stream: config.publish.stream,
          subjectPrefix: config.publish.subjectPrefix,
          maxOutboxDeltas: config.publish.maxOutboxDeltas,
          maxDeltaBytes: config.publish.maxDeltaBytes,
          publishTimeoutMs: config.publish.publishTimeoutMs,
          retryIntervalMs: config.publish.retryIntervalMs,
          logger: { warn: (obj, msg) => log?.warn(obj, msg), info: (obj, msg) => log?.info(obj, msg) },
        })
  if (publisher !== undefined) createPublisherMetrics(ops.registry, publisher.stats)
  // Every observation passes the object-enumeration tracker on its way to the store (in the capture's
  // flush loop); suspects are stored every evaluateIntervalMs and at shutdown, for the reports.
  const enumeration = createEnumerationRecorder({
    // With publishing, each batch goes to the store and its outbox in one transaction.
    tracker,
    sink: publisher ?? store,
    database: store.database,
    evaluateIntervalMs: config.security.enumeration.evaluateIntervalMs,
    onError: (err) =>
      log?.error({ err: err instanceof Error ? err.message : String(err) }, 'object-enumeration tracking failure'),
  })
  const capture = createCapture({
    store: enumeration.sink,
    options: {
      maxDecodedBytes: config.capture.maxDecodedBytes,
      batchSize: config.capture.batchSize,
      flushIntervalMs: config.capture.flushIntervalMs,
      queueSize: config.capture.queueSize,
      retryBufferSize: config.capture.retryBufferSize,
      clientKeySalt: store.salt,
      wantExample: (method, pathKey, status) => store.wantsExample(method, pathKey, status),
      classify: classifyValue,
    },
    onWriteBatch: ops.onWriteBatch,
    logger: {
      warn: (obj, msg) => log?.warn(obj, msg),
      info: (obj, msg) => log?.info(obj, msg),
    },
  })
  ops.attach({ store, capture, enumeration: tracker, ...(spec !== undefined ? { spec } : {}) })
  const metrics = ops.metrics
  let proxy: SpecterProxy | undefined
  let admin: AdminServer | undefined
  let specReloader: SpecReloader | undefined
  const stopAll = async (): Promise<void> => {
    await specReloader?.close()
    await proxy?.close()
    await capture.close()
    enumeration.close()
    await publisher?.close()
    await admin?.close()
    store.close()
  }
  try {
    proxy = await startProxy({
      config: config.proxy,
      capture: config.capture,
      sink: capture,
      onExchangeEnd: metrics.onExchangeEnd,
      onTapError: capture.noteTapError,
      logLevel: config.log.level,
      ...(options.logStream !== undefined ? { logStream: options.logStream } : {}),
    }).catch((err: unknown) => {
      throw listenError(err, 'proxy.port', config.proxy.port)
    })
    log = proxy.log
    const running = proxy
    ops.attach({ proxy: running, ready: () => running.accepting && !capture.stats().storeFailing })
    admin = await ops.listen().catch((err: unknown) => {
      throw listenError(err, 'admin.port', config.admin.port)
    })
    running.log.info({ url: admin.url }, 'admin listening')
    if (spec !== undefined && !isUrlSource(config.spec.path)) {
      specReloader = reloadSpecOnChange(config.spec.path, specOptions, ops, running.log)
    }
  } catch (err) {
    await stopAll().catch(() => {})
    throw err
  }
  let closing: Promise<void> | undefined
  return {
    config,
    proxy,
    admin,
    capture,
    store,
    enumeration,
    ...(publisher !== undefined ? { publisher } : {}),
    metrics,
    ops,
    log: proxy.log,
    close: () => {
      closing ??= stopAll()
      return closing
    },
  }
}

function overridesFrom(argv: string[]): { configFile: string | undefined; overrides: ConfigOverrides } {
  const flags = parseFlags('proxy', argv, {
    upstream: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    'admin-port': { type: 'string' },
    db: { type: 'string' },
    spec: { type: 'string' },
    config: { type: 'string' },
    'log-level': { type: 'string' },
    publish: { type: 'string' },
  })
  if (flags.positionals.length > 0) {
    throw new ConfigInvalidError([
      {
        path: '(arguments)',
        value: JSON.stringify(flags.positionals[0]?.slice(0, 40)),
        expected: 'no positional arguments; give the upstream with --upstream URL',
        source: 'command line',
      },
    ])
  }
  const upstream = stringFlag(flags, 'upstream')
  const port = intFlag('proxy', flags, 'port', 65535)
  const host = stringFlag(flags, 'host')
  const adminPort = intFlag('proxy', flags, 'admin-port', 65535)
  const db = stringFlag(flags, 'db')
  const spec = stringFlag(flags, 'spec')
  const level = stringFlag(flags, 'log-level')
  const publish = stringFlag(flags, 'publish')
  const overrides: ConfigOverrides = {
    proxy: {
      ...(upstream !== undefined ? { upstream } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(host !== undefined ? { host } : {}),
    },
    admin: adminPort !== undefined ? { port: adminPort } : {},
    store: db !== undefined ? { path: db } : {},
    spec: spec !== undefined ? { path: spec } : {},
    log: level !== undefined ? { level: level as SpecterConfig['log']['level'] } : {},
    publish: publish !== undefined ? { url: publish } : {},
  }
  return { configFile: stringFlag(flags, 'config'), overrides }
}

/**
 * The command body with its signal source injectable (tests emit SIGTERM on their own emitter).
 * Resolves to the exit code once stopped.
 */
export async function runProxy(argv: string[], io: CliIo, signals: EventEmitter = process): Promise<number> {
  const { configFile, overrides } = overridesFrom(argv)
  const config = loadConfig({
    env: io.env,
    cwd: io.cwd,
    overrides,
    ...(configFile !== undefined ? { configFile } : {}),
  })
  const stack = await startSpecterStack(config, { cwd: io.cwd, logStream: io.stdout })
  let signalled = 0
  let resolveStop!: (signal: string) => void
  const stopped = new Promise<string>((r) => {
    resolveStop = r
  })
  const onSignal = (signal: string): void => {
    signalled++
    if (signalled === 1) {
      resolveStop(signal)
    } else {
      stack.log.warn({ signal }, 'second signal: cutting the remaining connections')
      stack.proxy.app.server.closeAllConnections()
    }
  }
  signals.on('SIGTERM', onSignal)
  signals.on('SIGINT', onSignal)
  try {
    const signal = await stopped
    stack.log.info(
      { signal, inFlight: stack.proxy.stats().inFlight, queued: stack.capture.stats().queueDepth },
      'shutting down: finishing in-flight requests and writing queued observations',
    )
    await stack.close()
    const stats = stack.capture.stats()
    stack.log.info({ written: stats.observationsWritten, dropped: stats.dropped }, 'stopped')
    return 0
  } finally {
    signals.off('SIGTERM', onSignal)
    signals.off('SIGINT', onSignal)
  }
}

export const proxyCommand: Command = {
  name: 'proxy',
  summary: 'run inline in front of an API: forward everything, record the shape of each exchange',
  help,
  run: (argv, io) => runProxy(argv, io),
}
