// NOT PURE (with enumeration-store.ts, the edge of object enumeration): the wiring that `specter
// proxy` and the demo share. One tracker sees every observation on its way to the store (in the
// capture's flush loop, off the request path); its suspects are evaluated and stored on an unref'd
// timer and once more when the recorder closes, so reports read them from the database later.
import type Database from 'better-sqlite3'
import type { ObservationSink } from '../capture/index.js'
import { withEnumerationTracking } from './enumeration-feed.js'
import { EnumerationStore, persistSuspects } from './enumeration-store.js'
import type { EnumerationTracker } from './enumeration-tracker.js'

export interface EnumerationRecorderOptions {
  /** created by the caller first, so that bad options fail before anything is opened */
  tracker: EnumerationTracker
  /** where the capture's batches go after the tracker has seen them (the store, or the publisher) */
  sink: ObservationSink
  /** the store's open connection (`store.database`), with the enumeration_suspect table */
  database: Database.Database
  /** how often suspects are evaluated and stored; 0 or absent: only by persist() and close() */
  evaluateIntervalMs?: number
  /** the clock (default Date.now) */
  now?: () => number
  /** a tracker bug or a failed write of suspects (logged and counted by the caller, never thrown at the capture) */
  onError?: (err: unknown) => void
}

export interface EnumerationRecorder {
  tracker: EnumerationTracker
  store: EnumerationStore
  /** hand this to createCapture as its store */
  sink: ObservationSink
  /** evaluates the tracker now and stores its suspects; returns how many there are (throws on a store failure) */
  persist: (nowMs?: number) => number
  /** stops the timer and persists one last time (call after the capture is closed, before the store is) */
  close: () => void
}

/** Wires `tracker`: the tracking sink, the suspects' store on `database` and the evaluation timer. */
export function createEnumerationRecorder(options: EnumerationRecorderOptions): EnumerationRecorder {
  const now = options.now ?? Date.now
  const onError = (err: unknown): void => {
    try {
      options.onError?.(err)
    } catch {
      // A failing hook must not take the timer (and with it the process) down.
    }
  }
  const tracker = options.tracker
  const store = new EnumerationStore(options.database)
  const persist = (nowMs: number = now()): number => persistSuspects(tracker, store, nowMs)
  const persistQuietly = (): void => {
    try {
      persist()
    } catch (err) {
      onError(err)
    }
  }
  const intervalMs = options.evaluateIntervalMs ?? 0
  let timer: NodeJS.Timeout | undefined = intervalMs > 0 ? setInterval(persistQuietly, intervalMs) : undefined
  // The timer never keeps the process alive: shutdown persists once more through close().
  timer?.unref()
  let closed = false
  return {
    tracker,
    store,
    sink: withEnumerationTracking(options.sink, tracker, onError),
    persist,
    close: () => {
      if (timer !== undefined) clearInterval(timer)
      timer = undefined
      if (closed) return
      closed = true
      persistQuietly()
    },
  }
}
