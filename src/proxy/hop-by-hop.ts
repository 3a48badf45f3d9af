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

/** Fields that belong to one connection, whatever Connection names. */
const RESPONSE_HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
])

/**
 * Response side: the upstream's connection management is not the client's. Returns `headers`
 * itself when nothing is to go, else a new object without those fields: deleting them from the
 * upstream's object would turn it into a slow dictionary-mode object for every later reader.
 */
export function stripResponseHopByHop(headers: Headers): Headers {
  const connection = headers['connection']
  let named: Set<string> | undefined
  if (connection !== undefined) {
    const text = String(connection)
    if (text !== 'keep-alive' && text !== 'close') {
      named = new Set()
      for (const name of text.split(',')) named.add(name.trim().toLowerCase())
    }
  } else if (
    headers['keep-alive'] === undefined &&
    headers['proxy-connection'] === undefined &&
    headers['transfer-encoding'] === undefined &&
    headers['upgrade'] === undefined &&
    headers['te'] === undefined
  ) {
    return headers
  }
  const kept: Headers = {}
  for (const key in headers) {
    if (!Object.hasOwn(headers, key) || RESPONSE_HOP_BY_HOP.has(key) || named?.has(key) === true) continue
    kept[key] = headers[key]
  }
  return kept
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
