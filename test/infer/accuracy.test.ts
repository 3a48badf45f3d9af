import { expect, test } from 'vitest'
import { defaultSpecFiles, formatReport, runAccuracy, totals } from '../../bench/accuracy/run-accuracy.js'

test('inferred documents reach the accuracy targets on the example specs', () => {
  const results = runAccuracy(defaultSpecFiles(), { seed: 1 })
  expect(results.length).toBeGreaterThanOrEqual(4)
  process.stdout.write(formatReport(results))
  const t = totals(results)
  expect(t.operationPrecision).toBeGreaterThanOrEqual(0.99)
  expect(t.operationRecall).toBeGreaterThanOrEqual(0.99)
  expect(t.propertyRecall).toBeGreaterThanOrEqual(0.98)
  expect(t.typeAccuracy).toBeGreaterThanOrEqual(0.99)
})
