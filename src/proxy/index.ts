// proxy: the transparent reverse proxy (every request forwarded untouched) and the tap that hands finished exchanges to the capture.
export type { ExchangeTiming } from './exchange-tap.js'
export type { XForwardedMode } from './forwarded.js'
export { PROXIED_METHODS } from './http-methods.js'
export type { ExchangeEndHook, TapErrorCounts } from './safe-sink.js'
export { type ProxyOptions, type ProxyStats, type SpecterProxy, startProxy } from './start-proxy.js'
export {
  classifyUpstreamError,
  UPSTREAM_RESET,
  UPSTREAM_TIMEOUT,
  UPSTREAM_UNREACHABLE,
  type UpstreamErrorKind,
  type UpstreamFailure,
} from './upstream-error.js'
