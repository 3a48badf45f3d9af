// The embedded sample API ("Lumen Pay": customers, accounts, cards, a small shop, payments and
// a back office) as a real node:http server on loopback, for the demo and for tests.
import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { generateSampleData } from './data.js'
import { HttpProblem, sendProblem } from './http-util.js'
import { createRandom } from './random.js'
import { type Route, type RouteContext, routes } from './routes.js'

export interface SampleApiOptions {
  /** seed of the generated data set (default 7) */
  seed?: number
  /** default 127.0.0.1; the sample API only ever listens on loopback */
  host?: '127.0.0.1' | '::1' | 'localhost'
  /** default 0: any free port */
  port?: number
  /** which bearer tokens are valid; default: any token of 16 to 512 characters */
  acceptToken?: (token: string) => boolean
}

export interface SampleApi {
  /** e.g. http://127.0.0.1:40123 */
  url: string
  port: number
  server: Server
  /** requests answered so far */
  requestsServed: () => number
  /** accounts in the data set (ids 1..accountCount) */
  accountCount: number
  close: () => Promise<void>
}

interface CompiledRoute {
  route: Route
  segments: string[]
}

const compiled: CompiledRoute[] = routes.map((route) => ({ route, segments: route.pattern.split('/').slice(1) }))

/** Every route whose pattern matches the path, with its parameters (the method is checked by the caller). */
function match(path: string): Array<{ route: Route; params: Record<string, string> }> {
  const parts = path.split('/').slice(1)
  const matches: Array<{ route: Route; params: Record<string, string> }> = []
  for (const { route, segments } of compiled) {
    if (segments.length !== parts.length) continue
    const params: Record<string, string> = {}
    let ok = true
    for (let i = 0; i < segments.length && ok; i++) {
      const seg = segments[i] as string
      const part = parts[i] as string
      if (seg.startsWith(':')) params[seg.slice(1)] = part
      else ok = seg === part
    }
    if (ok) matches.push({ route, params })
  }
  return matches
}

const defaultAcceptToken = (token: string): boolean => token.length >= 16 && token.length <= 512

/** Starts the sample API and resolves once it listens. */
export async function startSampleApi(options: SampleApiOptions = {}): Promise<SampleApi> {
  const data = generateSampleData({ seed: options.seed ?? 7 })
  // Ids of objects created while running come from their own stream, so the seeded data stays stable.
  const idRandom = createRandom((options.seed ?? 7) ^ 0x5eed)
  const acceptToken = options.acceptToken ?? defaultAcceptToken
  const startedMs = Date.now()
  let served = 0

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sample.invalid')
    const matches = match(url.pathname)
    if (matches.length === 0) throw new HttpProblem(404, 'not_found', `no route for ${url.pathname}`)
    const found = matches.find((m) => m.route.method === req.method)
    if (found === undefined) {
      res.setHeader('allow', matches.map((m) => m.route.method).join(', '))
      throw new HttpProblem(405, 'method_not_allowed', `${req.method ?? ''} is not allowed here`)
    }
    if (found.route.auth) {
      const header = req.headers.authorization ?? ''
      let token = header.startsWith('Bearer ') ? header.slice(7) : ''
      // The legacy /v1 API took the key in the query string; old app builds still send it that way.
      if (token === '' && found.route.pattern.startsWith('/v1/')) token = url.searchParams.get('api_key') ?? ''
      if (!acceptToken(token)) throw new HttpProblem(401, 'unauthorized', 'a valid bearer token is required')
    }
    const ctx: RouteContext = {
      req,
      res,
      params: found.params,
      query: url.searchParams,
      data,
      nextUuid: () => idRandom.uuid(),
      startedMs,
      requestsServed: () => served,
    }
    await found.route.handle(ctx)
  }

  const server = createServer((req, res) => {
    served++
    res.setHeader('x-request-id', idRandom.hex(16))
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy()
        return
      }
      const problem =
        err instanceof HttpProblem ? err : new HttpProblem(500, 'internal_error', 'unexpected error in the sample API')
      // Drain what is left of a rejected request body so the keep-alive connection stays usable.
      req.resume()
      sendProblem(req, res, problem)
    })
  })
  server.keepAliveTimeout = 5_000
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  const host = (options.host ?? '127.0.0.1') === '::1' ? '[::1]' : (options.host ?? '127.0.0.1')
  return {
    url: `http://${host}:${port}`,
    port,
    server,
    requestsServed: () => served,
    accountCount: data.accounts.length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
