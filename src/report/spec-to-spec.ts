// Spec-to-spec comparison: the published spec (source) against the document inferred from traffic
// (destination), classified by openapi-diff. openapi-diff reads Swagger 2.0 and OpenAPI 3.0 only,
// so 3.1 input is converted down first (the report says so). It compares which values schemas
// accept, not which properties they list: it complements the structural findings, it does not
// replace them.
import type { SpecModel } from '../spec/index.js'
import { downgradeTo30 } from './downgrade-openapi.js'

export interface SpecDiffEntry {
  /** openapi-diff's code, e.g. 'path.remove', 'response.body.scope.add' */
  code: string
  action: string
  entity: string
  /** where in the published spec ('' when only in the inferred one) */
  publishedLocation: string
  /** where in the inferred document ('' when only in the published one) */
  inferredLocation: string
}

export interface SpecDiff {
  tool: 'openapi-diff'
  /** what was done to make the comparison possible (3.1 converted down, prefixes folded into paths) */
  notes: string[]
  breaking: SpecDiffEntry[]
  nonBreaking: SpecDiffEntry[]
  unclassified: SpecDiffEntry[]
}

type Json = Record<string, unknown>

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v)

// Both documents get their server prefix folded into the paths: traffic carries full paths.
function foldPrefix(doc: Json, prefix: string): Json {
  if (prefix === '' || !isObject(doc['paths'])) return doc
  const paths: Json = {}
  for (const [k, v] of Object.entries(doc['paths'])) paths[`${prefix}${k}`] = v
  const out: Json = { ...doc, paths }
  delete out['servers']
  delete out['basePath']
  return out
}

function entries(
  list: ReadonlyArray<{
    code: string
    action: string
    entity: string
    sourceSpecEntityDetails: Array<{ location: string }>
    destinationSpecEntityDetails: Array<{ location: string }>
  }>,
): SpecDiffEntry[] {
  return list
    .map((d) => ({
      code: d.code,
      action: d.action,
      entity: d.entity,
      publishedLocation: d.sourceSpecEntityDetails.map((x) => x.location).join(', '),
      inferredLocation: d.destinationSpecEntityDetails.map((x) => x.location).join(', '),
    }))
    .sort((a, b) =>
      a.code !== b.code
        ? a.code < b.code
          ? -1
          : 1
        : a.publishedLocation + a.inferredLocation < b.publishedLocation + b.inferredLocation
          ? -1
          : 1,
    )
}

/**
 * Compares the published spec with the inferred OpenAPI document (built as 3.0). Rejects with
 * openapi-diff's error when a document cannot be read; callers report that instead of the section.
 */
export async function compareSpecs(spec: SpecModel, inferred: Json): Promise<SpecDiff> {
  const notes: string[] = []
  let published = spec.bundle()
  const prefix = spec.prefixes[0] ?? ''
  if (spec.version === '3.1') {
    published = downgradeTo30(published)
    notes.push(
      `the published spec is OpenAPI ${spec.versionString}; it was converted to 3.0 for openapi-diff (type arrays become nullable, const becomes enum)`,
    )
  }
  if (prefix !== '')
    notes.push(`the server prefix ${prefix} was folded into the published paths, as traffic carries full paths`)
  published = foldPrefix(published, prefix)
  // Loaded on first use: openapi-diff and its tree add ~35 MB of RSS that a proxy never needs.
  const mod = (await import('openapi-diff')) as unknown as { default: typeof import('openapi-diff') }
  const openapiDiff = mod.default
  const outcome = await openapiDiff.diffSpecs({
    sourceSpec: {
      content: JSON.stringify(published),
      location: spec.source,
      format: spec.version === '2.0' ? 'swagger2' : 'openapi3',
    },
    destinationSpec: { content: JSON.stringify(inferred), location: 'inferred from traffic', format: 'openapi3' },
  })
  return {
    tool: 'openapi-diff',
    notes,
    breaking: outcome.breakingDifferencesFound ? entries(outcome.breakingDifferences) : [],
    nonBreaking: entries(outcome.nonBreakingDifferences),
    unclassified: entries(outcome.unclassifiedDifferences),
  }
}
