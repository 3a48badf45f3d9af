// Median and median absolute deviation: location and spread that a few extreme clients cannot
// move (50% breakdown point), unlike mean and standard deviation.

/** Scale factor making the MAD a consistent estimator of the standard deviation for normal data. */
export const MAD_TO_SIGMA = 1.4826

/** Median of a sorted array (0 for an empty one). */
export function medianOfSorted(sorted: ArrayLike<number>): number {
  const n = sorted.length
  if (n === 0) return 0
  const mid = n >> 1
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** Median and MAD of the values, leaving out the one at index `skip` (-1 to keep all). */
export function medianAndMad(values: readonly number[], skip = -1): { median: number; mad: number; n: number } {
  const kept: number[] = []
  for (let i = 0; i < values.length; i++) if (i !== skip) kept.push(values[i] as number)
  kept.sort((a, b) => a - b)
  const median = medianOfSorted(kept)
  const dev = kept.map((v) => Math.abs(v - median)).sort((a, b) => a - b)
  return { median, mad: medianOfSorted(dev), n: kept.length }
}
