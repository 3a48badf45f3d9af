// The admin listener: health, readiness, Prometheus metrics and the admin API, on its own port
// (127.0.0.1 by default), apart from proxied traffic. Every error answer is a coded JSON body;
// stack traces and internal messages never leave the process.
import type { AddressInfo } from 'node:net'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import type { Registry } from 'prom-client'
import { stringify as toYaml } from 'yaml'
import { SEVERITIES, type Severity } from '../diff/index.js'
import {
  adminUnavailable,
  badRequest,
  type ErrorCode,
  internalError,
  isSpecterError,
  notFound,
  type SpecterError,
  unauthorized,
} from '../errors.js'
import { bearerToken, isLoopbackHost, tokenMatches } from './auth.js'
import type { AdminSources, FindingFilter } from './sources.js'

export interface AdminServerOptions {
  host: string
  port: number
  /** admin.token ('' when none is set) */
  token: string
  /** admin.metricsRequireToken */
  metricsRequireToken: boolean
  /** the registry createMetrics filled */
  registry: Registry
  sources?: AdminSources
  /** called once per unexpected failure (never with secrets: errors carry no request data) */
  onError?: (err: unknown) => void
}

export interface AdminServer {
  /** e.g. http://127.0.0.1:9091 */
  url: string
  port: number
  /** installs or replaces sources as the components behind them come up */
  setSources: (sources: AdminSources) => void
  close: () => Promise<void>
}

type Access = 'open' | 'token' | 'metrics'

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access
  }
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  SPECTER_ERR_BAD_REQUEST: 400,
  SPECTER_ERR_UNAUTHORIZED: 401,
  SPECTER_ERR_NOT_FOUND: 404,
  SPECTER_ERR_ADMIN_UNAVAILABLE: 503,
}

const RULE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/
const FINDING_ID = /^[1-9][0-9]{0,15}$/
const FINDING_FILTERS: ReadonlySet<string> = new Set(['rule', 'severity', 'acknowledged'])

function sendError(reply: FastifyReply, err: SpecterError, status = STATUS[err.code] ?? 500): FastifyReply {
  if (status === 401) reply.header('www-authenticate', 'Bearer realm="specter-admin"')
  return reply.code(status).type('application/json; charset=utf-8').send({
    statusCode: status,
    code: err.code,
    message: err.message,
  })
}

function findingFilter(query: unknown): FindingFilter {
  const filter: FindingFilter = {}
  const q = (query ?? {}) as Record<string, unknown>
  for (const [key, value] of Object.entries(q)) {
    if (!FINDING_FILTERS.has(key)) {
      throw badRequest(`query parameter "${key.slice(0, 40)}"`, 'unknown filter; use rule, severity or acknowledged')
    }
    if (typeof value !== 'string') throw badRequest(`query parameter "${key}"`, 'give it once')
  }
  const { rule, severity, acknowledged } = q as Record<string, string | undefined>
  if (rule !== undefined) {
    if (!RULE_ID.test(rule)) throw badRequest('query parameter "rule"', 'expected a kebab-case rule id')
    filter.rule = rule
  }
  if (severity !== undefined) {
    if (!(SEVERITIES as readonly string[]).includes(severity)) {
      throw badRequest('query parameter "severity"', `expected one of ${SEVERITIES.join(', ')}`)
    }
    filter.severity = severity as Severity
  }
  if (acknowledged !== undefined) {
    if (acknowledged !== 'true' && acknowledged !== 'false') {
      throw badRequest('query parameter "acknowledged"', 'expected true or false')
    }
    filter.acknowledged = acknowledged === 'true'
  }
  return filter
}

function need<T>(source: T | undefined, what: string, why: string): T {
  if (source === undefined) throw adminUnavailable(what, why)
  return source
}

