// A fast, well-mixed 30-bit string hash (FNV-1a, then the MurmurHash3 32-bit finaliser for
// avalanche). 30 bits keep values in V8's small-integer range, so arrays of them stay unboxed.
// Not cryptographic: used for cardinality sketches and in-memory sets, never to hide a secret.

/** 30-bit hash of a string (0 .. 2^30 - 1). */
export function hash30(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 2
}
