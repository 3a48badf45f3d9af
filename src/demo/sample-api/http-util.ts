// Small HTTP helpers for the sample API: JSON and text responses (gzip when the client takes
// it), bounded body reading, pagination parameters and the API's error bodies.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { gzipSync } from 'node:zlib'

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(message)
  }
}

const MAX_BODY_BYTES = 256 * 1024

export function acceptsGzip(req: IncomingMessage): boolean {
  const header = req.headers['accept-encoding']
  return typeof header === 'string' && /(^|[\s,])gzip([\s;,]|$)/.test(header.slice(0, 256))
}

export interface SendOptions {
  /** compress when the client accepts gzip (list endpoints do, like many real APIs) */
  gzip?: boolean
  headers?: Record<string, string>
}

export function sendJson(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: unknown,
  options: SendOptions = {},
): void {
  sendText(req, res, status, 'application/json; charset=utf-8', JSON.stringify(body), options)
}

export function sendText(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  contentType: string,
  text: string,
  options: SendOptions = {},
): void {
  let payload = Buffer.from(text)
  const headers: Record<string, string> = { 'content-type': contentType, ...options.headers }
  if (options.gzip === true && acceptsGzip(req)) {
    payload = gzipSync(payload)
    headers['content-encoding'] = 'gzip'
    headers['vary'] = 'Accept-Encoding'
  }
  headers['content-length'] = String(payload.length)
  res.writeHead(status, headers)
  res.end(payload)
}

export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status)
  res.end()
}

export function sendProblem(req: IncomingMessage, res: ServerResponse, problem: HttpProblem): void {
  const headers: Record<string, string> =
    problem.status === 401 ? { 'www-authenticate': 'Bearer realm="lumenpay"' } : {}
  sendJson(
    req,
    res,
    problem.status,
    { error: { code: problem.code, message: problem.message, ...problem.extra } },
    { headers },
  )
}

/** Reads a JSON request body (bounded); a missing or malformed body is a 400. */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) throw new HttpProblem(413, 'payload_too_large', 'request body too large')
    chunks.push(chunk)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  const type = req.headers['content-type'] ?? ''
  if (!type.startsWith('application/json')) {
    throw new HttpProblem(415, 'unsupported_media_type', 'send application/json')
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new HttpProblem(400, 'invalid_json', 'request body is not valid JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpProblem(400, 'invalid_body', 'request body must be a JSON object')
  }
  return value as Record<string, unknown>
}

export interface Page {
  page: number
  limit: number
}

function intParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = query.get(name)
  if (raw === null) return fallback
  if (!/^[0-9]{1,6}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new HttpProblem(400, 'invalid_parameter', `${name} must be an integer from ${min} to ${max}`, {
      parameter: name,
    })
  }
  return Number(raw)
}

export function pageOf(query: URLSearchParams, defaultLimit = 20): Page {
  return { page: intParam(query, 'page', 1, 1, 10_000), limit: intParam(query, 'limit', defaultLimit, 1, 100) }
}

export function paginate<T>(
  items: readonly T[],
  { page, limit }: Page,
): { data: T[]; page: number; limit: number; total: number; nextPage: number | null } {
  const start = (page - 1) * limit
  return {
    data: items.slice(start, start + limit),
    page,
    limit,
    total: items.length,
    nextPage: start + limit < items.length ? page + 1 : null,
  }
}
