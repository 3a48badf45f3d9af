// Reads one spec document's bytes from a local file or an http(s) URL, bounded in time and size.
import { readFile, stat } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { SpecterError, specUnreadable } from '../errors.js'

export interface ReadSourceOptions {
  timeoutMs: number
  maxBytes: number
}

function tooLarge(source: string, maxBytes: number): SpecterError {
  return specUnreadable(source, new Error(`larger than the ${maxBytes}-byte limit (spec.maxBytes)`))
}

/** Reads a file: or http(s): URL as UTF-8 text. Throws SPECTER_ERR_SPEC_UNREADABLE. */
export async function readSource(url: URL, display: string, options: ReadSourceOptions): Promise<string> {
  if (url.protocol === 'file:') {
    const file = fileURLToPath(url)
    try {
      const info = await stat(file)
      if (!info.isFile()) throw new Error('not a regular file')
      if (info.size > options.maxBytes) throw tooLarge(display, options.maxBytes)
      return await readFile(file, 'utf8')
    } catch (err) {
      if (err instanceof SpecterError) throw err
      throw specUnreadable(display, err)
    }
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw specUnreadable(display, new Error(`unsupported scheme ${url.protocol} (file, http and https are)`))
  }
  try {
    const res = await fetch(url, {
      signal: AbortSignal.timeout(options.timeoutMs),
      headers: { accept: 'application/json, application/yaml, text/yaml, */*;q=0.5' },
    })
    if (!res.ok) throw new Error(`HTTP ${res.status}`)
    const declared = Number(res.headers.get('content-length') ?? '0')
    if (declared > options.maxBytes) {
      await res.body?.cancel()
      throw tooLarge(display, options.maxBytes)
    }
    if (res.body === null) return ''
    const chunks: Uint8Array[] = []
    let total = 0
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      total += chunk.byteLength
      // A missing or lying content-length must not let the body grow past the limit.
      if (total > options.maxBytes) throw tooLarge(display, options.maxBytes)
      chunks.push(chunk)
    }
    return Buffer.concat(chunks).toString('utf8')
  } catch (err) {
    if (err instanceof SpecterError) throw err
    const cause =
      err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')
        ? new Error(`no complete answer within ${options.timeoutMs} ms (spec.timeoutMs)`, { cause: err })
        : err
    throw specUnreadable(display, cause)
  }
}