/** Starts the admin listener. Resolves once it is listening. */
export async function startAdminServer(options: AdminServerOptions): Promise<AdminServer> {
  let sources: AdminSources = { ...options.sources }
  const { token, registry } = options
  // Without a token the API is open only to this machine: a listener on another interface
  // refuses it rather than serving inventory and findings to the network.
  const openWithoutToken = token === '' && isLoopbackHost(options.host)
  const app: FastifyInstance = Fastify({
    logger: false,
    bodyLimit: 16 * 1024,
    routerOptions: { maxParamLength: 64 },
    // Errors raised before routing (a malformed URL, bad percent-encoding) get the same coded body.
    frameworkErrors: (err, _request, reply) => {
      sendError(reply, badRequest('the request URL', err.message.slice(0, 200)), 400)
    },
  })

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    // Unmatched /api/ paths need the token too, so a caller without it cannot map the API by its 404s.
    const unmatchedApi = request.routeOptions.url === undefined && request.url.startsWith('/api/')
    const access = unmatchedApi ? 'token' : (request.routeOptions.config?.access ?? 'open')
    if (access === 'open' || (access === 'metrics' && !options.metricsRequireToken)) return
    if (token === '') {
      if (openWithoutToken) return
      return sendError(
        reply,
        unauthorized(
          `${request.method} ${request.routeOptions.url ?? 'this route'} (admin.token is not set and the admin listener is not on loopback)`,
        ),
      )
    }
    if (!tokenMatches(bearerToken(request.headers.authorization), token)) {
      return sendError(reply, unauthorized(`${request.method} ${request.routeOptions.url ?? 'this route'}`))
    }
  })

  app.setErrorHandler((err: unknown, _request, reply) => {
    if (isSpecterError(err)) return sendError(reply, err)
    const status = (err as { statusCode?: unknown }).statusCode
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // Fastify's own client errors (malformed JSON, body too large, bad content type).
      const message = err instanceof Error ? err.message.slice(0, 200) : 'malformed request'
      return sendError(reply, badRequest('the request', message), status)
    }
    options.onError?.(err)
    return sendError(reply, internalError('the admin API', err))
  })

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? ''
    sendError(reply, notFound(`${request.method.slice(0, 10)} ${path.slice(0, 100)}`))
  })

  app.get('/healthz', { config: { access: 'open' } }, async () => ({ status: 'ok' }))

  app.get('/readyz', { config: { access: 'open' } }, async (_request, reply) => {
    let ready = true
    try {
      ready = sources.ready === undefined ? true : await sources.ready()
    } catch (err) {
      options.onError?.(err)
      ready = false
    }
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready' })
  })

  app.get('/metrics', { config: { access: 'metrics' } }, async (_request, reply) => {
    const text = await registry.metrics()
    return reply.type(registry.contentType).header('cache-control', 'no-store').send(text)
  })

  app.get('/api/operations', { config: { access: 'token' } }, async (_request, reply) => {
    const operations = await need(sources.operations, 'the operation inventory', 'no store is open')()
    return reply.header('cache-control', 'no-store').send({ operations })
  })

  app.get('/api/findings', { config: { access: 'token' } }, async (request, reply) => {
    const filter = findingFilter(request.query)
    const findings = await need(sources.findings, 'findings', 'no published spec is configured (spec.path)').list(
      filter,
    )
    return reply.header('cache-control', 'no-store').send({ findings })
  })

  app.post<{ Params: { id: string } }>(
    '/api/findings/:id/ack',
    { config: { access: 'token' } },
    async (request, reply) => {
      const { id } = request.params
      if (!FINDING_ID.test(id)) throw badRequest('path parameter "id"', 'expected a positive integer finding id')
      const store = need(sources.findings, 'findings', 'no published spec is configured (spec.path)')
      if (!(await store.acknowledge(Number(id)))) throw notFound(`finding ${id}`)
      return reply.send({ id: Number(id), acknowledged: true })
    },
  )

  const openApi = (): unknown => need(sources.openApi, 'the inferred OpenAPI document', 'no store is open')()

  app.get('/api/openapi.json', { config: { access: 'token' } }, async (_request, reply) => {
    return reply
      .type('application/json; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(JSON.stringify(openApi(), null, 2))
  })

  app.get('/api/openapi.yaml', { config: { access: 'token' } }, async (_request, reply) => {
    return reply.type('application/yaml; charset=utf-8').header('cache-control', 'no-store').send(toYaml(openApi()))
  })

  app.get('/report', { config: { access: 'token' } }, async (_request, reply) => {
    const html = await need(sources.reportHtml, 'the report', 'no published spec is configured (spec.path)')()
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .send(html)
  })

  await app.listen({ host: options.host, port: options.port })
  const address = app.server.address() as AddressInfo
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    url: `http://${hostForUrl}:${address.port}`,
    port: address.port,
    setSources: (next) => {
      sources = { ...sources, ...next }
    },
    close: async () => {
      await app.close()
    },
  }
}
