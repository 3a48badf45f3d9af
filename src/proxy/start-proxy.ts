// The transparent reverse proxy: fastify 5 + @fastify/http-proxy (undici underneath), every method
// and path forwarded, bodies streamed untouched both ways, a bounded tap handing each finished
// exchange to the capture sink. Nothing here parses, re-encodes or buffers a body.
import type { ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Readable } from 'node:stream'
import httpProxy from '@fastify/http-proxy'
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify'
import type { CaptureSink } from '../capture/index.js'
import { ConfigInvalidError, type ProxyConfig } from '../config.js'
import { ExchangeTap } from './exchange-tap.js'
import { rejectRequest } from './rejected-request.js'
import { forwardBody } from './forward-body.js'
import { applyXForwarded } from './forwarded.js'
import { stripRequestHopByHop, stripResponseHopByHop, webSocketForwardHeaders } from './hop-by-hop.js'
import { PROXIED_METHODS } from './http-methods.js'
import { type ExchangeEndHook, SafeDelivery } from './safe-sink.js'
import { classifyUpstreamError, UPSTREAM_RESET } from './upstream-error.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** per-request tap state (set by the proxy handler) */
    specterTap: ExchangeTap | null
  }
}

export interface ProxyOptions {
  /** the validated `proxy` config slice */
  config: ProxyConfig
  /** the tap's slice of the `capture` config; defaults: 1 MiB, every exchange */
  capture?: { maxBodyBytes: number; sampleRate: number }
  /** receives every sampled exchange once its response has ended (or failed, or was aborted) */
  sink?: CaptureSink
  /** called for every exchange (sampled or not), after the sink; for metrics */
  onExchangeEnd?: ExchangeEndHook
  /** told about every sink or hook failure (e.g. the capture's noteTapError, for its counter); must not throw */
  onTapError?: (err: unknown) => void
  /** a pino logger (fastify's); default: none, or one at `logLevel` */
  logger?: FastifyBaseLogger
  logLevel?: string
  /** where that logger writes (default: stdout) */
  logStream?: NodeJS.WritableStream
}

export interface ProxyStats {
  /** requests being proxied right now */
  inFlight: number
  /** sink.submit threw (swallowed) */
  sinkErrors: number
  /** onExchangeEnd threw (swallowed) */
  hookErrors: number
}

export interface SpecterProxy {
  /** base URL of the listening proxy, e.g. http://127.0.0.1:8080 */
  url: string
  port: number
  app: FastifyInstance
  log: FastifyBaseLogger
  /** true once listening, false from the moment close() is called */
  readonly accepting: boolean
  stats: () => ProxyStats
  /**
   * Graceful stop: stop accepting, let in-flight exchanges finish (up to
   * proxy.shutdownTimeoutMs, then their connections are cut). Idempotent.
   */
  close: () => Promise<void>
}

const NO_HEADERS = {}
const EVENT_STREAM = 'text/event-stream'

const isEventStream = (contentType: unknown): boolean =>
  typeof contentType === 'string' && contentType.slice(0, EVENT_STREAM.length).toLowerCase() === EVENT_STREAM

