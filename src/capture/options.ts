// Options of the capture pipeline: what `observe` needs per exchange and how the queue
// between the proxy's tap and the store behaves. Every field has a default here; the
// proxy maps the validated `capture` config slice onto them.
import type { ShapeLimits } from '../infer/index.js'

export interface ObserveOptions {
  /** decoded size limit per body; beyond it decoding stops with 'decompression-limit' */
  maxDecodedBytes: number
  /** per-store secret for the client key HMAC (never logged) */
  clientKeySalt: string | Buffer
  /** header names kept per message; the rest are only counted */
  maxHeaderNames: number
  /**
   * JSON text parsed per body; a longer body is shaped from its first maxParseBytes (closed at
   * the last complete member) and marked truncated. Bounds the time one exchange can take.
   */
  maxParseBytes: number
  /** query parameters and form fields read per exchange */
  maxFields: number
  /** multipart parts scanned per body */
  maxParts: number
  /** longest path kept before its tail is folded into one placeholder */
  maxPathLength: number
  shapeLimits: Partial<ShapeLimits>
  /**
   * Whether the store still wants a redacted example for this endpoint. Called after the path
   * key is known; false by default (no example is built).
   */
  wantExample: (method: string, pathKey: string, status: number) => boolean
  /** redacted example size cap, in characters of JSON text per body */
  maxExampleChars: number
  /**
   * Sensitive-data classifier for string values (PII tags on string shapes); receives the
   * property name (undefined inside arrays) and the value. No-op by default.
   */
  classify: (key: string | undefined, value: string) => string | undefined
}

export interface CaptureOptions extends ObserveOptions {
  /** exchanges waiting to be observed; beyond it new ones are dropped and counted */
  queueSize: number
  /** body bytes held by waiting exchanges; beyond it new ones are dropped and counted */
  maxQueueBytes: number
  /** observations written per store.record call */
  batchSize: number
  /** how often the queue is flushed when it is not full */
  flushIntervalMs: number
  /** observations kept in memory while the store fails; beyond it they are dropped and counted */
  retryBufferSize: number
  /** longest pause between retries while the store keeps failing */
  maxRetryIntervalMs: number
  /** longest stretch the flush loop runs before yielding to the proxy's event loop */
  sliceMs: number
}

export const DEFAULT_OBSERVE_OPTIONS: Readonly<ObserveOptions> = Object.freeze({
  maxDecodedBytes: 8 * 1024 * 1024,
  clientKeySalt: '',
  maxParseBytes: 256 * 1024,
  maxHeaderNames: 64,
  maxFields: 256,
  maxParts: 256,
  maxPathLength: 2048,
  // 5,000 nodes hold any real payload (64 sampled items of 70 fields); shaping costs several
  // microseconds a node, so this bounds one exchange to tens of milliseconds.
  shapeLimits: { maxNodes: 5_000 },
  wantExample: () => false,
  maxExampleChars: 2048,
  classify: () => undefined,
})

export const DEFAULT_CAPTURE_OPTIONS: Readonly<CaptureOptions> = Object.freeze({
  ...DEFAULT_OBSERVE_OPTIONS,
  queueSize: 10_000,
  maxQueueBytes: 32 * 1024 * 1024,
  batchSize: 500,
  flushIntervalMs: 200,
  retryBufferSize: 10_000,
  maxRetryIntervalMs: 5_000,
  sliceMs: 5,
})
