// A raw HTTP client for proxy tests: node:http, no decompression, no header normalisation beyond
// Node's, so bytes and headers can be compared exactly.
import { createHash } from 'node:crypto'
import { type IncomingHttpHeaders, type OutgoingHttpHeaders, request as httpRequest } from 'node:http'

export interface RawResponse {
  status: number
  headers: IncomingHttpHeaders
  /** [name, value, name, value...] as received */
  rawHeaders: string[]
  body: Buffer
}

export interface RawRequestOptions {
  method?: string
  headers?: OutgoingHttpHeaders
  body?: Buffer | string | undefined
  /** request target sent verbatim (the URL's path is normalised by the URL parser) */
  path?: string
}

/** Sends one request on a fresh connection and buffers the whole response. */
export function send(url: string, options: RawRequestOptions = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url)
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
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            body: Buffer.concat(chunks),
          }),
        )
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

export const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex')

/** Reads a request body completely (upstream side). */
export async function readBody(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk)
  return Buffer.concat(chunks)
}
