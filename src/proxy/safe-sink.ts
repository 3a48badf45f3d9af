// Fail open: the capture sink and the exchange-end hook run on the proxy's thread, so anything they
// throw is swallowed here, logged once per kind and counted; the client never sees it.
import type { FastifyBaseLogger } from 'fastify'
import type { CaptureSink, Exchange } from '../capture/index.js'
import type { ExchangeTiming } from './exchange-tap.js'

export type ExchangeEndHook = (exchange: Exchange, timing: ExchangeTiming) => void

export interface TapErrorCounts {
  /** sink.submit threw */
  sinkErrors: number
  /** onExchangeEnd threw */
  hookErrors: number
}

function describe(err: unknown): { name: string; code?: string; message: string } {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code
    return { name: err.name, ...(typeof code === 'string' ? { code } : {}), message: err.message.slice(0, 200) }
  }
  return { name: typeof err, message: 'non-Error value thrown' }
}

export class SafeDelivery {
  readonly counts: TapErrorCounts = { sinkErrors: 0, hookErrors: 0 }

  constructor(
    private readonly sink: CaptureSink | undefined,
    private readonly hook: ExchangeEndHook | undefined,
    private readonly log: FastifyBaseLogger,
    private readonly onTapError: ((err: unknown) => void) | undefined,
  ) {}

  private report(err: unknown): void {
    if (this.onTapError === undefined) return
    try {
      this.onTapError(err)
    } catch {
      // the reporter is an observer too: it must not reach the client either
    }
  }

  get wantsExchange(): boolean {
    return this.sink !== undefined || this.hook !== undefined
  }

  submit(exchange: Exchange): void {
    if (this.sink === undefined) return
    try {
      this.sink.submit(exchange)
    } catch (err) {
      this.report(err)
      if (this.counts.sinkErrors++ === 0) {
        // Only the error itself: an exchange carries secrets and is never logged.
        this.log.error(
          { err: describe(err) },
          'capture sink failed; exchanges keep flowing, further failures are only counted',
        )
      }
    }
  }

  ended(exchange: Exchange, timing: ExchangeTiming): void {
    if (this.hook === undefined) return
    try {
      this.hook(exchange, timing)
    } catch (err) {
      this.report(err)
      if (this.counts.hookErrors++ === 0) {
        this.log.error({ err: describe(err) }, 'onExchangeEnd hook failed; further failures are only counted')
      }
    }
  }
}
