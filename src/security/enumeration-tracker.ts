// Object enumeration by one client: per (client key, operation), the number of distinct object
// ids requested within a sliding window, with bounded memory. Each pair starts as a small exact
// set of 30-bit id hashes (most clients read a few objects); past EXACT_CAP live ids it upgrades
// to a ring of HyperLogLog sketches, one per time bucket, whose element-wise maximum over the live
// buckets is the window's sketch. The number of pairs is bounded globally: the least recently
// seen pair is evicted first. No clock is read: every call takes `nowMs`.
import { securityOptionInvalid } from '../errors.js'
import { hash30 } from './hash30.js'
import { HLL_REGISTERS, hllAdd, hllEstimate } from './hyperloglog.js'
import { MAD_TO_SIGMA, medianAndMad } from './robust-stats.js'

export interface EnumerationOptions {
  /** the sliding window; counts cover the last `buckets` buckets of windowMs / buckets each */
  windowMs: number
  buckets: number
  /** the most (client, operation) pairs tracked at once; the least recently seen goes first */
  maxTracked: number
  /** a client is never a suspect below this many distinct objects in the window */
  minDistinct: number
  /** a client at or above this many distinct objects is a suspect whatever its peers do */
  maxDistinct: number
  /** how many robust standard deviations (1.4826 x MAD) above the peers' median makes a suspect */
  peerSigmas: number
  /** ... and at least this many times the peers' median */
  peerRatio: number
}

export const DEFAULT_ENUMERATION_OPTIONS: Readonly<EnumerationOptions> = Object.freeze({
  windowMs: 60 * 60 * 1000,
  buckets: 6,
  maxTracked: 10_000,
  minDistinct: 50,
  maxDistinct: 1000,
  peerSigmas: 5,
  peerRatio: 4,
})

/** Pairs of one client kept in a chain before it gets a map by path key. */
const CHAIN_CAP = 8

/** Live ids kept exactly before a pair upgrades to sketches. */
export const EXACT_CAP = 64

export interface EnumerationSuspect {
  /** the capture's keyed hash of the client credential or address (never the credential) */
  clientKey: string
  method: string
  pathKey: string
  /** distinct object ids requested in the window (exact below EXACT_CAP, else estimated) */
  distinct: number
  /** true when `distinct` is a sketch estimate */
  estimated: boolean
  windowMs: number
  /** other clients of the same operation in the window */
  peers: number
  peerMedian: number
  /** the count above which this client was flagged */
  limit: number
  reason: 'threshold' | 'peers'
  firstSeenMs: number
  lastSeenMs: number
}

export interface EnumerationStats {
  /** (client, operation) pairs tracked now */
  tracked: number
  /** of which upgraded to sketches */
  sketched: number
  /** suspects found by the last evaluate() */
  suspects: number
  /** pairs evicted to respect maxTracked, since start */
  evictedTotal: number
  /** observations since start */
  observedTotal: number
}

interface Pair {
  clientKey: string
  method: string
  pathKey: string
  firstSeenMs: number
  lastSeenMs: number
  /** exact phase: [hash, epoch, hash, epoch, ...] of distinct ids (null once sketched) */
  ids: number[] | null
  /** sketch phase: `buckets` HyperLogLog sketches back to back */
  registers: Uint8Array | null
  /** the epoch (bucket number) each sketch currently holds, -1 for none */
  slotEpochs: Int32Array | null
  /** recency list neighbours (older, newer) */
  older: Pair | null
  newer: Pair | null
  /** the client's next pair: any other pair of the client (short chain), or of the same path key with another method (map) */
  sibling: Pair | null
}

function validate(o: EnumerationOptions): void {
  const positiveInt = (name: string, v: number) => {
    if (!Number.isSafeInteger(v) || v < 1) {
      throw securityOptionInvalid(`security.enumeration.${name}`, v, 'a positive integer')
    }
  }
  positiveInt('windowMs', o.windowMs)
  positiveInt('buckets', o.buckets)
  positiveInt('maxTracked', o.maxTracked)
  positiveInt('minDistinct', o.minDistinct)
  positiveInt('maxDistinct', o.maxDistinct)
  if (o.buckets > 64 || o.windowMs % o.buckets !== 0) {
    throw securityOptionInvalid(
      'security.enumeration.buckets',
      o.buckets,
      `at most 64 and a divisor of windowMs (${o.windowMs})`,
    )
  }
  if (!(o.peerSigmas > 0))
    throw securityOptionInvalid('security.enumeration.peerSigmas', o.peerSigmas, 'a number above 0')
  if (!(o.peerRatio >= 1))
    throw securityOptionInvalid('security.enumeration.peerRatio', o.peerRatio, 'a number of 1 or more')
}