function urlOf(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`
}

function writeFailure(out: ServerResponse, status: number, body: string): void {
  out.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  })
  out.end(body)
}

/** Starts the proxy and resolves once it listens. Throws SPECTER_ERR_CONFIG_INVALID without an upstream. */
export async function startProxy(options: ProxyOptions): Promise<SpecterProxy> {
  const cfg = options.config
  if (cfg.upstream === '') {
    throw new ConfigInvalidError([
      {
        path: 'proxy.upstream',
        value: '""',
        expected: 'the URL of the API to observe (--upstream or SPECTER_PROXY_UPSTREAM)',
        source: 'defaults',
      },
    ])
  }
  const maxBodyBytes = options.capture?.maxBodyBytes ?? 1024 * 1024
  const sampleRate = options.capture?.sampleRate ?? 1
  const sampleAll = sampleRate >= 1
  const xForwarded = cfg.xForwarded

  // Node refuses a headersTimeout above a non-zero requestTimeout.
  const headersTimeout =
    cfg.requestTimeoutMs > 0 ? Math.min(cfg.headersTimeoutMs, cfg.requestTimeoutMs) : cfg.headersTimeoutMs
  // Node enforces headersTimeout and requestTimeout only when it sweeps its connections, every
  // 30 s by default: a slow client would outlive a short timeout by up to 30 s. Sweep at a quarter
  // of the shortest timeout (the sweep costs one pass over open connections).
  const connectionsCheckingInterval = Math.min(30_000, Math.max(50, Math.floor(headersTimeout / 4)))
  const logLevel = options.logLevel ?? 'silent'
  const app = Fastify({
    ...(options.logger !== undefined
      ? { loggerInstance: options.logger }
      : {
          logger:
            logLevel === 'silent'
              ? false
              : { level: logLevel, ...(options.logStream !== undefined ? { stream: options.logStream } : {}) },
        }),
    logController: new LogController({ disableRequestLogging: true }),
    // Per-request lines are off, so a per-request child logger (a pino child with its reqId
    // binding, built for every request) buys nothing: requests log through the proxy's logger.
    childLoggerFactory: (logger: FastifyBaseLogger) => logger,
    requestTimeout: cfg.requestTimeoutMs,
    keepAliveTimeout: cfg.keepAliveTimeoutMs,
    http: { headersTimeout, connectionsCheckingInterval },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    exposeHeadRoutes: false,
    // Coded JSON bodies for requests refused before forwarding, not fastify's own.
    frameworkErrors: rejectRequest,
  })
  app.setErrorHandler(rejectRequest)
  // Bodies are never parsed: declaring every method bodyless keeps fastify's content-type parsing,
  // body limit and 415s out of the way; the handler hands the raw request stream to reply-from.
  for (const method of PROXIED_METHODS) app.addHttpMethod(method, { hasBody: false, overrideExisting: true })
  app.decorateRequest('specterTap', null)

  const delivery = new SafeDelivery(options.sink, options.onExchangeEnd, app.log, options.onTapError)
  let inFlight = 0
  let accepting = false

  function onResponseClose(tap: ExchangeTap, out: ServerResponse): void {
    inFlight--
    const source = tap.upstreamBody
    if (source !== undefined) {
      // The client went away mid-response: stop reading from the upstream.
      tap.upstreamBody = undefined
      source.destroy()
    }
    const finished = out.writableFinished
    // Answered by the proxy itself (a rejected path): not an exchange with the API.
    if (tap.status === 0 && tap.outcome === undefined && finished) return
    if (!delivery.wantsExchange) return
    const { exchange, timing } = tap.finish(finished)
    if (tap.sampled) delivery.submit(exchange)
    delivery.ended(exchange, timing)
  }

  function handler(request: FastifyRequest, reply: FastifyReply, dest: string, replyOptions: object): unknown {
    const raw = request.raw
    const sampled = sampleAll || Math.random() < sampleRate
    const tap = new ExchangeTap(raw, sampled, maxBodyBytes)
    request.specterTap = tap
    if (sampled) tap.clientAddress = raw.socket.remoteAddress ?? ''
    inFlight++
    const out = reply.raw
    out.once('close', () => onResponseClose(tap, out))
    const headers = raw.headers
    const contentLength = headers['content-length']
    const method = raw.method
    if (
      (headers['transfer-encoding'] !== undefined || (contentLength !== undefined && contentLength !== '0')) &&
      // reply-from refuses a body on GET and HEAD (RFC 9110 gives it no meaning): it is dropped
      // there, and its framing headers with it (rewriteRequestHeaders).
      method !== 'GET' &&
      method !== 'HEAD'
    ) {
      // reply-from streams a Stream body as-is; fastify never read it (every method is bodyless).
      ;(request as { body: unknown }).body = raw
      if (delivery.wantsExchange) {
        // Paused first so that adding a 'data' listener does not start the flow before undici
        // attaches its own listener and resumes: no chunk can be missed, none is held back.
        const copy = tap.request
        raw.pause()
        raw.on('data', (chunk: Buffer) => copy.add(chunk))
      }
    }
    tap.dispatchPerf = performance.now()
    return reply.from(dest, replyOptions)
  }

  function onResponse(
    request: FastifyRequest,
    reply: FastifyReply,
    res: { statusCode: number; headers: unknown; stream: Readable },
  ): void {
    const tap = request.specterTap!
    const source = res.stream
    if (reply.sent || reply.raw.destroyed) {
      // reply-from already answered (an invalid upstream status code), or the client is gone
      source.destroy()
      return
    }
    reply.hijack()
    const out = reply.raw
    const headers = tap.responseHeaders as Record<string, string | string[]>
    // An HTTP/1 connection cannot be reused before its request body is consumed.
    if (!request.raw.complete) headers['connection'] = 'close'
    try {
      out.writeHead(res.statusCode, headers)
    } catch {
      // Invalid upstream header or status: the client gets a 502, never a half-written head.
      source.destroy()
      tap.fail(UPSTREAM_RESET.outcome, UPSTREAM_RESET.kind)
      writeFailure(out, UPSTREAM_RESET.status, UPSTREAM_RESET.body)
      return
    }
    tap.status = res.statusCode
    // Server-sent events: the client must see the head now, not with the first event.
    if (isEventStream(headers['content-type'])) out.flushHeaders()
    forwardBody(source, out, tap)
  }

  function onError(reply: FastifyReply, { error }: { error: Error }): void {
    const tap = reply.request.specterTap
    const clientGone = reply.request.raw.socket?.destroyed === true
    const failure = classifyUpstreamError(error)
    if (tap !== null && !clientGone) tap.fail(failure.outcome, failure.kind)
    if (reply.sent || reply.raw.headersSent || clientGone) return
    reply.code(failure.status).header('content-type', 'application/json; charset=utf-8').send(failure.body)
  }

  await app.register(httpProxy, {
    upstream: cfg.upstream,
    httpMethods: [...PROXIED_METHODS],
    websocket: true,
    wsClientOptions: {
      handshakeTimeout: cfg.connectTimeoutMs + cfg.upstreamTimeoutMs,
      // The default forwards only cookies; a transparent proxy forwards every end-to-end header.
      rewriteRequestHeaders: (_headers: unknown, request: FastifyRequest) => webSocketForwardHeaders(request.headers),
    } as object,
    internalRewriteLocationHeader: false,
    disableRequestLogging: true,
    destroyAgent: true,
    undici: {
      connectTimeout: cfg.connectTimeoutMs,
      headersTimeout: cfg.upstreamTimeoutMs,
      bodyTimeout: cfg.upstreamBodyIdleTimeoutMs,
    },
    handler,
    replyOptions: {
      // reply-from retries GETs answered 503 up to ten times by default: the client must see the 503.
      retryDelay: () => null,
      rewriteRequestHeaders: (request, headers) => {
        const h = headers as Record<string, string | string[] | undefined>
        stripRequestHopByHop(h)
        const method = (request as FastifyRequest).raw.method
        if ((method === 'GET' || method === 'HEAD') && h['content-length'] !== undefined)
          h['content-length'] = undefined
        applyXForwarded(xForwarded, (request as FastifyRequest).raw, h)
        return headers
      },
      rewriteHeaders: (headers, request) => {
        // Keep the upstream's own header object for writeHead; reply-from then copies nothing.
        const tap = request?.specterTap
        if (tap != null) tap.responseHeaders = stripResponseHopByHop(headers as Record<string, string | string[]>)
        return NO_HEADERS
      },
      onResponse: onResponse as never,
      onError: onError as never,
    },
  })

  app.addHook('preClose', (done) => {
    // fastify closes the listening socket right after this hook: in-flight requests carry on.
    app.log.info({ inFlight }, 'proxy closing: no new connections, finishing in-flight requests')
    done()
  })

  await app.listen({ host: cfg.host, port: cfg.port })
  accepting = true
  const port = (app.server.address() as AddressInfo).port
  const url = urlOf(cfg.host, port)
  app.log.info({ url, upstream: cfg.upstream }, 'proxy listening')

  let closing: Promise<void> | undefined
  return {
    url,
    port,
    app,
    log: app.log,
    get accepting() {
      return accepting
    },
    stats: () => ({ inFlight, ...delivery.counts }),
    close: () => {
      if (closing !== undefined) return closing
      accepting = false
      const force = setTimeout(() => app.server.closeAllConnections(), cfg.shutdownTimeoutMs)
      force.unref()
      closing = app.close().finally(() => clearTimeout(force))
      return closing
    },
  }
}
