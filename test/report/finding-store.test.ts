import { expect, test } from 'vitest'
import type { Finding } from '../../src/diff/index.js'
import { SpecterError } from '../../src/errors.js'
import { FindingStore } from '../../src/report/index.js'
import { openStore } from '../../src/store/index.js'
import { tempDbPath } from '../helpers/temp-db.js'

const finding = (over: Partial<Finding> = {}): Finding => ({
  rule: 'shadow-operation',
  severity: 'medium',
  method: 'GET',
  path: '/reports',
  pointer: '',
  title: 'GET /reports is not documented',
  why: 'why',
  evidence: { count: 3, unit: 'requests', firstSeenMs: 1000, lastSeenMs: 2000, observed: 'GET /reports' },
  ...over,
})

test('upserts by (rule, method, path, pointer): seen times widen, hits and severity refresh, status follows runs', () => {
  const path = tempDbPath()
  const store = openStore({ path })
  try {
    const findings = new FindingStore(store.database)
    const [first] = findings.upsert([finding()], 10_000)
    expect(first).toMatchObject({ id: 1, status: 'new', hits: 3, firstReportedMs: 10_000 })

    const later = finding({
      severity: 'high',
      evidence: { count: 7, unit: 'requests', firstSeenMs: 1500, lastSeenMs: 9000 },
    })
    const other = finding({ pointer: '/x' })
    const second = findings.upsert([later, other], 20_000)
    expect(second[0]).toMatchObject({
      id: 1,
      status: 'open',
      severity: 'high',
      hits: 7,
      firstReportedMs: 10_000,
      lastReportedMs: 20_000,
      evidence: { firstSeenMs: 1000, lastSeenMs: 9000, count: 7 },
    })
    expect(second[1]).toMatchObject({ id: 2, status: 'new' })

    const acked = findings.acknowledge(1, '  known: internal reporting  ', 30_000)
    expect(acked).toMatchObject({ status: 'acknowledged', ackReason: 'known: internal reporting', ackedMs: 30_000 })
    expect(findings.upsert([later], 40_000)[0]?.status).toBe('acknowledged')
    expect(findings.list().map((f) => [f.id, f.status])).toEqual([
      [1, 'acknowledged'],
      [2, 'open'],
    ])
    expect(() => findings.acknowledge(99, 'x', 1)).toThrow(SpecterError)
    try {
      findings.acknowledge(99, 'x', 1)
    } catch (err) {
      expect((err as SpecterError).code).toBe('SPECTER_ERR_NOT_FOUND')
    }
  } finally {
    store.close()
  }
  // The table survives reopening (it is part of the store's schema).
  const again = openStore({ path })
  try {
    expect(new FindingStore(again.database).list()).toHaveLength(2)
  } finally {
    again.close()
  }
})

test('a finding named by inference takes over the row stored under its observed path key: same id, acknowledgement kept, no second row', () => {
  const store = openStore({ path: tempDbPath() })
  try {
    const findings = new FindingStore(store.database)
    // Stored by an earlier version, which named undocumented paths by their path key.
    const [old] = findings.upsert(
      [finding({ path: '/admin/users/{int}', title: 'GET /admin/users/{int} is not documented' })],
      10_000,
    )
    findings.acknowledge(old?.id ?? 0, 'back office, behind the VPN', 11_000)
    const other = findings.upsert([finding({ path: '/reports' })], 12_000)[0]

    const renamed = finding({
      path: '/admin/users/{userId}',
      title: 'GET /admin/users/{userId} is not documented',
      pathKeys: ['/admin/users/{int}'],
    })
    const [now] = findings.upsert([renamed], 20_000)
    expect(now).toMatchObject({
      id: old?.id,
      path: '/admin/users/{userId}',
      status: 'acknowledged',
      ackReason: 'back office, behind the VPN',
      firstReportedMs: 10_000,
      pathKeys: ['/admin/users/{int}'],
    })
    expect(findings.list().map((f) => [f.id, f.path])).toEqual([
      [old?.id, '/admin/users/{userId}'],
      [other?.id, '/reports'],
    ])

    // Inference names it differently later (a pin, a spec change): still the same row, through the
    // observed keys stored with it; a second observed key folds its own old row in.
    const [uuidRow] = findings.upsert([finding({ path: '/admin/users/{uuid}' })], 25_000)
    const [again] = findings.upsert(
      [finding({ path: '/admin/users/{user}', pathKeys: ['/admin/users/{int}', '/admin/users/{uuid}'] })],
      30_000,
    )
    expect(again).toMatchObject({ id: old?.id, status: 'acknowledged', path: '/admin/users/{user}' })
    expect(findings.get(uuidRow?.id ?? 0)).toBeUndefined()
    expect(findings.list()).toHaveLength(2)
    // A different pointer or rule is a different finding.
    const [elsewhere] = findings.upsert(
      [finding({ path: '/admin/users/{user}', pointer: '/x', pathKeys: ['/admin/users/{int}'] })],
      40_000,
    )
    expect(elsewhere?.status).toBe('new')
  } finally {
    store.close()
  }
})

test('hits are the requests behind a finding, also when its count counts values', () => {
  const store = openStore({ path: tempDbPath() })
  try {
    const evidence = { count: 250, unit: 'values' as const, requests: 5, firstSeenMs: 1, lastSeenMs: 2 }
    const [stored] = new FindingStore(store.database).upsert(
      [finding({ rule: 'sensitive-data-in-response', evidence })],
      1,
    )
    expect(stored).toMatchObject({ hits: 5, evidence: { count: 250, unit: 'values', requests: 5 } })
  } finally {
    store.close()
  }
})

test('peek answers as upsert would (ids, acknowledgements, rows under an earlier name) and writes nothing', () => {
  const store = openStore({ path: tempDbPath() })
  try {
    const findings = new FindingStore(store.database)
    const [old] = findings.upsert([finding({ path: '/admin/users/{int}' })], 10_000)
    findings.acknowledge(old?.id ?? 0, 'back office', 11_000)
    const [plain] = findings.upsert([finding({ path: '/reports' })], 12_000)
    const before = findings.list()

    const peeked = findings.peek([
      finding({ path: '/admin/users/{userId}', pathKeys: ['/admin/users/{int}'] }),
      finding({ path: '/reports' }),
      finding({ path: '/never-stored' }),
    ])
    expect(peeked.map((f) => [f.id, f.path, f.status, f.ackReason])).toEqual([
      [old?.id, '/admin/users/{userId}', 'acknowledged', 'back office'],
      [plain?.id, '/reports', 'open', undefined],
    ])
    expect(findings.list()).toEqual(before)
  } finally {
    store.close()
  }
})
