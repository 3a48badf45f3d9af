// The accuracy harness over third-party example specs from `@readme/oas-examples` (a bounded
// selection: the full run is `npm run bench:accuracy -- --specs external`). Each templating
// mistake these specs revealed is an exact check below (pin a new one with `test.fails` until it
// is fixed, then flip it into a plain regression test).
import { expect, test } from 'vitest'
import { externalSpecFiles } from '../../bench/accuracy/external-specs.js'
import { formatReport, runAccuracy, totals } from '../../bench/accuracy/run-accuracy.js'
import { openApiErrors } from './openapi-validate.js'

const run = (only: string[], seed = 3, requestsPerOperation = 12) =>
  runAccuracy(externalSpecFiles(only), { seed, requestsPerOperation })

test('petstore-expanded, link-example (3.0) and train-travel (3.1) reach the accuracy targets and validate', () => {
  const results = run(['petstore-expanded', 'link-example', 'train-travel'], 3, 24)
  expect(results.map((r) => r.name)).toEqual(['petstore-expanded (3.0)', 'link-example (3.0)', 'train-travel (3.1)'])
  process.stdout.write(formatReport(results))
  const t = totals(results)
  expect(t.operationPrecision).toBeGreaterThanOrEqual(0.99)
  expect(t.operationRecall).toBeGreaterThanOrEqual(0.99)
  expect(t.propertyRecall).toBeGreaterThanOrEqual(0.98)
  expect(t.typeAccuracy).toBeGreaterThanOrEqual(0.99)
  expect(t.requestPropertyRecall).toBeGreaterThanOrEqual(0.98)
  for (const r of results) expect([r.name, openApiErrors(r.document)]).toEqual([r.name, []])
})

test('petstore (3.0 YAML, 3.1 JSON): schemas are complete and validate', () => {
  const results = run(['/petstore.yaml', '3.1/json/petstore.json'])
  expect(results).toHaveLength(2)
  const t = totals(results)
  expect(t.propertyRecall).toBe(1)
  expect(t.typeAccuracy).toBe(1)
  expect(t.requestPropertyRecall).toBe(1)
  for (const r of results) expect([r.name, openApiErrors(r.document)]).toEqual([r.name, []])
})

const exact = (only: string, seed?: number) => {
  const [r] = run([only], seed)
  expect(r).toBeDefined()
  expect({ missing: r?.score.missingOperations, extra: r?.score.extraOperations }).toEqual({ missing: [], extra: [] })
}

// Was: POST /v2/user/createWithArray folded into /v2/user/{userId} next to the username values.
test('petstore (3.0) keeps /user/createWithArray literal next to /user/{username}: every operation exact', () => {
  exact('/petstore.yaml')
})

// Templating mistakes (src/infer/path-template.ts) found by this harness, now regressions:

// Was: version-looking values (`v1.0`, `v2.1`) stayed literal anywhere in a path, and the map-like
// `records` responses (file names as keys) told the datasets apart, so /{dataset}/{version}/fields
// exploded into one operation per dataset and version.
test('uspto finds /{dataset}/{version}/fields when the version values vary', () => {
  exact('uspto')
})

// Was: ten top-level collections under /api/v1 collapsed into /api/v1/{v1Id}; then word slugs of
// an API answering without bodies stayed literal (no response to compare), and version values
// under /version stayed one path each.
test('readme-legacy templates every slug and version parameter', () => {
  exact('readme-legacy')
})

// Was: /branches/{branch}/... exploded per branch (version-like values), and the enum parameter
// /categories/{section} (guides|reference) stayed two literal paths; /branches/{branch}/guides and
// /reference (sub-collections of an item, same shape) must stay literal.
test('readme (3.1) templates branches, the section enum, titles and file names', () => {
  exact('3.1/json/readme.json')
})

// Was (seed 9 at 12 requests per operation, 54/137/54): the `stable`, `v2.1` and `v3.0` branches
// stayed literal. Each branch has the same sub-collections (apis, guides, recipes...) whose
// responses were compared mixed into one `*`, and a single branch response drawing the other
// `oneOf` alternative outweighed every other response that agreed.
test('readme (3.1) at seed 9 compares branches sub-collection by sub-collection, by majority', () => {
  exact('3.1/json/readme.json', 9)
})
