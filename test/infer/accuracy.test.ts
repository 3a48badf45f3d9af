import { expect, test } from 'vitest'
import { defaultSpecFiles, formatReport, runAccuracy, totals } from '../../bench/accuracy/run-accuracy.js'
import { openApiErrors } from './openapi-validate.js'

test.each([
  ['3.1', 1],
  ['3.0', 2],
] as const)('OpenAPI %s, seed %i: the inferred documents reach the accuracy targets and validate', (openapi, seed) => {
  const results = runAccuracy(defaultSpecFiles(), { seed, openapi })
  expect(results.length).toBeGreaterThanOrEqual(5)
  process.stdout.write(formatReport(results))
  const t = totals(results)
  expect(t.operationPrecision).toBeGreaterThanOrEqual(0.99)
  expect(t.operationRecall).toBeGreaterThanOrEqual(0.99)
  expect(t.propertyRecall).toBeGreaterThanOrEqual(0.98)
  expect(t.typeAccuracy).toBeGreaterThanOrEqual(0.99)
  for (const r of results) expect([r.name, openApiErrors(r.document)]).toEqual([r.name, []])
})
