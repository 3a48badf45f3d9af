import { describe, expect, test } from 'vitest'
import type { Observation } from '../../src/capture/index.js'
import { shapeOf } from '../../src/infer/index.js'
import {
  adminSegmentOf,
  classifyValue,
  EnumerationTracker,
  guessableIds,
  isPublicByNature,
  observeForEnumeration,
  serviceOf,
  taggedFields,
  withEnumerationTracking,
} from '../../src/security/index.js'
import type { ObservedEndpoint } from '../../src/store/index.js'

function endpoint(pathKey: string, values: string[], distinct = values.length): ObservedEndpoint {
  return {
    method: 'GET',
    pathKey,
    hosts: [],
    count: distinct,
    firstSeenMs: 0,
    lastSeenMs: 0,
    segments: [{ index: 1, values, distinct }],
    exchanges: [],
    examples: [],
  }
}

describe('guessableIds', () => {
  test.each([
    ['dense 1..20', Array.from({ length: 20 }, (_, i) => String(i + 1)), 20, 'sequential'],
    ['a dense sample of many', ['100', '250', '410', '777', '901'], 900, 'sequential'],
    ['sparse but under a million', ['1203', '88210', '350001', '720333', '999001'], 5, 'small-space'],
    [
      'random 15-digit ids',
      ['739201846201734', '102938475610293', '564738291029384', '918273645546372', '283746519283746'],
      5,
      undefined,
    ],
    ['too few values', ['1', '2', '3'], 3, undefined],
  ])('%s', (_name, values, distinct, reason) => {
    const found = guessableIds(endpoint('/accounts/{int}', values, distinct))
    expect(found[0]?.reason).toBe(reason)
  })

  test('only integer placeholders are considered', () => {
    expect(guessableIds(endpoint('/accounts/{uuid}', ['1', '2', '3', '4', '5', '6']))).toEqual([])
  })
})

describe('paths', () => {
  test.each([
    ['/api/v1/accounts/{int}', '/api/v1/accounts'],
    ['/accounts/export', '/accounts'],
    ['/v2/{uuid}/items', '/v2/{uuid}/items'],
  ])('service of %s is %s', (pathKey, service) => {
    expect(serviceOf(pathKey)).toBe(service)
  })

  test.each([
    ['/api/admin/users', 'admin'],
    ['/actuator/env', 'actuator'],
    ['/internal/debug', 'internal'],
    ['/accounts/{int}', undefined],
    ['/administrators-guide', undefined],
  ])('admin segment of %s is %s', (pathKey, segment) => {
    expect(adminSegmentOf(pathKey)).toBe(segment)
  })

  test('sign-in and health paths are public by nature', () => {
    expect(isPublicByNature('/oauth/token')).toBe(true)
    expect(isPublicByNature('/healthz')).toBe(true)
    expect(isPublicByNature('/accounts/{int}')).toBe(false)
  })
})

describe('taggedFields', () => {
  test('finds classified fields with schema pointers through objects, arrays and maps', () => {
    const shape = shapeOf(
      {
        users: [{ email: 'a@example.com', name: 'Ada' }],
        byId: { '123': { phone: '+14155552671' } },
        'a/b': '219-45-1234',
      },
      { classify: classifyValue },
    )
    expect(taggedFields(shape).map((f) => [f.schemaPath, f.tokens.join('.'), Object.keys(f.tags)])).toEqual([
      ['/properties/a~1b', 'a/b', ['us-ssn']],
      ['/properties/byId/additionalProperties/properties/phone', 'byId.*.phone', ['phone']],
      ['/properties/users/items/properties/email', 'users.*.email', ['email']],
    ])
  })
})

describe('observeForEnumeration', () => {
  const base = {
    timeMs: 1_700_000_000_000,
    method: 'GET',
    host: 'api.test',
    pathKey: '/accounts/{int}/orders/{int}',
    segmentValues: [
      [1, '42'],
      [3, '7'],
    ],
    clientKey: 'abcd',
    status: 200,
  } as unknown as Observation

  test('feeds answered requests for objects, keyed by all placeholder values', () => {
    const tracker = new EnumerationTracker()
    observeForEnumeration(tracker, base)
    observeForEnumeration(tracker, {
      ...base,
      segmentValues: [
        [1, '42'],
        [3, '8'],
      ],
    })
    observeForEnumeration(tracker, {
      ...base,
      status: 404,
      segmentValues: [
        [1, '43'],
        [3, '8'],
      ],
    })
    observeForEnumeration(tracker, {
      ...base,
      status: 502,
      segmentValues: [
        [1, '44'],
        [3, '8'],
      ],
    })
    observeForEnumeration(tracker, {
      ...base,
      status: 0,
      segmentValues: [
        [1, '45'],
        [3, '8'],
      ],
    })
    observeForEnumeration(tracker, { ...base, pathKey: '/accounts', segmentValues: [] })
    expect(tracker.distinct('abcd', 'GET', base.pathKey, base.timeMs)).toBe(3)
    expect(tracker.stats().tracked).toBe(1)
  })

  test('the wrapping sink records the batch even when tracking fails', () => {
    const recorded: Observation[][] = []
    const errors: unknown[] = []
    const broken = {
      observe: () => {
        throw new Error('bug')
      },
    } as unknown as EnumerationTracker
    const sink = withEnumerationTracking({ record: (o) => recorded.push(o) }, broken, (err) => errors.push(err))
    sink.record([base])
    expect(recorded).toEqual([[base]])
    expect(errors).toHaveLength(1)
  })
})
