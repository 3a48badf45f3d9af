// Mirrors a cumulative total kept elsewhere (the capture pipeline's stats(), the store's) into a
// prom-client counter at scrape time. Counters only go up: a total that went down (a component
// restarted) is taken as a fresh start, as Prometheus' rate() does for counter resets.
import type { Counter } from 'prom-client'

export class CounterSync<L extends string = string> {
  #last = 0

  constructor(
    readonly counter: Counter<L>,
    readonly labels?: Partial<Record<L, string>>,
  ) {}

  /** Brings the counter to `total`. */
  update(total: number): void {
    if (!Number.isFinite(total) || total < 0) return
    const delta = total >= this.#last ? total - this.#last : total
    this.#last = total
    if (delta <= 0) return
    if (this.labels === undefined) this.counter.inc(delta)
    else this.counter.inc(this.labels, delta)
  }
}
