// probed-paths: undocumented paths that only ever answered 404. They are no API surface (no shadow,
// zombie or inventory finding, no operation in the inferred document), but someone asked for them:
// a scanner looking for /actuator or /.env, or a client still calling a removed route. One info
// finding per run summarises them, with a bounded sample, so the probing stays visible without noise.
import { counted, type Finding, findingOf, type Rule } from '../../finding/index.js'
import { adminSegmentOf } from '../../security/index.js'

/** At most this many probed paths are named in a finding (the title names the first few). */
export const MAX_PROBED_SAMPLE = 10
const TITLE_SAMPLE = 3
// Probed paths are whatever a scanner typed: each is cut so the sample stays a short string.
const MAX_PATH_CHARS = 120

const bounded = (name: string): string => (name.length > MAX_PATH_CHARS ? `${name.slice(0, MAX_PATH_CHARS)}…` : name)

export const probedPaths: Rule = {
  id: 'probed-paths',
  severity: 'info',
  kind: 'inventory',
  why: 'Requests for paths that do not exist are how scanners map an API; a burst of them, or of admin-like ones, is worth a look at who sent them.',
  check(ctx) {
    const probed = ctx.notFound
    if (probed.length === 0) return []
    let requests = 0
    let first = Number.POSITIVE_INFINITY
    let last = 0
    let adminLike = 0
    for (const m of probed) {
      requests += m.endpoint.count
      first = Math.min(first, m.endpoint.firstSeenMs)
      last = Math.max(last, m.endpoint.lastSeenMs)
      if (adminSegmentOf(m.endpoint.pathKey) !== undefined) adminLike++
    }
    // Most requested first: the paths a scanner or a stale client insisted on.
    const sample = probed
      .map((m) => ({ name: `${m.endpoint.method.toUpperCase()} ${m.endpoint.pathKey}`, count: m.endpoint.count }))
      .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .slice(0, MAX_PROBED_SAMPLE)
      .map((s) => bounded(s.name))
    const n = probed.length
    const shown = sample.slice(0, TITLE_SAMPLE).join(', ')
    const more = n > TITLE_SAMPLE ? `, and ${n - TITLE_SAMPLE} more` : ''
    const finding: Finding = findingOf(probedPaths, {
      method: '*',
      path: '/',
      pointer: '',
      title: `${counted(n, 'undocumented path')} only ever answered 404 (probing, or clients calling removed routes): ${shown}${more}`,
      evidence: {
        count: requests,
        unit: 'requests',
        firstSeenMs: Number.isFinite(first) ? first : 0,
        lastSeenMs: last,
        observed: `${counted(n, 'path')}, every answer 404`,
        documented: 'not documented',
        details: {
          paths: n,
          adminLikePaths: adminLike,
          sample: sample.join(', '),
          sampleSize: sample.length,
        },
      },
      specPointer: '/paths',
    })
    return [finding]
  },
}
