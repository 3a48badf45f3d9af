// Shared tools of the fault suite: a client that reports aborted streams instead of throwing,
// raw TCP servers and clients for invalid HTTP, a metrics scraper, and the store's outcomes.
import { once } from 'node:events'
import { readdirSync } from 'node:fs'
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http'
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net'
import { onTestFinished } from 'vitest'
import type { Store } from '../../src/store/index.js'

export interface ClientResult {
  /** 0 when no response head arrived */
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
  /** the response stream ended early (connection cut after the head) or the request failed */
  aborted: boolean
  error?: string
}

/** One request on a fresh connection; never rejects: failures are reported in the result. */
export function attempt(
  url: string,
  options: { method?: string; headers?: OutgoingHttpHeaders; body?: Buffer | string; path?: string } = {},
): Promise<ClientResult> {
  return new Promise((resolve) => {
    const target = new URL(url)
    let status = 0
    let headers: ClientResult['headers'] = {}
    const chunks: Buffer[] = []
    let settled = false
    const done = (aborted: boolean, error?: string): void => {
      if (settled) return
      settled = true
      resolve({ status, headers, body: Buffer.concat(chunks), aborted, ...(error !== undefined ? { error } : {}) })
    }
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: options.path ?? `${target.pathname}${target.search}`,
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: false,
      },
      (res) => {
        status = res.statusCode ?? 0
        headers = res.headers
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => done(!res.complete))
        res.on('aborted', () => done(true, 'aborted'))
        res.on('error', (err) => done(true, err.message))
        res.on('close', () => done(!res.complete, res.complete ? undefined : 'closed'))
      },
    )
    req.on('error', (err) => done(true, err.message))
    req.end(options.body)
  })
}

/** A raw TCP server on 127.0.0.1:0 whose connections get `onSocket`; closed after the test. */
export async function startRawServer(onSocket: (socket: Socket) => void): Promise<{ url: string; server: Server }> {
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    onSocket(socket)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  )
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}

/** Opens a raw TCP connection to a loopback URL; destroyed after the test. */
export async function rawConnect(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url)
  const socket = connect(Number(port), hostname)
  socket.on('error', () => {})
  onTestFinished(() => {
    socket.destroy()
  })
  await once(socket, 'connect')
  return socket
}

/** Everything a socket receives until it closes (or `limitMs` passes). */
export function readUntilClose(socket: Socket, limitMs: number): Promise<{ data: string; closed: boolean }> {
  return new Promise((resolve) => {
    let data = ''
    const timer = setTimeout(() => resolve({ data, closed: false }), limitMs)
    socket.on('data', (c: Buffer) => {
      data += c.toString('latin1')
    })
    socket.on('close', () => {
      clearTimeout(timer)
      resolve({ data, closed: true })
    })
  })
}

/** The Prometheus text exposition of the admin listener. */
export async function scrape(adminUrl: string, token?: string): Promise<string> {
  const res = await fetch(
    `${adminUrl}/metrics`,
    token !== undefined ? { headers: { authorization: `Bearer ${token}` } } : {},
  )
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`)
  return res.text()
}

/** Sum of the samples of `name` whose labels include every pair of `labels`. */
export function metricValue(exposition: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0
  for (const line of exposition.split('\n')) {
    if (line.startsWith('#')) continue
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$/.exec(line)
    if (m === null || m[1] !== name) continue
    const labelText = m[2] ?? ''
    if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) sum += Number(m[3])
  }
  return sum
}

/** Distinct series (sample lines) in an exposition. */
export const seriesCount = (exposition: string): number =>
  exposition.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length

/** outcome -> count over every exchange row of the store. */
export function outcomes(store: Store): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const e of store.inventory().endpoints) {
    for (const x of e.exchanges) counts[x.outcome] = (counts[x.outcome] ?? 0) + x.count
  }
  return counts
}

/** Open file descriptors of this process (Linux). */
export const openFds = (): number => readdirSync('/proc/self/fd').length
