// capture: proxied exchanges -> observations (names, kinds, shapes; never secret values), queued and batched into the store.
export { type Capture, type CaptureStats, createCapture, type ObservationSink } from './capture.js'
export type { BodyCopy, CaptureSink, Exchange, RawHeaders } from './exchange.js'
export type { BodyKind, BodySummary, Observation, Outcome } from './observation.js'
export { observe } from './observe.js'
export {
  type CaptureOptions,
  DEFAULT_CAPTURE_OPTIONS,
  DEFAULT_OBSERVE_OPTIONS,
  type ObserveOptions,
} from './options.js'
