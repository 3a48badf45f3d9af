// Hop-by-hop header handling per RFC 9110 §7.6.1: Connection and every field it names, plus
// Proxy-Connection, Keep-Alive, TE, Transfer-Encoding and Upgrade, belong to one connection and
// are never forwarded. reply-from already drops Connection and the fields it names on the way up.
import type { IncomingHttpHeaders } from 'node:http'

type Headers = Record<string, string | string[] | undefined>

/**
 * Request side, after reply-from's Connection handling. Also drops Expect: Node's server has
 * already answered `100-continue` to the client, and undici refuses to send it (a 500 otherwise).
 * Assigning undefined (undici skips it) keeps the object out of dictionary mode.
 */
export function stripRequestHopByHop(headers: Headers): void {
  if (headers['keep-alive'] !== undefined) headers['keep-alive'] = undefined
  if (headers['proxy-connection'] !== undefined) headers['proxy-connection'] = undefined
  if (headers['te'] !== undefined) headers['te'] = undefined
  if (headers['upgrade'] !== undefined) headers['upgrade'] = undefined
  if (headers['transfer-encoding'] !== undefined) headers['transfer-encoding'] = undefined
  if (headers['http2-settings'] !== undefined) headers['http2-settings'] = undefined
  if (headers['expect'] !== undefined) headers['expect'] = undefined
}

/** Response side: the upstream's connection management is not the client's. Mutates and returns `headers`. */
export function stripResponseHopByHop(headers: Headers): Headers {
  const connection = headers['connection']
  if (connection !== undefined) {
    for (const name of String(connection).split(',')) {
      const key = name.trim().toLowerCase()
      if (key !== '' && headers[key] !== undefined) delete headers[key]
    }
    delete headers['connection']
  }
  if (headers['keep-alive'] !== undefined) delete headers['keep-alive']
  if (headers['proxy-connection'] !== undefined) delete headers['proxy-connection']
  if (headers['transfer-encoding'] !== undefined) delete headers['transfer-encoding']
  if (headers['upgrade'] !== undefined) delete headers['upgrade']
  if (headers['te'] !== undefined) delete headers['te']
  return headers
}

/** Headers a WebSocket handshake sets itself; everything else from the client is passed to the upstream. */
const WS_OWN = new Set([
  'host',
  'connection',
  'upgrade',
  'keep-alive',
  'proxy-connection',
  'te',
  'transfer-encoding',
  'sec-websocket-key',
  'sec-websocket-version',
  'sec-websocket-extensions',
  'sec-websocket-protocol',
  'content-length',
])

/** The client's handshake headers worth forwarding to the upstream WebSocket (auth, cookies, custom). */
export function webSocketForwardHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const named = typeof headers.connection === 'string' ? headers.connection.toLowerCase().split(',') : []
  const out: Record<string, string | string[]> = {}
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined || WS_OWN.has(key) || named.some((n) => n.trim() === key)) continue
    out[key] = value
  }
  return out
}
