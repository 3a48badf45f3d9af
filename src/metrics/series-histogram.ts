// A histogram for the per-request path. prom-client's Histogram.observe hashes and validates the
// label object, allocates a closure and turns float bucket bounds into property names on every
// call (about 1 µs, twice per proxied request); this one keeps each series' bucket counts in an
// array and renders, on scrape, the samples prom-client's own histogram renders for the same
// observations (same names, labels, label order and values; test/metrics/series-histogram.test.ts).
// It implements the metric contract a prom-client Registry reads: name, help, type, get, reset.
import type { Registry } from 'prom-client'

/** One sample as a prom-client Registry renders it. */
export interface HistogramSample {
  labels: Record<string, string | number>
  value: number
  metricName: string
}

interface Series {
  labels: Record<string, string>
  /** per-bucket counts (not cumulative), one per bound */
  counts: number[]
  sum: number
  count: number
}

export interface SeriesHistogramOptions {
  name: string
  help: string
  /** upper bounds, increasing */
  buckets: readonly number[]
  /** the one label of the series; none: a single unlabelled series */
  labelName?: string
  registers: Registry[]
}

export class SeriesHistogram {
  readonly name: string
  readonly help: string
  readonly type = 'histogram' as const
  readonly aggregator = 'sum' as const
  readonly labelNames: readonly string[]
  readonly #labelName: string | undefined
  readonly #bounds: readonly number[]
  // Series by label value, in first-seen order (as prom-client's hash map orders them).
  readonly #series = new Map<string, Series>()

  constructor(options: SeriesHistogramOptions) {
    this.name = options.name
    this.help = options.help
    this.#bounds = [...options.buckets]
    this.#labelName = options.labelName
    this.labelNames = options.labelName === undefined ? [] : [options.labelName]
    // An unlabelled histogram shows its zero series from the start, as prom-client's does.
    if (options.labelName === undefined) this.observe('', Number.NaN)
    for (const registry of options.registers) registry.registerMetric(this as never)
  }

  /** Records one value in the series of `labelValue` ('' without a label). Non-finite values are ignored. */
  observe(labelValue: string, value: number): void {
    let series = this.#series.get(labelValue)
    if (series === undefined) {
      const labels: Record<string, string> = {}
      if (this.#labelName !== undefined) labels[this.#labelName] = labelValue
      series = { labels, counts: new Array<number>(this.#bounds.length).fill(0), sum: 0, count: 0 }
      this.#series.set(labelValue, series)
    }
    if (!Number.isFinite(value)) return
    series.sum += value
    series.count++
    const bounds = this.#bounds
    for (let i = 0; i < bounds.length; i++) {
      if (value <= (bounds[i] as number)) {
        ;(series.counts[i] as number)++
        return
      }
    }
  }

  async get(): Promise<{
    name: string
    help: string
    type: 'histogram'
    values: HistogramSample[]
    aggregator: 'sum'
  }> {
    const values: HistogramSample[] = []
    const bucket = `${this.name}_bucket`
    for (const s of this.#series.values()) {
      let cumulative = 0
      for (let i = 0; i < this.#bounds.length; i++) {
        cumulative += s.counts[i] as number
        values.push({ labels: { le: this.#bounds[i] as number, ...s.labels }, value: cumulative, metricName: bucket })
      }
      values.push({ labels: { le: '+Inf', ...s.labels }, value: s.count, metricName: bucket })
      values.push({ labels: { ...s.labels }, value: s.sum, metricName: `${this.name}_sum` })
      values.push({ labels: { ...s.labels }, value: s.count, metricName: `${this.name}_count` })
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator }
  }

  /** Forgets every series (as prom-client's does, the unlabelled one too, until the next observation). */
  reset(): void {
    this.#series.clear()
  }
}
