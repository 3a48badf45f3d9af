// How findings say numbers: counts with their noun in the right number, durations in units a reader
// takes in at a glance (`4 s`, `12 min`, `3 h 20 min`, `2 d 5 h`), never raw milliseconds.

/** `1 request`, `2 requests`; `plural` defaults to the noun with an s. */
export const counted = (n: number, noun: string, plural = `${noun}s`): string => `${n} ${n === 1 ? noun : plural}`

/** A duration in readable units, rounded to the unit that matters; 'under 1 s' below a second. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 1000) return 'under 1 s'
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s} s`
  const min = Math.round(s / 60)
  if (min < 60) return `${min} min`
  const h = Math.floor(min / 60)
  if (h < 48) return min % 60 === 0 ? `${h} h` : `${h} h ${min % 60} min`
  const d = Math.floor(h / 24)
  return h % 24 === 0 ? `${d} d` : `${d} d ${h % 24} h`
}

/** A share as a percentage with two significant digits (`0.22%`, `5.0%`, `97%`). */
export function formatShare(ratio: number): string {
  const pct = ratio * 100
  if (pct === 0) return '0%'
  if (pct >= 10) return `${Math.round(pct)}%`
  return `${pct.toPrecision(2)}%`
}
