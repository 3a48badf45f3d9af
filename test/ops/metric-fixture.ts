// A registry with every Specter metric group fed real values (sources set, one exchange of
// each kind observed), so labelled series exist in the exposition for name checks.
import { Registry } from 'prom-client'
import { createMetrics, type SpecterMetrics } from '../../src/metrics/index.js'

export function populatedMetrics(): SpecterMetrics {
  const registry = new Registry()
  const metrics = createMetrics(registry, {
    version: 'test',
    capture: () => ({
      queueDepth: 2,
      observationsWritten: 10,
      dropped: 1,
      tapErrors: 1,
      decodeFailures: 1,
      truncatedBodies: 1,
    }),
    store: () => ({ dbSizeBytes: 4096, operations: 3, shapes: 5 }),
    drift: () => ({
      shadowOperations: 1,
      unobservedOperations: 1,
      findingsOpen: [{ rule: 'shadow-operation', severity: 'medium', count: 1 }],
      lastRunMs: 1_700_000_000_000,
    }),
  })
  const body = { totalBytes: 10 }
  metrics.onExchangeEnd(
    { method: 'GET', url: '/users/1', status: 200, outcome: 'ok', requestBody: body, responseBody: body },
    { upstreamMs: 3, addedMs: 0.2 },
  )
  metrics.onExchangeEnd(
    { method: 'GET', url: '/users/1', status: 0, outcome: 'upstream-error', requestBody: body, responseBody: body },
    { upstreamError: 'connect' },
  )
  metrics.store.observeWriteBatch(1.5)
  return metrics
}
