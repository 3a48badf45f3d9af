// `specter report`: the diff's findings as an HTML, Markdown, JSON or SARIF report, with a CI gate.
import { mkdirSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { usageError } from '../../errors.js'
import {
  findingFileName,
  renderFindingMarkdown,
  renderHtml,
  renderJson,
  renderMarkdown,
  renderSarif,
  runDiffPipeline,
} from '../../report/index.js'
import type { Command } from '../command.js'
import { configFromFlags } from '../config-from-flags.js'
import { noArguments, parseFlags, printable, stringFlag } from '../flags.js'
import { PIPELINE_FLAGS, pipelineOptions } from './diff.js'

const FORMATS = ['html', 'md', 'json', 'sarif'] as const
type Format = (typeof FORMATS)[number]

const help = `Usage: specter report --spec FILE|URL --format html|md|json|sarif [options]

Runs the diff (see \`specter diff\`) and writes a report:
  html   one self-contained file (no network), summary and top risks first, sortable and filterable
  md     Markdown; with --per-finding DIR also one ticket body per finding (GitHub, Jira)
  json   the report document, versioned (schemaVersion; see src/report/report-schema.json)
  sarif  SARIF 2.1.0 for code scanning, located in the published spec file (path item line)
The html, md and json reports also compare the published spec with the document inferred from
traffic (openapi-diff: breaking / non-breaking); --no-spec-diff skips that.

Options:
  --spec FILE|URL     the published spec (default: spec.path from the config)
  --format FORMAT     html, md, json or sarif (default: from the --out extension, else md)
  --out FILE          write the report to FILE (default: stdout)
  --per-finding DIR   also write one Markdown ticket body per finding into DIR
  --fail-on SEVERITY  exit 1 when unacknowledged findings at or above low|medium|high|critical exist
  --no-spec-diff      skip the spec-to-spec comparison
  --db FILE           the store (default: store.path from the config, specter.db)
  --no-save           do not record the findings in the store
  --config FILE       a config file layered over the defaults
  -h, --help          this help

Exit codes: 0 ok, 1 findings at or above --fail-on (or a spec/store error), 2 usage error.

Examples:
  specter report --spec openapi.yaml --format html --out report.html
  specter report --spec openapi.yaml --format sarif --out specter.sarif --fail-on high
  specter report --spec openapi.yaml --format md --per-finding tickets/
`

function formatOf(flags: ReturnType<typeof parseFlags>): Format {
  const given = stringFlag(flags, 'format')
  const out = stringFlag(flags, 'out')
  const fromExt = out === undefined ? undefined : /\.(html?|md|json|sarif)$/i.exec(out)?.[1]?.toLowerCase()
  const format = given ?? (fromExt === 'htm' ? 'html' : fromExt) ?? 'md'
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw usageError(`--format must be html, md, json or sarif, not "${printable(format.slice(0, 20))}"`)
  }
  return format as Format
}

export const reportCommand: Command = {
  name: 'report',
  summary: 'write an HTML, Markdown, JSON or SARIF report of the findings (CI gate with --fail-on)',
  help,
  run: async (argv, io) => {
    const flags = parseFlags('report', argv, {
      ...PIPELINE_FLAGS,
      format: { type: 'string' },
      out: { type: 'string' },
      'per-finding': { type: 'string' },
      'no-spec-diff': { type: 'boolean' },
    })
    noArguments('report', flags)
    const format = formatOf(flags)
    const config = configFromFlags(flags, io)
    const options = pipelineOptions('report', flags, io, config)
    options.specToSpec = format !== 'sarif' && flags.values['no-spec-diff'] !== true
    const { report, spec } = await runDiffPipeline(options)
    const text =
      format === 'html'
        ? renderHtml(report)
        : format === 'json'
          ? renderJson(report)
          : format === 'sarif'
            ? renderSarif(report, spec, { cwd: io.cwd })
            : renderMarkdown(report)
    const out = stringFlag(flags, 'out')
    if (out === undefined) io.stdout.write(text)
    else writeFileSync(resolve(io.cwd, out), text)
    const perFinding = stringFlag(flags, 'per-finding')
    if (perFinding !== undefined) {
      const dir = resolve(io.cwd, perFinding)
      mkdirSync(dir, { recursive: true })
      report.findings.forEach((f, i) => {
        writeFileSync(resolve(dir, findingFileName(f, i)), renderFindingMarkdown(f, report))
      })
    }
    const s = report.summary
    io.stderr.write(
      `specter report: ${s.total} findings (${s.bySeverity.critical} critical, ${s.bySeverity.high} high, ${s.bySeverity.medium} medium, ${s.bySeverity.low} low, ${s.bySeverity.info} info)${out !== undefined ? ` written to ${printable(out)}` : ''}${perFinding !== undefined ? `; ${report.findings.length} ticket files in ${printable(perFinding)}` : ''}${s.failOn !== undefined ? `; ${s.failing} at or above ${s.failOn}` : ''}\n`,
    )
    return s.failing > 0 ? 1 : 0
  },
}
