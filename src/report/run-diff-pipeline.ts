// The edge where diff and report meet I/O: read the published spec and the store's inventory, run
// the pure diff, record the findings in the store, optionally compare specs. Used by the CLI.
import { type DiffOptions, type DiffResult, diff, type Severity } from '../diff/index.js'
import { buildOpenApi, type PathPins } from '../infer/index.js'
import { EnumerationStore, SECURITY_FACTS_KEY } from '../security/index.js'
import { type LoadSpecOptions, loadSpec, type SpecModel } from '../spec/index.js'
import { openStore, type StoreOptions } from '../store/index.js'
import { buildReport } from './build-report.js'
import { FindingStore, type StoredFinding } from './finding-store.js'
import type { Report } from './report-model.js'
import { compareSpecs } from './spec-to-spec.js'

export interface PipelineOptions {
  specSource: string
  spec?: LoadSpecOptions
  store: StoreOptions
  diff?: Partial<DiffOptions>
  /** configured path pins (`paths.templates`, `paths.literals`): undocumented paths are named as `specter infer` names them */
  pins?: PathPins
  /** the run's clock */
  nowMs: number
  /** record findings in the store (default true): first/last seen, hits; without it the stored ids,
   * statuses and acknowledgements are read but nothing is written */
  persist?: boolean
  /** also run the spec-to-spec comparison (openapi-diff) */
  specToSpec?: boolean
  failOn?: Severity
  toolVersion: string
}

export interface PipelineResult {
  spec: SpecModel
  result: DiffResult
  /** the findings' stored rows (after the upsert; with persist false, those already stored) */
  stored: StoredFinding[]
  report: Report
}

/**
 * Loads the spec first (a bad spec fails before the store is opened, so nothing recorded is
 * touched), then reads the inventory, diffs, and upserts the findings in one transaction (with
 * persist false, only reads the stored ones).
 */
export async function runDiffPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const spec = await loadSpec(options.specSource, options.spec)
  const store = openStore({ ...options.store, fileMustExist: true })
  let result: DiffResult
  let stored: StoredFinding[]
  let inferred: Record<string, unknown> | undefined
  try {
    const inventory = store.inventory()
    // Object-enumeration suspects are recorded by the proxy's tracker; the rule reads them as facts.
    const enumeration = new EnumerationStore(store.database).list()
    result = diff({
      inventory,
      spec,
      now: options.nowMs,
      options: options.diff ?? {},
      facts: { [SECURITY_FACTS_KEY]: { enumeration } },
      ...(options.pins === undefined ? {} : { pins: options.pins }),
    })
    // Without persisting, the stored findings are still read: ids, acknowledgements and what is
    // new are the same as a saving run would report, and --fail-on ignores acknowledged ones.
    const findingStore = new FindingStore(store.database)
    stored =
      options.persist === false
        ? findingStore.peek(result.findings)
        : findingStore.upsert(result.findings, options.nowMs)
    if (options.specToSpec === true) {
      const publishedTemplates = [
        ...new Set(spec.operations.flatMap((op) => op.prefixes.map((p) => `${p}${op.template}`))),
      ].sort()
      inferred = buildOpenApi(inventory, {
        openapi: '3.0',
        publishedTemplates,
        title: spec.title || 'Observed API',
        ...(options.pins === undefined ? {} : { pins: options.pins }),
      })
    }
  } finally {
    store.close()
  }
  let specDiff: Report['specDiff']
  if (inferred !== undefined) {
    try {
      specDiff = await compareSpecs(spec, inferred)
    } catch (err) {
      specDiff = {
        tool: 'openapi-diff',
        error: err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err),
      }
    }
  }
  const report = buildReport({
    spec,
    result,
    generatedMs: options.nowMs,
    toolVersion: options.toolVersion,
    stored,
    ...(options.failOn !== undefined ? { failOn: options.failOn } : {}),
    ...(specDiff !== undefined ? { specDiff } : {}),
  })
  return { spec, result, stored, report }
}
