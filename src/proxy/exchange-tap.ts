// Per-request tap state: bounded references to the body chunks that flow through (never a copy of
// the stream, never a delay), the upstream status and headers, timings; turned into an Exchange
// once the client response closes.
import type { IncomingMessage } from 'node:http'
import type { Readable } from 'node:stream'
import type { BodyCopy, Exchange, Outcome, RawHeaders } from '../capture/index.js'
import type { UpstreamErrorKind } from './upstream-error.js'

const NO_CHUNKS: Buffer[] = []
const EMPTY_HEADERS: RawHeaders = Object.freeze({}) as RawHeaders

export interface ExchangeTiming {
  /** dispatch to the upstream until its response body ended (or failed); undefined when it never answered */
  upstreamMs: number | undefined
  /** request handed to the proxy until the client response closed */
  totalMs: number
  /** totalMs minus upstreamMs: what the proxy itself added (undefined when the upstream never answered) */
  addedMs: number | undefined
  /** why the upstream failed, when it did */
  upstreamError: UpstreamErrorKind | undefined
}

/** Bounded body copy: keeps references to chunks until maxBytes are held, counts every byte. */
export class BodyTap {
  chunks: Buffer[] = NO_CHUNKS
  copiedBytes = 0
  totalBytes = 0

  constructor(private readonly maxBytes: number) {}

  add(chunk: Buffer): void {
    this.totalBytes += chunk.length
    const room = this.maxBytes - this.copiedBytes
    if (room <= 0) return
    if (this.chunks === NO_CHUNKS) this.chunks = []
    // subarray shares memory: the forwarded chunk is neither copied nor altered.
    const kept = chunk.length <= room ? chunk : chunk.subarray(0, room)
    this.chunks.push(kept)
    this.copiedBytes += kept.length
  }

  /** Freezes the copy: later chunks are only counted, so a queued Exchange never changes under the capture. */
  snapshot(): BodyCopy {
    const copy: BodyCopy = {
      chunks: this.chunks,
      copiedBytes: this.copiedBytes,
      totalBytes: this.totalBytes,
      truncated: this.totalBytes > this.copiedBytes,
    }
    this.chunks = NO_CHUNKS
    this.copiedBytes = this.maxBytes
    return copy
  }
}

export class ExchangeTap {
  readonly startPerf: number
  dispatchPerf = 0
  upstreamEndPerf = 0
  status = 0
  responseHeaders: RawHeaders = EMPTY_HEADERS
  outcome: Outcome | undefined = undefined
  upstreamError: UpstreamErrorKind | undefined = undefined
  /** the upstream response body while it is being forwarded */
  upstreamBody: Readable | undefined = undefined
  clientAddress = ''
  readonly request: BodyTap
  readonly response: BodyTap

  constructor(
    readonly raw: IncomingMessage,
    readonly sampled: boolean,
    maxBodyBytes: number,
  ) {
    this.startPerf = performance.now()
    const limit = sampled ? maxBodyBytes : 0
    this.request = new BodyTap(limit)
    this.response = new BodyTap(limit)
  }

  /** The upstream failed: remember why (the first failure wins). */
  fail(outcome: Outcome, kind: UpstreamErrorKind): void {
    if (this.outcome === undefined) {
      this.outcome = outcome
      this.upstreamError = kind
    }
    if (this.upstreamEndPerf === 0) this.upstreamEndPerf = performance.now()
  }

  /** Builds the Exchange once the client response has closed; `finished` tells a complete response from an abort. */
  finish(finished: boolean): { exchange: Exchange; timing: ExchangeTiming } {
    const endPerf = performance.now()
    const outcome: Outcome = this.outcome ?? (finished ? 'ok' : 'aborted')
    const totalMs = endPerf - this.startPerf
    const answered = this.status !== 0 && this.dispatchPerf !== 0
    const upstreamMs = answered ? (this.upstreamEndPerf || endPerf) - this.dispatchPerf : undefined
    const startMs = performance.timeOrigin + this.startPerf
    const exchange: Exchange = {
      startMs,
      endMs: startMs + totalMs,
      method: this.raw.method ?? '',
      url: this.raw.url ?? '',
      requestHeaders: this.raw.headers,
      requestBody: this.request.snapshot(),
      status: this.status,
      responseHeaders: this.responseHeaders,
      responseBody: this.response.snapshot(),
      outcome,
      clientAddress: this.clientAddress,
    }
    return {
      exchange,
      timing: {
        upstreamMs,
        totalMs,
        addedMs: upstreamMs === undefined ? undefined : Math.max(0, totalMs - upstreamMs),
        upstreamError: this.upstreamError,
      },
    }
  }
}
