// Real upstream servers for proxy tests: 127.0.0.1, a free port, closed when the test finishes.
import { once } from 'node:events'
import { createServer, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { onTestFinished } from 'vitest'

export interface Upstream {
  url: string
  server: Server
}

/** Starts an HTTP server on 127.0.0.1:0 and returns its base URL; it is closed when the test finishes. */
export async function startUpstream(handler: RequestListener): Promise<string> {
  return (await startUpstreamServer(handler)).url
}

/** Like startUpstream, also giving the server (for 'upgrade' listeners and connection counts). */
export async function startUpstreamServer(handler: RequestListener): Promise<Upstream> {
  const server = createServer(handler)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}

/** A loopback URL nothing listens on: a port that was free a moment ago. */
export async function unusedUrl(): Promise<string> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}`
}
