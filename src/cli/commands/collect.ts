// `specter collect --from nats://HOST:PORT --db central.db`: merges the deltas that proxies run
// with --publish send to NATS JetStream into one central store, with its own admin listener
// (/metrics, /healthz, /readyz and the admin API over the central store), until SIGTERM/SIGINT.
import type { EventEmitter } from 'node:events'
import { resolve } from 'node:path'
import type { FastifyBaseLogger } from 'fastify'
import { type AdminServer, createOps } from '../../admin/index.js'
import type { SpecterConfig } from '../../config.js'
import { usageError } from '../../errors.js'
import {
  checkNatsUrl,
  type Collector,
  createCollectorMetrics,
  natsOptionsFromConfig,
  startCollector,
} from '../../pipeline/index.js'
import { openStore } from '../../store/index.js'
import type { CliIo, Command } from '../command.js'
import { configFromFlags, creatableStoreOptions } from '../config-from-flags.js'
import { intFlag, noArguments, parseFlags, stringFlag } from '../flags.js'
import { createLogger } from '../logger.js'
import { listenError } from '../stack.js'
import { SPECTER_VERSION } from '../version.js'

const help = `Usage: specter collect --from nats://HOST:PORT --db FILE [options]

Merges the observation deltas published by \`specter proxy --publish URL\` into one central
store, exactly: the store equals the one a single proxy would have written had it seen all the
fleet's traffic. Run infer, diff and report on it as on any store. Each delta is merged once,
even when NATS redelivers it; several collectors may run on the same central store for
availability (they share one durable consumer). See docs/scale-out.md.

Options:
  --from URL          the NATS server, nats://HOST:PORT or tls://HOST:PORT, comma-separated
                      for several (required); TLS and credentials: the nats.* settings
  --db FILE           the central store (store.path, default specter.db); created when missing
  --admin-port N      port of the admin listener: /metrics, /healthz, /readyz and the admin API
                      (admin.port, default 9091; 0 picks a free one)
  --durable NAME      the JetStream durable consumer (default specter-collector)
  --batch-size N      deltas merged per transaction (default 256)
  --config FILE       a YAML or JSON config file layered over config/default.yaml
  --log-level LEVEL   fatal, error, warn, info, debug, trace or silent (log.level); log lines
                      are JSON, as the proxy's
  -h, --help          this help

Examples:
  specter collect --from nats://127.0.0.1:4222 --db central.db
  specter collect --from nats://nats:4222 --db /data/central.db --admin-port 9092

Stop with Ctrl-C or SIGTERM: the batch in hand is merged and acknowledged, then the store is
closed. Exit codes: 0 stopped cleanly, 1 runtime failure, 2 usage or configuration error.
`

export interface CollectStack {
  collector: Collector
  admin: AdminServer
  log: FastifyBaseLogger
  close: () => Promise<void>
}

/** Parses the flags, opens the store, starts the collector and its admin listener. */
export async function startCollect(argv: string[], io: CliIo): Promise<CollectStack> {
  const flags = parseFlags('collect', argv, {
    from: { type: 'string' },
    db: { type: 'string' },
    'admin-port': { type: 'string' },
    durable: { type: 'string' },
    'batch-size': { type: 'string' },
    config: { type: 'string' },
    'log-level': { type: 'string' },
  })
  noArguments('collect', flags)
  const from = stringFlag(flags, 'from')
  if (from === undefined) throw usageError('give the NATS server with --from nats://HOST:PORT')
  checkNatsUrl(from, '--from')
  const adminPort = intFlag('collect', flags, 'admin-port', 65535)
  const batchSize = intFlag('collect', flags, 'batch-size', 100_000)
  const durable = stringFlag(flags, 'durable')
  if (durable !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(durable)) {
    throw usageError('--durable must be 1 to 64 letters, digits, _ or -')
  }
  const level = stringFlag(flags, 'log-level')
  const config = configFromFlags(
    flags,
    io,
    {
      ...(adminPort !== undefined ? { admin: { port: adminPort } } : {}),
      ...(level !== undefined ? { log: { level: level as SpecterConfig['log']['level'] } } : {}),
    },
    { 'admin.port': '--admin-port', 'log.level': '--log-level' },
  )
  // The same logger setup as the proxy's (numeric pino levels, log.level honoured).
  const log = createLogger(config.log.level, io.stdout)
  const store = openStore(creatableStoreOptions(config, io.cwd))
  const ops = createOps({
    admin: config.admin,
    metrics: config.metrics,
    paths: config.paths,
    version: SPECTER_VERSION,
    // No proxy, capture or upstream here: /metrics carries the collector's, the store's and the process's series.
    traffic: false,
    onError: (err) => log.warn({ err: err instanceof Error ? err.message : String(err) }, 'admin failure'),
  })
  const metrics = createCollectorMetrics(ops.registry)
  const collector = startCollector({
    store,
    url: from,
    security: natsOptionsFromConfig(config.nats, io.cwd),
    stream: config.publish.stream,
    subjectPrefix: config.publish.subjectPrefix,
    retryIntervalMs: config.publish.retryIntervalMs,
    ...(durable !== undefined ? { durable } : {}),
    ...(batchSize !== undefined ? { batchSize } : {}),
    hooks: metrics.hooks,
    logger: log,
  })
  ops.attach({ store, ready: () => collector.stats().connected })
  let admin: AdminServer
  try {
    admin = await ops.listen()
  } catch (err) {
    await collector.close()
    await ops.close()
    store.close()
    throw listenError(err, config, 'admin.port')
  }
  log.info({ from, db: resolve(io.cwd, config.store.path), admin: admin.url }, 'collecting')
  let closing: Promise<void> | undefined
  return {
    collector,
    admin,
    log,
    close: () => {
      closing ??= (async () => {
        await collector.close()
        await ops.close()
        store.close()
      })()
      return closing
    },
  }
}

/** The command body with its signal source injectable. Resolves to the exit code once stopped. */
export async function runCollect(argv: string[], io: CliIo, signals: EventEmitter = process): Promise<number> {
  // Listening before the start: a signal during it stops the collector as soon as it runs.
  let onSignal: ((signal: string) => void) | undefined
  const stopped = new Promise<string>((resolveStop) => {
    onSignal = resolveStop
  })
  const onTerm = () => onSignal?.('SIGTERM')
  const onInt = () => onSignal?.('SIGINT')
  signals.once('SIGTERM', onTerm)
  signals.once('SIGINT', onInt)
  let signal: string
  let stack: CollectStack
  try {
    stack = await startCollect(argv, io)
    signal = await stopped
  } finally {
    signals.off('SIGTERM', onTerm)
    signals.off('SIGINT', onInt)
  }
  await stack.close()
  const s = stack.collector.stats()
  stack.log.info({ signal, applied: s.applied, duplicates: s.duplicates, invalid: s.invalid }, 'stopped')
  return 0
}

export const collectCommand: Command = {
  name: 'collect',
  summary: 'merge the deltas of publishing proxies (NATS JetStream) into one central store',
  help,
  run: (argv, io) => runCollect(argv, io),
}
