// `npm run bench:accuracy [-- --seed N --requests N --openapi 3.0 --proxy --specs own|external|all --only NAME]`:
// runs the accuracy harness over bench/accuracy/specs (own), the selected `@readme/oas-examples`
// specs (external) or both (with --proxy: over HTTP through the whole Specter stack) and prints
// the scores; exits 1 below the targets.
import { parseArgs } from 'node:util'
import { externalSpecFiles } from './external-specs.js'
import { defaultSpecFiles, formatReport, runAccuracy, totals } from './run-accuracy.js'
import { runAccuracyThroughProxy } from './run-through-proxy.js'

const TARGETS = { operationPrecision: 0.99, operationRecall: 0.99, propertyRecall: 0.98, typeAccuracy: 0.99 }

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    requests: { type: 'string', default: '24' },
    openapi: { type: 'string', default: '3.1' },
    proxy: { type: 'boolean', default: false },
    specs: { type: 'string', default: 'own' },
    only: { type: 'string', multiple: true, default: [] },
  },
})
const files = [
  ...(values.specs === 'external' ? [] : defaultSpecFiles()),
  ...(values.specs === 'own' ? [] : externalSpecFiles(values.only)),
]
if (files.length === 0) {
  process.stderr.write('no spec files (is @readme/oas-examples installed? --specs own|external|all)\n')
  process.exit(2)
}
const options = {
  seed: Number(values.seed),
  requestsPerOperation: Number(values.requests),
  openapi: values.openapi === '3.0' ? ('3.0' as const) : ('3.1' as const),
}
const results = values.proxy ? await runAccuracyThroughProxy(files, options) : runAccuracy(files, options)
process.stdout.write(formatReport(results))
const t = totals(results)
const below = (Object.keys(TARGETS) as Array<keyof typeof TARGETS>).filter((k) => t[k] < TARGETS[k])
if (below.length > 0) {
  process.stdout.write(`below target: ${below.join(', ')}\n`)
  process.exitCode = 1
}
