// pipeline: scale-out over NATS JetStream: proxies publish batch deltas (outbox in their store), collectors merge them exactly.
export { AppliedSet, type SourceState } from './applied-set.js'
export {
  type Collector,
  type CollectorHooks,
  type CollectorOptions,
  type CollectorStats,
  coalesceEndpoints,
  DEFAULT_COLLECTOR_OPTIONS,
  startCollector,
} from './collector.js'
export {
  type Delta,
  type DeltaHeader,
  DELTA_VERSION,
  decodeDelta,
  encodeDeltas,
  encodeSuspectDeltas,
  observationsOf,
  READABLE_DELTA_VERSIONS,
} from './delta.js'
export { type CollectorMetrics, createCollectorMetrics, createPublisherMetrics } from './metrics.js'
export {
  checkNatsUrl,
  connectionOptions,
  connectNats,
  DEFAULT_STREAM_OPTIONS,
  ensureStream,
  type NatsAuth,
  type NatsSecurity,
  natsFailure,
  natsOptionsFromConfig,
  natsServers,
  printableUrl,
  type StreamOptions,
} from './nats.js'
export { Outbox, type OutboxRow } from './outbox.js'
export { SuspectFolder, type SuspectRow, SuspectShipper } from './suspects.js'
export {
  createPublisher,
  DEFAULT_PUBLISHER_OPTIONS,
  type Publisher,
  type PublisherOptions,
  type PublisherStats,
} from './publisher.js'
