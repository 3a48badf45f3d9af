// HyperLogLog (Flajolet et al. 2007) over 30-bit hashes, with the small-range correction
// (linear counting) of the original paper. Registers live in a caller-owned Uint8Array so that
// several sketches (one per time bucket) can share one allocation.

/** Index bits: 2^8 = 256 registers, standard error 1.04 / sqrt(256) = 6.5%. */
export const HLL_INDEX_BITS = 8
export const HLL_REGISTERS = 1 << HLL_INDEX_BITS
const HASH_BITS = 30
const REST_BITS = HASH_BITS - HLL_INDEX_BITS
const ALPHA = 0.7213 / (1 + 1.079 / HLL_REGISTERS)

const POW2_NEG: Float64Array = (() => {
  const t = new Float64Array(REST_BITS + 2)
  for (let i = 0; i < t.length; i++) t[i] = 2 ** -i
  return t
})()

/** The register index and rank (position of the first 1-bit, 1-based) of a 30-bit hash. */
export function hllIndex(hash: number): number {
  return hash >>> REST_BITS
}

export function hllRank(hash: number): number {
  const rest = (hash << (32 - REST_BITS)) >>> 0
  return rest === 0 ? REST_BITS + 1 : Math.clz32(rest) + 1
}

/** Adds a hash to the sketch at `offset`; true when a register grew. */
export function hllAdd(registers: Uint8Array, offset: number, hash: number): boolean {
  const i = offset + hllIndex(hash)
  const r = hllRank(hash)
  if (r <= (registers[i] as number)) return false
  registers[i] = r
  return true
}

/** Estimates the cardinality from register values (a union is their element-wise maximum). */
export function hllEstimate(registers: ArrayLike<number>): number {
  let sum = 0
  let zeros = 0
  for (let i = 0; i < HLL_REGISTERS; i++) {
    const r = registers[i] as number
    sum += POW2_NEG[r] as number
    if (r === 0) zeros++
  }
  const raw = (ALPHA * HLL_REGISTERS * HLL_REGISTERS) / sum
  if (raw <= 2.5 * HLL_REGISTERS && zeros > 0) return HLL_REGISTERS * Math.log(HLL_REGISTERS / zeros)
  return raw
}
