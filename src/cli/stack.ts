// The running Specter behind `specter proxy` and `specter demo`: config -> store -> capture (with the
// object-enumeration tracker and, with publish.url, the NATS outbox) -> proxy -> ops (metrics, drift,
// admin listener), and the graceful stop in the reverse order. One wiring, so a fix reaches both.
import { resolve } from 'node:path'
import type { FastifyBaseLogger } from 'fastify'
import { type AdminServer, createOps, type Ops } from '../admin/index.js'
import { type Capture, createCapture } from '../capture/index.js'
import { ConfigInvalidError, configSource, type SpecterConfig } from '../config.js'
import { isSpecterError } from '../errors.js'
import type { SpecterMetrics } from '../metrics/index.js'
import {
  checkNatsUrl,
  createPublisher,
  createPublisherMetrics,
  natsOptionsFromConfig,
  type Publisher,
  printableUrl,
} from '../pipeline/index.js'
import { type SpecterProxy, startProxy } from '../proxy/index.js'
import {
  classifyValue,
  createEnumerationRecorder,
  type EnumerationRecorder,
  EnumerationTracker,
} from '../security/index.js'
import {
  isUrlSource,
  type LoadSpecOptions,
  loadSpec,
  type SpecModel,
  type SpecWatcher,
  watchSpec,
} from '../spec/index.js'
import { openStore, type Store } from '../store/index.js'
import { creatableStoreOptions } from './config-from-flags.js'
import { createLogger } from './logger.js'
import { SPECTER_VERSION } from './version.js'

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
  /** the clock of the diffs and the enumeration tracker (default Date.now) */
  now?: () => number
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err))

/**
 * A port that cannot be listened on is a configuration error naming the key, the port and the
 * layer that set it (a flag, an environment variable, the config file or the defaults; exit code 2).
 */
export function listenError(err: unknown, config: SpecterConfig, path: 'proxy.port' | 'admin.port'): unknown {
  const code = (err as { code?: unknown } | null)?.code
  if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') return err
  const { host, port } = path === 'proxy.port' ? config.proxy : config.admin
  const why = code === 'EADDRINUSE' ? 'already in use' : code === 'EACCES' ? 'not permitted' : 'not available'
  return new ConfigInvalidError([
    {
      path,
      value: String(port),
      expected: `a port this process may listen on (${host}:${port} is ${why}: ${String(code)})`,
      source: configSource(config, path),
    },
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
        { code: isSpecterError(err) ? err.code : undefined, err: messageOf(err) },
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
        log.error({ err: messageOf(err) }, 'published spec reload failure')
      })
    },
    { onError: (err) => log.warn({ err: messageOf(err) }, 'spec watcher failure') },
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
        source: configSource(config, 'proxy.upstream'),
      },
    ])
  }
  // A store that could not be created (its directory missing) fails before anything starts.
  const storeOptions = creatableStoreOptions(config, options.cwd)
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
          expected: 'nats://HOST:PORT or tls://HOST:PORT (comma-separated for several), or empty',
          source: configSource(config, 'publish.url'),
        },
      ])
    }
  }
  // Bad enumeration options (buckets not dividing the window) also fail before the store is opened.
  const tracker = new EnumerationTracker(config.security.enumeration)
  // store.* caps and the busy timeout apply, not only the path.
  const store = openStore(storeOptions)
  // One logger for the proxy and everything around it (src/cli/logger.ts, shared with collect).
  const log = createLogger(config.log.level, options.logStream)
  // Metrics, drift gauges and the admin API (src/admin/ops.ts): fed by the proxy, capture and store.
  const ops = createOps({
    admin: config.admin,
    metrics: config.metrics,
    paths: config.paths,
    diff: config.diff,
    version: SPECTER_VERSION,
    ...(options.now !== undefined ? { now: options.now } : {}),
    onError: (err) => log.error({ err: messageOf(err) }, 'admin failure'),
  })
  const publisher =
    publishUrl === ''
      ? undefined
      : createPublisher({
          store,
          url: publishUrl,
          security: natsOptionsFromConfig(config.nats, options.cwd),
          stream: config.publish.stream,
          subjectPrefix: config.publish.subjectPrefix,
          maxOutboxDeltas: config.publish.maxOutboxDeltas,
          maxDeltaBytes: config.publish.maxDeltaBytes,
          publishTimeoutMs: config.publish.publishTimeoutMs,
          retryIntervalMs: config.publish.retryIntervalMs,
          logger: { warn: (obj, msg) => log.warn(obj, msg), info: (obj, msg) => log.info(obj, msg) },
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
    ...(options.now !== undefined ? { now: options.now } : {}),
    onError: (err) => log.error({ err: messageOf(err) }, 'object-enumeration tracking failure'),
  })
  const capture = createCapture({
    store: enumeration.sink,
    options: {
      maxDecodedBytes: config.capture.maxDecodedBytes,
      batchSize: config.capture.batchSize,
      flushIntervalMs: config.capture.flushIntervalMs,
      queueSize: config.capture.queueSize,
      maxQueueBytes: config.capture.maxQueueBytes,
      retryBufferSize: config.capture.retryBufferSize,
      clientKeySalt: store.salt,
      wantExample: (method, pathKey, status) => store.wantsExample(method, pathKey, status),
      classify: classifyValue,
    },
    onWriteBatch: ops.onWriteBatch,
    logger: {
      warn: (obj, msg) => log.warn(obj, msg),
      info: (obj, msg) => log.info(obj, msg),
    },
  })
  let proxy: SpecterProxy | undefined
  let admin: AdminServer | undefined
  ops.attach({
    store,
    capture,
    enumeration: tracker,
    ...(spec !== undefined ? { spec } : {}),
    ready: () => proxy?.accepting === true && !capture.stats().storeFailing,
  })
  const metrics = ops.metrics
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
    // The admin port first: when it is taken, the proxy port never accepted a connection.
    admin = await ops.listen().catch((err: unknown) => {
      throw listenError(err, config, 'admin.port')
    })
    log.info({ url: admin.url }, 'admin listening')
    proxy = await startProxy({
      config: config.proxy,
      capture: config.capture,
      sink: capture,
      onExchangeEnd: metrics.onExchangeEnd,
      onTapError: capture.noteTapError,
      logger: log,
    }).catch((err: unknown) => {
      throw listenError(err, config, 'proxy.port')
    })
    ops.attach({ proxy })
    if (spec !== undefined && !isUrlSource(config.spec.path)) {
      specReloader = reloadSpecOnChange(config.spec.path, specOptions, ops, log)
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
    log,
    close: () => {
      closing ??= stopAll()
      return closing
    },
  }
}
