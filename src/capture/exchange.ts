// One proxied exchange as the proxy hands it to the capture tap. Lives in memory only, for
// the time it waits in the queue: it holds raw headers and body copies, secrets included,
// and must never be logged or written anywhere. `observe` turns it into an Observation.
import type { Outcome } from './observation.js'

export type RawHeaders = Record<string, string | string[] | undefined>

export interface BodyCopy {
  /** bounded copy of the bytes on the wire (still content-encoded) */
  chunks: Buffer[]
  /** bytes copied into chunks */
  copiedBytes: number
  /** bytes that went through, copied or not */
  totalBytes: number
  /** more bytes went through than were copied */
  truncated: boolean
}

export interface Exchange {
  startMs: number
  /** when the response ended (or failed) */
  endMs: number
  method: string
  /** request target as received: path and query */
  url: string
  requestHeaders: RawHeaders
  requestBody: BodyCopy
  /** 0 when the upstream never answered */
  status: number
  responseHeaders: RawHeaders
  responseBody: BodyCopy
  outcome: Outcome
  clientAddress: string
}

/** What the proxy needs from the capture pipeline. `submit` never throws and never blocks. */
export interface CaptureSink {
  submit: (exchange: Exchange) => void
  /** resolves when everything submitted so far is written to the store */
  drain: () => Promise<void>
}
