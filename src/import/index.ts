// import: HAR 1.2 files and NDJSON exchange logs -> Exchanges through the same capture pipeline as live traffic.
export { EntryScanner, type ScannedEntry } from './entry-scanner.js'
export { type ConvertOptions, EntryProblem, harEntryToExchange } from './har-entry.js'
export {
  type ImportFormat,
  type ImportOptions,
  type ImportProgress,
  type ImportResult,
  importCaptureOptions,
  importFile,
  PARALLEL_MIN_BYTES,
  type SkippedEntry,
} from './import-file.js'
export { LineSplitter } from './line-splitter.js'
export { ndjsonRecordToExchange } from './ndjson-record.js'
export { splitPoints } from './split-file.js'
export type { ParallelImport } from './worker-parts.js'
