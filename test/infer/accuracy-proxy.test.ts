// The accuracy harness end to end: mock upstream -> HTTP through the Specter proxy -> capture ->
// SQLite -> buildOpenApi, scored against the source documents.
import { expect, test } from 'vitest'
import { defaultSpecFiles, formatReport, totals } from '../../bench/accuracy/run-accuracy.js'
import { runAccuracyThroughProxy } from '../../bench/accuracy/run-through-proxy.js'
import { openApiErrors } from './openapi-validate.js'

test('through the proxy: the inferred documents reach the accuracy targets and validate', async () => {
  const results = await runAccuracyThroughProxy(defaultSpecFiles(), { seed: 7, requestsPerOperation: 12 })
  process.stdout.write(formatReport(results))
  const t = totals(results)
  expect(t.operationPrecision).toBeGreaterThanOrEqual(0.99)
  expect(t.operationRecall).toBeGreaterThanOrEqual(0.99)
  expect(t.propertyRecall).toBeGreaterThanOrEqual(0.98)
  expect(t.typeAccuracy).toBeGreaterThanOrEqual(0.99)
  for (const r of results) expect([r.name, openApiErrors(r.document)]).toEqual([r.name, []])
}, 120_000)
