// Bottom-k sketch of distinct values: keep the k values with the smallest hash. The kept set
// depends only on the set of values seen, so two sketches merge exactly (union, then cut to k)
// in any order, the sample is uniform over distinct values, and the k-th smallest hash gives a
// distinct-count estimate (KMV: Bar-Yossef et al., "Counting distinct elements in a data stream").
// The hash is unkeyed on purpose: sketches from different stores must rank values alike.

const TWO_POW_53 = 2 ** 53

/** A 53-bit hash of a string (cyrb53: two multiplicative 32-bit lanes), uniform enough for ranking. */
export function hash53(value: string): number {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 2654435761)
    h2 = Math.imul(h2 ^ c, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507)
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507)
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return 4294967296 * (2097151 & h2) + (h1 >>> 0)
}

/** Order by hash, then by value, so that even colliding values rank the same everywhere. */
function rank(a: string, b: string, ha: number, hb: number): number {
  if (ha !== hb) return ha < hb ? -1 : 1
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * A bottom-k sample under construction. `values` are distinct and kept in rank order
 * (smallest hash first); at most `k` of them.
 */
export class BottomK {
  readonly values: string[] = []
  private readonly hashes: number[] = []

  constructor(readonly k: number) {}

  /** A sketch holding an existing sample (e.g. read back from the store). */
  static of(k: number, values: Iterable<string>): BottomK {
    const s = new BottomK(k)
    for (const v of values) s.add(v)
    return s
  }

  add(value: string): void {
    const h = hash53(value)
    const n = this.values.length
    if (n === this.k) {
      const last = n - 1
      if (rank(value, this.values[last] as string, h, this.hashes[last] as number) >= 0) return
    }
    // Binary search for the insertion point; samples are small (k = 64), inserts are rare once full.
    let lo = 0
    let hi = n
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const c = rank(value, this.values[mid] as string, h, this.hashes[mid] as number)
      if (c === 0) return
      if (c < 0) hi = mid
      else lo = mid + 1
    }
    this.values.splice(lo, 0, value)
    this.hashes.splice(lo, 0, h)
    if (this.values.length > this.k) {
      this.values.pop()
      this.hashes.pop()
    }
  }

  merge(other: BottomK | Iterable<string>): this {
    for (const v of other instanceof BottomK ? other.values : other) this.add(v)
    return this
  }

  /** Estimated number of distinct values seen: exact below k, else (k - 1) / (k-th smallest hash in (0, 1]). */
  distinct(): number {
    const n = this.values.length
    if (n < this.k) return n
    const kth = ((this.hashes[n - 1] as number) + 1) / TWO_POW_53
    return Math.round((this.k - 1) / kth)
  }
}
