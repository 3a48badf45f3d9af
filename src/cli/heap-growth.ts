// The proxy's V8 heap tuning (memory.heapGrowthPercent). A busy proxy allocates tens of MB a second
// that die young or soon after promotion; with V8's default heuristics (a growing factor of up to 4
// on hosts with more than 2 GB of heap limit) the old generation then climbs to 2-4x its live size
// before a full collection, which is most of the RSS peaks under load. V8 reads this flag at every
// full collection, so unlike the heap size flags it can be set after start (docs/ops.md#memory).
import { setFlagsFromString } from 'node:v8'

/**
 * Sets V8's old-generation growing factor to 1 + percent/100 for this process; 0 leaves V8's own
 * heuristics. Returns the flag applied, if any.
 */
export function applyHeapGrowth(percent: number): string | undefined {
  if (!Number.isSafeInteger(percent) || percent <= 0) return undefined
  const flag = `--heap-growing-percent=${percent}`
  setFlagsFromString(flag)
  return flag
}
