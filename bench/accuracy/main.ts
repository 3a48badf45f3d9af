// `npm run bench:accuracy [-- --seed N --requests N --openapi 3.0 --proxy]`: runs the accuracy
// harness over bench/accuracy/specs (with --proxy: over HTTP through the whole Specter stack)
// and prints the scores; exits 1 below the targets.
import { parseArgs } from 'node:util'
import { defaultSpecFiles, formatReport, runAccuracy, totals } from './run-accuracy.js'
import { runAccuracyThroughProxy } from './run-through-proxy.js'

const TARGETS = { operationPrecision: 0.99, operationRecall: 0.99, propertyRecall: 0.98, typeAccuracy: 0.99 }

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    requests: { type: 'string', default: '24' },
    openapi: { type: 'string', default: '3.1' },
    proxy: { type: 'boolean', default: false },
  },
})
const options = {
  seed: Number(values.seed),
  requestsPerOperation: Number(values.requests),
  openapi: values.openapi === '3.0' ? ('3.0' as const) : ('3.1' as const),
}
const results = values.proxy
  ? await runAccuracyThroughProxy(defaultSpecFiles(), options)
  : runAccuracy(defaultSpecFiles(), options)
process.stdout.write(formatReport(results))
const t = totals(results)
const below = (Object.keys(TARGETS) as Array<keyof typeof TARGETS>).filter((k) => t[k] < TARGETS[k])
if (below.length > 0) {
  process.stdout.write(`below target: ${below.join(', ')}\n`)
  process.exitCode = 1
}
