// `specter diff`: the store's observed traffic against the published spec -> findings, printed as a
// table or JSON and recorded in the store (first/last seen, hits, acknowledgements).
import type { SpecterConfig } from '../../config.js'
import { type DiffOptions, SEVERITIES, type Severity } from '../../diff/index.js'
import { usageError } from '../../errors.js'
import { type PipelineOptions, type ReportFinding, runDiffPipeline } from '../../report/index.js'
import type { CliIo, Command } from '../command.js'
import { configFromFlags, existingStoreOptions } from '../config-from-flags.js'
import { noArguments, type ParsedFlags, parseFlags, printable, stringFlag } from '../flags.js'
import { SPECTER_VERSION } from '../version.js'

/** Flags shared by `specter diff` and `specter report`. */
export const PIPELINE_FLAGS = {
  spec: { type: 'string' },
  db: { type: 'string' },
  config: { type: 'string' },
  'fail-on': { type: 'string' },
  'no-save': { type: 'boolean' },
} as const

/** The --fail-on severity, validated. */
export function failOnFlag(command: string, flags: ParsedFlags): Severity | undefined {
  const v = stringFlag(flags, 'fail-on')
  if (v === undefined) return undefined
  if (!(SEVERITIES as readonly string[]).includes(v) || v === 'info') {
    throw usageError(
      `--fail-on must be low, medium, high or critical, not "${v.slice(0, 20)}"; see \`specter ${command} --help\``,
    )
  }
  return v as Severity
}

/** Pipeline options from the config and flags (validates that the spec and the store are there). */
export function pipelineOptions(
  command: string,
  flags: ParsedFlags,
  io: CliIo,
  config: SpecterConfig,
): PipelineOptions {
  if (config.spec.path === '')
    throw usageError(`give the published spec with --spec FILE|URL; see \`specter ${command} --help\``)
  const store = existingStoreOptions(config, io)
  const diff: Partial<DiffOptions> = {
    minObservationWindowMs: config.diff.minObservationWindowMs,
    minObservedRequests: config.diff.minObservedRequests,
    minServiceOperations: config.diff.minServiceOperations,
  }
  const failOn = failOnFlag(command, flags)
  return {
    specSource: config.spec.path,
    spec: { cwd: io.cwd, timeoutMs: config.spec.timeoutMs, maxBytes: config.spec.maxBytes },
    store,
    diff,
    nowMs: Date.now(),
    persist: flags.values['no-save'] !== true,
    toolVersion: SPECTER_VERSION,
    pins: { templates: config.paths.templates, literals: config.paths.literals },
    ...(failOn !== undefined ? { failOn } : {}),
  }
}

/** One finding per line, aligned, for humans. */
export function findingsTable(findings: readonly ReportFinding[]): string {
  if (findings.length === 0) return 'no findings\n'
  const rows = findings.map((f) => [
    f.id !== undefined ? String(f.id) : '-',
    f.severity,
    f.status,
    f.rule,
    printable(`${f.method} ${f.path}`),
    printable(f.title),
  ])
  const head = ['ID', 'SEVERITY', 'STATUS', 'RULE', 'OPERATION', 'FINDING']
  const widths = head.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => (r[i] as string).length))))
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd()
  return `${[line(head), ...rows.map(line)].join('\n')}\n`
}

const help = `Usage: specter diff --spec FILE|URL [options]

Compares the traffic recorded in the store with the published OpenAPI 3.0/3.1 or Swagger 2.0
spec and lists the findings: shadow services and operations, zombie (deprecated or superseded)
operations, unobserved operations, and schema, status, media type and parameter drift. Findings
are recorded in the store (first/last seen, hits) so that acknowledged ones stay acknowledged.

Options:
  --spec FILE|URL     the published spec (default: spec.path from the config)
  --db FILE           the store (default: store.path from the config, specter.db)
  --json              print the findings as a JSON array
  --fail-on SEVERITY  exit 1 when unacknowledged findings at or above low|medium|high|critical exist
  --no-save           do not record the findings in the store
  --config FILE       a config file layered over the defaults (diff.* minimums, spec.timeoutMs)
  -h, --help          this help

Exit codes: 0 ok, 1 findings at or above --fail-on (or a spec/store error), 2 usage error.

Examples:
  specter diff --spec openapi.yaml --db specter.db
  specter diff --spec https://api.example.com/openapi.json --json
`

export const diffCommand: Command = {
  name: 'diff',
  summary: 'compare observed traffic with the published spec',
  help,
  run: async (argv, io) => {
    const flags = parseFlags('diff', argv, { ...PIPELINE_FLAGS, json: { type: 'boolean' } })
    noArguments('diff', flags)
    const config = configFromFlags(flags, io)
    const { report } = await runDiffPipeline(pipelineOptions('diff', flags, io, config))
    if (flags.values['json'] === true) io.stdout.write(`${JSON.stringify(report.findings, null, 2)}\n`)
    else {
      io.stdout.write(findingsTable(report.findings))
      const s = report.summary
      io.stderr.write(
        `specter diff: ${s.total} findings (${s.new} new, ${s.acknowledged} acknowledged) over ${report.observation.requests} requests; ${report.coverage.observedOperations}/${report.coverage.documentedOperations} documented operations observed\n`,
      )
    }
    return report.summary.failing > 0 ? 1 : 0
  },
}
