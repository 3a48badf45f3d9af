// SARIF 2.1.0 (OASIS) for code scanning: one result per finding, located in the published spec
// file at the line of the operation's path item (GitHub shows the alert there).
import { createHash } from 'node:crypto'
import { relative, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import { compareSeverity, findingKey, requestsOf, rules, type Severity } from '../diff/index.js'
import type { SpecModel } from '../spec/index.js'
import { countText } from './evidence-count.js'
import { incompleteText, type Report, type ReportFinding } from './report-model.js'

export interface SarifOptions {
  /** the repository root: a local spec file under it is named relative to it (%SRCROOT%) */
  cwd: string
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
}

// GitHub's security-severity scale (0.0-10.0): critical > 9, high 7-8.9, medium 4-6.9, low 0.1-3.9.
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
}

function artifactOf(spec: SpecModel, cwd: string): { uri: string; uriBaseId?: string } {
  if (spec.localFile === undefined) return { uri: spec.source }
  const rel = relative(cwd, spec.localFile)
  if (rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep)) {
    return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' }
  }
  return { uri: pathToFileURL(spec.localFile).href }
}

function resultOf(f: ReportFinding, ruleIndex: Map<string, number>, artifact: { uri: string; uriBaseId?: string }) {
  const properties: Record<string, unknown> = {
    severity: f.severity,
    kind: f.kind,
    status: f.status,
    method: f.method,
    path: f.path,
    pointer: f.pointer,
    count: f.evidence.count,
    countUnit: f.evidence.unit ?? 'requests',
    firstSeenMs: f.evidence.firstSeenMs,
    lastSeenMs: f.evidence.lastSeenMs,
  }
  const requests = requestsOf(f.evidence)
  if (requests !== undefined) properties['requests'] = requests
  if (f.id !== undefined) properties['findingId'] = f.id
  if (f.evidence.observed !== undefined) properties['observed'] = f.evidence.observed
  if (f.evidence.documented !== undefined) properties['documented'] = f.evidence.documented
  if (f.operations !== undefined) properties['operations'] = f.operations
  if (f.pathKeys !== undefined) properties['pathKeys'] = f.pathKeys
  const result: Record<string, unknown> = {
    ruleId: f.rule,
    level: LEVEL[f.severity],
    message: { text: `${f.title} (${countText(f.evidence)}). ${f.why}` },
    locations: [
      {
        physicalLocation: { artifactLocation: artifact, region: { startLine: Math.max(1, f.specLine) } },
        logicalLocations: [{ fullyQualifiedName: `${f.method} ${f.path}${f.pointer}`, kind: 'member' }],
      },
    ],
    // Stable across runs and line moves: code scanning tracks the alert by it. A path named by
    // inference is fingerprinted by the observed path key behind it, as before names were inferred,
    // so alerts survive the renaming (and inference changing its mind).
    partialFingerprints: {
      'specterFinding/v1': createHash('sha256')
        .update(findingKey({ ...f, path: f.pathKeys?.[0] ?? f.path }))
        .digest('hex')
        .slice(0, 32),
    },
    properties,
  }
  const index = ruleIndex.get(f.rule)
  if (index !== undefined) result['ruleIndex'] = index
  if (f.specPointer !== undefined && f.specPointerLine !== undefined) {
    result['relatedLocations'] = [
      {
        id: 1,
        physicalLocation: { artifactLocation: artifact, region: { startLine: f.specPointerLine } },
        message: { text: `documented at ${f.specPointer}` },
      },
    ]
  }
  if (f.status === 'acknowledged') {
    result['suppressions'] = [{ kind: 'external', status: 'accepted', justification: f.ackReason ?? '' }]
  }
  return result
}

/** Renders the report as a SARIF 2.1.0 log. */
export function renderSarif(report: Report, spec: SpecModel, options: SarifOptions): string {
  const used = [...new Set(report.findings.map((f) => f.rule))]
  const known = new Map(rules.map((r) => [r.id, r]))
  const driverRules = used.sort().map((id) => {
    const r = known.get(id)
    const ofRule = report.findings.filter((x) => x.rule === id)
    const f = ofRule[0] as ReportFinding
    // GitHub grades every alert of a rule by the rule's security-severity: the most severe of its
    // findings here, so that a finding raised above the rule's default (a sensitive field, an
    // undocumented write) is not shown at the default's grade.
    const highest = ofRule.reduce((max, x) => (compareSeverity(x.severity, max) > 0 ? x.severity : max), f.severity)
    const severity = r?.severity ?? highest
    return {
      id,
      name: id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
      shortDescription: { text: id.replaceAll('-', ' ') },
      fullDescription: { text: r?.why ?? f.why },
      help: { text: r?.why ?? f.why },
      defaultConfiguration: { level: LEVEL[severity] },
      properties: { tags: ['api', f.kind], 'security-severity': SECURITY_SEVERITY[highest] },
    }
  })
  const ruleIndex = new Map(driverRules.map((r, i) => [r.id, i]))
  const artifact = artifactOf(spec, options.cwd)
  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: 'Specter',
        version: report.tool.version,
        rules: driverRules,
      },
    },
    artifacts: [{ location: artifact }],
    results: report.findings.map((f) => resultOf(f, ruleIndex, artifact)),
    columnKind: 'utf16CodeUnits',
  }
  // Folded observations mean missing findings: said as a warning of the run, as the other formats say it.
  const incomplete = incompleteText(report)
  if (incomplete !== undefined) {
    run['invocations'] = [
      {
        executionSuccessful: true,
        toolExecutionNotifications: [{ level: 'warning', message: { text: `Incomplete: ${incomplete}` } }],
      },
    ]
  }
  if (artifact.uriBaseId !== undefined) {
    run['originalUriBaseIds'] = { '%SRCROOT%': { uri: `${pathToFileURL(options.cwd).href.replace(/\/?$/, '/')}` } }
  }
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [run],
  }
  return `${JSON.stringify(log, null, 2)}\n`
}
