// store: the SQLite shape store (observations -> aggregated rows -> Inventory), its migrations and exact merges.
export {
  aggregateObservations,
  compareCodePoints,
  DEFAULT_STORE_LIMITS,
  type EndpointAgg,
  type ExampleAgg,
  type ExchangeAgg,
  FOLDED_SEGMENT,
  mergeEndpoint,
  OVERFLOW_CONTENT_TYPE,
  OVERFLOW_PATH_KEY,
  type StoreLimits,
} from './aggregate.js'
export { BottomK, hash53 } from './bottom-k.js'
export type {
  Inventory,
  ObservedEndpoint,
  ObservedExample,
  ObservedExchange,
  SegmentSample,
} from './inventory.js'
export { mergeStores, type MergeResult, mergeStoreFiles } from './merge.js'
export { defaultMigrationsDir, loadMigrations, type Migration, SPECTER_APPLICATION_ID } from './migrate.js'
export { openStore, Store, type StoreOptions, type StoreStats, storeOptionsFromConfig } from './store.js'
