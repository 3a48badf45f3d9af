// Feeding the EnumerationTracker from the capture's observations: the object id is the raw
// values of the kept placeholder segments (int, uuid, oid, hex, date) of the path key. Wrapping the
// capture's ObservationSink keeps the tracker off the request path, in the capture's flush loop.
import type { Observation, ObservationSink } from '../capture/index.js'
import type { EnumerationTracker } from './enumeration-tracker.js'

/** Feeds one observation to the tracker when it addresses an object and the upstream answered it (2xx-4xx). */
export function observeForEnumeration(tracker: EnumerationTracker, o: Observation): void {
  // 5xx and unanswered requests say nothing about which objects exist; 404s of a walk do.
  if (o.status < 200 || o.status >= 500 || o.segmentValues.length === 0) return
  const id =
    o.segmentValues.length === 1
      ? (o.segmentValues[0] as [number, string])[1]
      : o.segmentValues.map(([, v]) => v).join('/')
  tracker.observe(o.clientKey, o.method, o.pathKey, id, o.timeMs)
}

/**
 * An ObservationSink that feeds every observation to `tracker`, then hands the batch to `sink`.
 * A tracker failure (a bug) is passed to `onError` (log and count it) and never costs the store its batch.
 */
export function withEnumerationTracking(
  sink: ObservationSink,
  tracker: EnumerationTracker,
  onError: (err: unknown) => void = () => {},
): ObservationSink {
  return {
    record(observations) {
      try {
        for (const o of observations) observeForEnumeration(tracker, o)
      } catch (err) {
        try {
          onError(err)
        } catch {
          // A failing hook must not stop the pipeline.
        }
      }
      sink.record(observations)
    },
  }
}
