// Exact merges of stores (`specter merge`): counts add, first/last seen take min/max, shapes
// merge in the lattice, bounded sets keep the smallest members of the union with overflow
// counted. The result equals one store that observed all the traffic, in any merge order.
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { usageError } from '../errors.js'
import type { StoreLimits } from './aggregate.js'
import { mergeSuspects } from './merge-suspects.js'
import { openStore, type Store } from './store.js'

export interface MergeResult {
  /** endpoints and rows read from the sources */
  endpoints: number
  rows: number
  durationMs: number
}

/**
 * Merges `source` into `target` in one transaction of `target`, object-enumeration suspects
 * included (when both have the table); `source` is only read.
 */
export function mergeStores(target: Store, source: Store): MergeResult {
  const start = performance.now()
  const r = target.mergeFrom(source, () => mergeSuspects(target.database, source.database))
  return { ...r, durationMs: performance.now() - start }
}

export interface MergeFilesOptions {
  limits?: Partial<StoreLimits>
  busyTimeoutMs?: number
}

/**
 * Merges store files into `out` (created when missing, else merged into). Every input must
 * exist and be a Specter store; `out` may not be one of the inputs.
 */
export function mergeStoreFiles(out: string, inputs: readonly string[], options: MergeFilesOptions = {}): MergeResult {
  if (inputs.length === 0) throw usageError('merge needs at least one input store')
  const outAbs = resolve(out)
  for (const input of inputs) {
    if (!existsSync(input)) throw usageError(`no store at ${input}`)
    if (resolve(input) === outAbs) throw usageError(`the output ${out} is also an input; write to a new file`)
  }
  const common = {
    ...(options.limits !== undefined ? { limits: options.limits } : {}),
    ...(options.busyTimeoutMs !== undefined ? { busyTimeoutMs: options.busyTimeoutMs } : {}),
  }
  const target = openStore({ path: out, ...common })
  const total: MergeResult = { endpoints: 0, rows: 0, durationMs: 0 }
  try {
    for (const input of inputs) {
      const source = openStore({ path: input, fileMustExist: true, ...common })
      try {
        const r = mergeStores(target, source)
        total.endpoints += r.endpoints
        total.rows += r.rows
        total.durationMs += r.durationMs
      } finally {
        source.close()
      }
    }
  } finally {
    target.close()
  }
  return total
}