/** Tracks distinct objects per client and operation; see the file header. */
export class EnumerationTracker {
  readonly options: Readonly<EnumerationOptions>
  readonly #bucketMs: number
  // client key -> its pairs. Most clients use a few operations: a short chain through `sibling`.
  // Past CHAIN_CAP pairs the client gets a map by path key (pairs of one path chained by method).
  // Looking up the strings the caller passes in avoids allocating and hashing a composite key.
  readonly #clients = new Map<string, Pair | Map<string, Pair>>()
  #size = 0
  // A doubly linked recency list through the pairs: O(1) touch and eviction. (Moving entries
  // around in the Map instead leaves tombstones that make finding the oldest one slow.)
  #oldest: Pair | null = null
  #newest: Pair | null = null
  #sketched = 0
  #suspects = 0
  #evictedTotal = 0
  #observedTotal = 0

  constructor(options: Partial<EnumerationOptions> = {}) {
    const merged = { ...DEFAULT_ENUMERATION_OPTIONS, ...options }
    validate(merged)
    this.options = Object.freeze(merged)
    this.#bucketMs = merged.windowMs / merged.buckets
  }

  /**
   * Records that `clientKey` requested object `objectId` of operation `method pathKey` at `nowMs`.
   * The id is hashed at once and never kept. Constant time apart from the rare upgrade.
   */
  observe(clientKey: string, method: string, pathKey: string, objectId: string, nowMs: number): void {
    this.#observedTotal++
    const epoch = Math.floor(nowMs / this.#bucketMs)
    const h = hash30(objectId)
    const pair = this.#find(clientKey, method, pathKey)
    if (pair === undefined) {
      this.#insert({
        clientKey,
        method,
        pathKey,
        firstSeenMs: nowMs,
        lastSeenMs: nowMs,
        ids: [h, epoch],
        registers: null,
        slotEpochs: null,
        older: null,
        newer: null,
        sibling: null,
      })
      if (this.#size > this.options.maxTracked) this.#evictOldest()
      return
    }
    if (pair !== this.#newest) {
      this.#unlink(pair)
      this.#link(pair)
    }
    if (nowMs > pair.lastSeenMs) pair.lastSeenMs = nowMs
    if (pair.ids !== null) this.#addExact(pair, h, epoch)
    else this.#addSketch(pair, h, epoch)
  }

