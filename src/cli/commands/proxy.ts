// `specter proxy`: config -> store -> capture -> metrics -> proxy -> admin listener, running until
// SIGTERM/SIGINT, then a graceful stop: no new connections, in-flight exchanges finish, the
// capture queue is written out, the database is closed.
import type { EventEmitter } from 'node:events'
import { ConfigInvalidError, type ConfigOverrides, type SpecterConfig } from '../../config.js'
import type { CliIo, Command } from '../command.js'
import { configFromFlags } from '../config-from-flags.js'
import { intFlag, type ParsedFlags, parseFlags, stringFlag } from '../flags.js'
import { applyHeapGrowth } from '../heap-growth.js'
import { startSpecterStack } from '../stack.js'

// Tests and benches start the stack from here; it lives in ../stack.ts, shared with the demo.
export { type SpecterStack, type StartStackOptions, startSpecterStack } from '../stack.js'

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
                      or tls://nats:4222 (publish.url; merged centrally by \`specter collect\`;
                      TLS and credentials: the nats.* settings, see docs/scale-out.md)
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

/** The flag behind each setting it overrides, named in configuration errors. */
const FLAG_NAMES = {
  'proxy.upstream': '--upstream',
  'proxy.port': '--port',
  'proxy.host': '--host',
  'admin.port': '--admin-port',
  'log.level': '--log-level',
  'publish.url': '--publish',
}

function overridesFrom(argv: string[]): { flags: ParsedFlags; overrides: ConfigOverrides } {
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
  const level = stringFlag(flags, 'log-level')
  const publish = stringFlag(flags, 'publish')
  const overrides: ConfigOverrides = {
    proxy: {
      ...(upstream !== undefined ? { upstream } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(host !== undefined ? { host } : {}),
    },
    admin: adminPort !== undefined ? { port: adminPort } : {},
    log: level !== undefined ? { level: level as SpecterConfig['log']['level'] } : {},
    publish: publish !== undefined ? { url: publish } : {},
  }
  // --db, --spec and --config: configFromFlags
  return { flags, overrides }
}

/**
 * The command body with its signal source injectable (tests emit SIGTERM on their own emitter).
 * Resolves to the exit code once stopped.
 */
export async function runProxy(argv: string[], io: CliIo, signals: EventEmitter = process): Promise<number> {
  const { flags, overrides } = overridesFrom(argv)
  const config = configFromFlags(flags, io, overrides, FLAG_NAMES)
  // Before the stack allocates anything long-lived; the proxy's own tuning, not the demo's or a test runner's.
  const heapFlag = applyHeapGrowth(config.memory.heapGrowthPercent)
  const stack = await startSpecterStack(config, { cwd: io.cwd, logStream: io.stdout })
  if (heapFlag !== undefined) stack.log.info({ v8: heapFlag }, 'heap tuning')
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
