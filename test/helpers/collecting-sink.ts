// A real CaptureSink for tap tests: keeps every Exchange it is given, resolves waiters as they arrive.
import type { CaptureSink, Exchange } from '../../src/capture/index.js'
import type { ExchangeTiming } from '../../src/proxy/index.js'

export class CollectingSink implements CaptureSink {
  readonly exchanges: Exchange[] = []
  private waiters: Array<{ count: number; resolve: () => void }> = []

  submit(exchange: Exchange): void {
    this.exchanges.push(exchange)
    this.waiters = this.waiters.filter((w) => {
      if (this.exchanges.length < w.count) return true
      w.resolve()
      return false
    })
  }

  /** Nothing is queued: every submitted exchange is already in `exchanges`. */
  async drain(): Promise<void> {}

  /** Resolves once `count` exchanges have arrived (an exchange is submitted when its response closes). */
  waitFor(count: number): Promise<Exchange[]> {
    if (this.exchanges.length >= count) return Promise.resolve(this.exchanges)
    return new Promise((resolve) => {
      this.waiters.push({ count, resolve: () => resolve(this.exchanges) })
    })
  }
}

/** Joins a BodyCopy's chunks. */
export const bytesOf = (copy: { chunks: Buffer[] }): Buffer => Buffer.concat(copy.chunks)

/** Records onExchangeEnd calls; waitFor resolves once `count` have arrived. */
export class EndRecorder {
  readonly calls: Array<{ exchange: Exchange; timing: ExchangeTiming }> = []
  private waiters: Array<{ count: number; resolve: () => void }> = []

  readonly hook = (exchange: Exchange, timing: ExchangeTiming): void => {
    this.calls.push({ exchange, timing })
    this.waiters = this.waiters.filter((w) => {
      if (this.calls.length < w.count) return true
      w.resolve()
      return false
    })
  }

  waitFor(count: number): Promise<void> {
    if (this.calls.length >= count) return Promise.resolve()
    return new Promise((resolve) => {
      this.waiters.push({ count, resolve })
    })
  }
}
