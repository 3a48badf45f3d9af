// The accuracy harness: spec -> seeded traffic -> capture's observe -> the SQLite store ->
// buildOpenApi -> scores against the spec. The end-to-end variant through the proxy drives the
// same traffic over HTTP.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { parse } from 'yaml'
import { observe } from '../../src/capture/index.js'
import { buildOpenApi, type OpenApiDocument } from '../../src/infer/index.js'
import { openStore } from '../../src/store/index.js'
import type { Schema } from './mock-data.js'
import { createRng } from './rng.js'
import { type Score, scoreDocument } from './score.js'
import { trafficFor } from './traffic.js'

export interface AccuracyOptions {
  seed?: number
  requestsPerOperation?: number
  openapi?: '3.1' | '3.0'
}

export interface SpecResult {
  name: string
  score: Score
  document: OpenApiDocument
}

/** The specs shipped with the harness (bench/accuracy/specs/*.yaml), by file path. */
export function defaultSpecFiles(): string[] {
  const candidates = [join(import.meta.dirname, 'specs'), join(process.cwd(), 'bench', 'accuracy', 'specs')]
  for (const dir of candidates) {
    try {
      return readdirSync(dir)
        .filter((f) => f.endsWith('.yaml'))
        .sort()
        .map((f) => join(dir, f))
    } catch {
      // try the next location (running from dist/ has no spec files next to it)
    }
  }
  return []
}

/** A short name for a spec file: its base name, with the OpenAPI version folder of the examples package. */
export function specName(file: string): string {
  const base = basename(file).replace(/\.(ya?ml|json)$/, '')
  const version = /[\\/](3\.[01])[\\/](json|yaml)[\\/][^\\/]+$/.exec(file)?.[1]
  return version === undefined ? base : `${base} (${version})`
}

export function runAccuracy(files: readonly string[], options: AccuracyOptions = {}): SpecResult[] {
  const results: SpecResult[] = []
  const dir = mkdtempSync(join(tmpdir(), 'specter-accuracy-'))
  try {
    files.forEach((file, i) => {
      const spec = parse(readFileSync(file, 'utf8')) as Schema
      const rng = createRng((options.seed ?? 1) * 1000 + i)
      const exchanges = trafficFor(spec, rng, {
        requestsPerOperation: options.requestsPerOperation ?? 24,
        startMs: Date.UTC(2026, 0, 1),
      })
      const store = openStore({ path: join(dir, `${i}.db`), now: () => Date.UTC(2026, 0, 1) })
      try {
        store.record(exchanges.map((x) => observe(x, { clientKeySalt: 'accuracy' })))
        const document = buildOpenApi(store.inventory(), { openapi: options.openapi ?? '3.1' })
        results.push({ name: specName(file), score: scoreDocument(spec, document), document })
      } finally {
        store.close()
      }
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return results
}

export interface Totals {
  operationPrecision: number
  operationRecall: number
  propertyRecall: number
  typeAccuracy: number
  requestPropertyRecall: number
  requestTypeAccuracy: number
}

export function totals(results: readonly SpecResult[]): Totals {
  const sum = (f: (s: Score) => number) => results.reduce((n, r) => n + f(r.score), 0)
  const ratio = (a: number, b: number) => a / Math.max(1, b)
  const matched = sum((s) => s.matchedOperations)
  return {
    operationPrecision: ratio(
      matched,
      sum((s) => s.inferredOperations),
    ),
    operationRecall: ratio(
      matched,
      sum((s) => s.specOperations),
    ),
    propertyRecall: ratio(
      sum((s) => s.propertiesFound),
      sum((s) => s.properties),
    ),
    typeAccuracy: ratio(
      sum((s) => s.typesCorrect),
      sum((s) => s.propertiesFound),
    ),
    requestPropertyRecall: ratio(
      sum((s) => s.requestPropertiesFound),
      sum((s) => s.requestProperties),
    ),
    requestTypeAccuracy: ratio(
      sum((s) => s.requestTypesCorrect),
      sum((s) => s.requestPropertiesFound),
    ),
  }
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`

/** A plain-text report of the results. */
export function formatReport(results: readonly SpecResult[]): string {
  const lines = [
    'spec                        ops(spec/inferred/matched)  op-precision  op-recall  prop-recall  type-accuracy',
  ]
  for (const r of results) {
    const t = totals([r])
    const s = r.score
    lines.push(
      `${r.name.padEnd(28)}${`${s.specOperations}/${s.inferredOperations}/${s.matchedOperations}`.padEnd(28)}${pct(t.operationPrecision).padEnd(14)}${pct(t.operationRecall).padEnd(11)}${pct(t.propertyRecall).padEnd(13)}${pct(t.typeAccuracy)}`,
    )
    for (const m of s.missingOperations) lines.push(`    missing operation  ${m}`)
    for (const m of s.extraOperations) lines.push(`    extra operation    ${m}`)
    for (const m of s.missingProperties.slice(0, 10)) lines.push(`    missing property   ${m}`)
    for (const m of s.wrongTypes.slice(0, 10)) lines.push(`    wrong type         ${m}`)
  }
  const t = totals(results)
  lines.push(
    `TOTAL                       operation precision ${pct(t.operationPrecision)}, recall ${pct(t.operationRecall)}; property recall ${pct(t.propertyRecall)}; type accuracy ${pct(t.typeAccuracy)}`,
    `                            request bodies: property recall ${pct(t.requestPropertyRecall)}; type accuracy ${pct(t.requestTypeAccuracy)}`,
  )
  return `${lines.join('\n')}\n`
}