  #find(clientKey: string, method: string, pathKey: string): Pair | undefined {
    const slot = this.#clients.get(clientKey)
    if (slot === undefined) return undefined
    let p: Pair | null | undefined = slot instanceof Map ? slot.get(pathKey) : slot
    while (p !== null && p !== undefined && (p.method !== method || p.pathKey !== pathKey)) p = p.sibling
    return p ?? undefined
  }

  #insert(pair: Pair): void {
    const slot = this.#clients.get(pair.clientKey)
    if (slot === undefined) {
      this.#clients.set(pair.clientKey, pair)
    } else if (slot instanceof Map) {
      this.#addToMap(slot, pair)
    } else {
      let n = 0
      for (let p: Pair | null = slot; p !== null; p = p.sibling) n++
      if (n < CHAIN_CAP) {
        pair.sibling = slot
        this.#clients.set(pair.clientKey, pair)
      } else {
        const byPath = new Map<string, Pair>()
        for (let p: Pair | null = slot; p !== null; ) {
          const next: Pair | null = p.sibling
          this.#addToMap(byPath, p)
          p = next
        }
        this.#addToMap(byPath, pair)
        this.#clients.set(pair.clientKey, byPath)
      }
    }
    this.#size++
    this.#link(pair)
  }

  #addToMap(byPath: Map<string, Pair>, pair: Pair): void {
    pair.sibling = byPath.get(pair.pathKey) ?? null
    byPath.set(pair.pathKey, pair)
  }

  /** Removes `pair` from the chain starting at `head`; returns the new head. */
  static #unchain(head: Pair, pair: Pair): Pair | null {
    if (head === pair) return pair.sibling
    for (let p = head; p.sibling !== null; p = p.sibling) {
      if (p.sibling === pair) {
        p.sibling = pair.sibling
        break
      }
    }
    return head
  }

  #link(pair: Pair): void {
    pair.older = this.#newest
    pair.newer = null
    if (this.#newest !== null) this.#newest.newer = pair
    this.#newest = pair
    if (this.#oldest === null) this.#oldest = pair
  }

  #unlink(pair: Pair): void {
    if (pair.older !== null) pair.older.newer = pair.newer
    else this.#oldest = pair.newer
    if (pair.newer !== null) pair.newer.older = pair.older
    else this.#newest = pair.older
    pair.older = null
    pair.newer = null
  }

  #forget(pair: Pair): void {
    if (pair.registers !== null) this.#sketched--
    this.#unlink(pair)
    this.#size--
    const slot = this.#clients.get(pair.clientKey)
    if (slot instanceof Map) {
      const first = slot.get(pair.pathKey)
      const head = first === undefined ? null : EnumerationTracker.#unchain(first, pair)
      if (head === null) slot.delete(pair.pathKey)
      else slot.set(pair.pathKey, head)
      if (slot.size === 0) this.#clients.delete(pair.clientKey)
    } else if (slot !== undefined) {
      const head = EnumerationTracker.#unchain(slot, pair)
      if (head === null) this.#clients.delete(pair.clientKey)
      else this.#clients.set(pair.clientKey, head)
    }
    pair.sibling = null
  }

  #evictOldest(): void {
    if (this.#oldest === null) return
    this.#forget(this.#oldest)
    this.#evictedTotal++
  }

  #addExact(pair: Pair, h: number, epoch: number): void {
    const ids = pair.ids as number[]
    for (let i = 0; i < ids.length; i += 2) {
      if (ids[i] === h) {
        if (epoch > (ids[i + 1] as number)) ids[i + 1] = epoch
        return
      }
    }
    if (ids.length >= EXACT_CAP * 2) {
      this.#compact(pair, epoch)
      if ((pair.ids as number[]).length >= EXACT_CAP * 2) {
        this.#upgrade(pair)
        this.#addSketch(pair, h, epoch)
        return
      }
    }
    ;(pair.ids as number[]).push(h, epoch)
  }

  /** Drops ids last requested before the window. */
  #compact(pair: Pair, epoch: number): void {
    const ids = pair.ids as number[]
    const oldest = epoch - this.options.buckets + 1
    const kept: number[] = []
    for (let i = 0; i < ids.length; i += 2) {
      if ((ids[i + 1] as number) >= oldest) kept.push(ids[i] as number, ids[i + 1] as number)
    }
    pair.ids = kept
  }

  #upgrade(pair: Pair): void {
    const b = this.options.buckets
    pair.registers = new Uint8Array(b * HLL_REGISTERS)
    pair.slotEpochs = new Int32Array(b).fill(-1)
    const ids = pair.ids as number[]
    pair.ids = null
    this.#sketched++
    for (let i = 0; i < ids.length; i += 2) this.#addSketch(pair, ids[i] as number, ids[i + 1] as number)
  }

  #addSketch(pair: Pair, h: number, epoch: number): void {
    const b = this.options.buckets
    const slot = epoch % b
    const regs = pair.registers as Uint8Array
    const epochs = pair.slotEpochs as Int32Array
    const held = epochs[slot] as number
    if (held !== epoch) {
      // An id re-requested late in an older bucket than the slot holds cannot be placed; the
      // newer bucket already covers the window better.
      if (held > epoch) return
      regs.fill(0, slot * HLL_REGISTERS, (slot + 1) * HLL_REGISTERS)
      epochs[slot] = epoch
    }
    hllAdd(regs, slot * HLL_REGISTERS, h)
  }

  /** Distinct ids of one pair in the window ending at `nowMs` (0 when it is not tracked). */
  distinct(clientKey: string, method: string, pathKey: string, nowMs: number): number {
    const pair = this.#find(clientKey, method, pathKey)
    return pair === undefined ? 0 : this.#count(pair, Math.floor(nowMs / this.#bucketMs))
  }

  #count(pair: Pair, epoch: number): number {
    const oldest = epoch - this.options.buckets + 1
    if (pair.ids !== null) {
      let n = 0
      for (let i = 1; i < pair.ids.length; i += 2) if ((pair.ids[i] as number) >= oldest) n++
      return n
    }
    const regs = pair.registers as Uint8Array
    const epochs = pair.slotEpochs as Int32Array
    const union = new Uint8Array(HLL_REGISTERS)
    let live = 0
    for (let s = 0; s < epochs.length; s++) {
      const e = epochs[s] as number
      if (e < oldest || e > epoch) continue
      live++
      const base = s * HLL_REGISTERS
      for (let r = 0; r < HLL_REGISTERS; r++) {
        const v = regs[base + r] as number
        if (v > (union[r] as number)) union[r] = v
      }
    }
    return live === 0 ? 0 : Math.round(hllEstimate(union))
  }

  /**
   * Counts every tracked pair in the window ending at `nowMs`, forgets pairs idle for longer
   * than the window, and returns the clients that read far more distinct objects than their
   * peers of the same operation (or more than maxDistinct). Linear in the tracked pairs.
   */
  evaluate(nowMs: number): EnumerationSuspect[] {
    const epoch = Math.floor(nowMs / this.#bucketMs)
    const byOperation = new Map<string, Array<{ pair: Pair; distinct: number }>>()
    for (let pair = this.#oldest; pair !== null; ) {
      const next: Pair | null = pair.newer
      const distinct = this.#count(pair, epoch)
      if (distinct === 0 && pair.lastSeenMs < nowMs - this.options.windowMs) {
        this.#forget(pair)
        pair = next
        continue
      }
      const op = `${pair.method} ${pair.pathKey}`
      let list = byOperation.get(op)
      if (list === undefined) {
        list = []
        byOperation.set(op, list)
      }
      list.push({ pair, distinct })
      pair = next
    }
    const suspects: EnumerationSuspect[] = []
    for (const list of byOperation.values()) {
      const counts = list.map((x) => x.distinct)
      for (let i = 0; i < list.length; i++) {
        const { pair, distinct } = list[i] as { pair: Pair; distinct: number }
        const s = this.#judge(pair, distinct, counts, i)
        if (s !== undefined) suspects.push(s)
      }
    }
    suspects.sort((a, b) => b.distinct - a.distinct || (a.clientKey < b.clientKey ? -1 : 1))
    this.#suspects = suspects.length
    return suspects
  }

  #judge(pair: Pair, distinct: number, counts: number[], index: number): EnumerationSuspect | undefined {
    const o = this.options
    if (distinct < o.minDistinct) return undefined
    const peers = medianAndMad(counts, index)
    const sigma = Math.max(MAD_TO_SIGMA * peers.mad, 1)
    const peerLimit = Math.max(peers.median + o.peerSigmas * sigma, peers.median * o.peerRatio, o.minDistinct)
    const base = {
      clientKey: pair.clientKey,
      method: pair.method,
      pathKey: pair.pathKey,
      distinct,
      estimated: pair.ids === null,
      windowMs: o.windowMs,
      peers: peers.n,
      peerMedian: peers.median,
      firstSeenMs: pair.firstSeenMs,
      lastSeenMs: pair.lastSeenMs,
    }
    if (distinct >= o.maxDistinct) return { ...base, limit: o.maxDistinct, reason: 'threshold' }
    if (peers.n > 0 && distinct > peerLimit) return { ...base, limit: Math.ceil(peerLimit), reason: 'peers' }
    return undefined
  }

  /** Numbers for metrics (specter_security_enumeration_suspects and friends). */
  stats(): EnumerationStats {
    return {
      tracked: this.#size,
      sketched: this.#sketched,
      suspects: this.#suspects,
      evictedTotal: this.#evictedTotal,
      observedTotal: this.#observedTotal,
    }
  }
}
