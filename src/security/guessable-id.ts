// Guessable identifiers: integer ids in a path segment that an attacker can walk. From the
// store's bounded, uniform sample of distinct values and its distinct estimate:
//  - density: distinct / (max - min + 1), the chance that a guess inside the observed range names
//    an existing object (sequential ids have a density near 1, random 64-bit ids near 0);
//  - space: max, the number of guesses that covers every id from 1 (a million takes hours).
import { placeholderClass, segmentsOf } from '../infer/index.js'
import type { ObservedEndpoint } from '../store/inventory.js'

export interface GuessableIdOptions {
  /** fewer distinct values than this prove nothing */
  minDistinct: number
  /** ids at least this dense in their range are sequential */
  minDensity: number
  /** ids all below this are enumerable whatever their density */
  maxSpace: number
}

export const DEFAULT_GUESSABLE_ID_OPTIONS: Readonly<GuessableIdOptions> = Object.freeze({
  minDistinct: 5,
  minDensity: 0.05,
  maxSpace: 1_000_000,
})

export interface GuessableId {
  /** segment index in the path key */
  index: number
  /** path parameter position, e.g. the 1st placeholder */
  parameter: number
  distinct: number
  min: number
  max: number
  density: number
  reason: 'sequential' | 'small-space'
}

const MAX_SAFE_DIGITS = 15

/** Integer path segments of an endpoint whose ids look sequential or low-entropy. */
export function guessableIds(
  endpoint: ObservedEndpoint,
  options: GuessableIdOptions = DEFAULT_GUESSABLE_ID_OPTIONS,
): GuessableId[] {
  const segs = segmentsOf(endpoint.pathKey)
  const placeholders = segs.map((s, i) => (placeholderClass(s) !== undefined ? i : -1)).filter((i) => i >= 0)
  const out: GuessableId[] = []
  for (const sample of endpoint.segments) {
    if (placeholderClass(segs[sample.index] ?? '') !== 'int') continue
    const values: number[] = []
    for (const v of sample.values) if (v.length <= MAX_SAFE_DIGITS && /^[0-9]+$/.test(v)) values.push(Number(v))
    if (values.length === 0) continue
    let min = Number.POSITIVE_INFINITY
    let max = 0
    for (const v of values) {
      if (v < min) min = v
      if (v > max) max = v
    }
    const distinct = Math.max(sample.distinct, values.length)
    if (distinct < options.minDistinct) continue
    // The sample is uniform over distinct values, so its range estimates the population's.
    const density = Math.min(1, distinct / (max - min + 1))
    const reason = density >= options.minDensity ? 'sequential' : max < options.maxSpace ? 'small-space' : undefined
    if (reason === undefined) continue
    out.push({
      index: sample.index,
      parameter: placeholders.indexOf(sample.index),
      distinct,
      min,
      max,
      density,
      reason,
    })
  }
  return out
}
