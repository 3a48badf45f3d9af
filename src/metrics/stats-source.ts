// Components keep their own counters (the capture pipeline's stats(), the store's); metrics read
// them at scrape time through a source. prom-client starts every metric's collect() in the same
// tick, so reads that overlap share one snapshot: one scrape reads each source once however many
// metrics it feeds. A failing source leaves the last values in place rather than failing the scrape.

/** A component's current stats, read at scrape time. */
export type StatsSource<T> = () => T | Promise<T>

export interface SampledSource<T> {
  /** the current snapshot, or undefined when there is no source or it failed */
  read: () => Promise<T | undefined>
  set: (source: StatsSource<T> | undefined) => void
  /** reads that threw or rejected */
  readonly failures: number
}

/** Wraps a source so that overlapping reads share one snapshot. */
export function sampled<T>(source: StatsSource<T> | undefined): SampledSource<T> {
  let current = source
  let pending: Promise<T | undefined> | undefined
  let failures = 0
  const take = async (): Promise<T | undefined> => {
    if (current === undefined) return undefined
    try {
      return await current()
    } catch {
      failures++
      return undefined
    }
  }
  return {
    read: () => {
      if (pending === undefined) {
        const p = take()
        pending = p
        void p.then(() => {
          if (pending === p) pending = undefined
        })
      }
      return pending
    },
    set: (next) => {
      current = next
      pending = undefined
    },
    get failures() {
      return failures
    },
  }
}
