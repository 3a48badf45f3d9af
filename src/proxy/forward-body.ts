// Hand-wired piping of the upstream body to the client. stream.pipeline() cost ~12% of the proxy's
// CPU in a Node 20 profile; this does the same job (backpressure, error propagation both ways)
// with three listeners, and hands each chunk to the tap on the way.
import type { ServerResponse } from 'node:http'
import type { Readable } from 'node:stream'
import type { ExchangeTap } from './exchange-tap.js'
import { classifyUpstreamError } from './upstream-error.js'

/**
 * Streams `source` into `out` (headers already written). The client going away is handled by the
 * response 'close' listener the proxy installs per request: it destroys `source` if still open.
 */
export function forwardBody(source: Readable, out: ServerResponse, tap: ExchangeTap): void {
  const response = tap.response
  const resume = (): void => {
    source.resume()
  }
  tap.upstreamBody = source
  source.on('data', (chunk: Buffer) => {
    response.add(chunk)
    if (!out.write(chunk)) {
      source.pause()
      out.once('drain', resume)
    }
  })
  source.once('end', () => {
    tap.upstreamEndPerf = performance.now()
    tap.upstreamBody = undefined
    out.end()
  })
  source.once('error', (err: Error) => {
    tap.upstreamBody = undefined
    // Headers are gone already: the only honest signal left to the client is a cut connection.
    if (!out.writableFinished) {
      const failure = classifyUpstreamError(err)
      tap.fail(failure.outcome, failure.kind)
      out.destroy()
    }
  })
}
