// One field, one finding per concern, in one notation: a response field that is undocumented and
// holds personal data, and a query parameter that is undocumented and carries a credential, each
// recorded through observe() with the classifier into a real store and diffed with every rule (diff's and security's).
import { expect, test } from 'vitest'
import { diff } from '../../src/diff/index.js'
import { BASE_MS, type Call, inventoryOf, specOf } from './traffic.js'

const SPEC = `openapi: 3.0.3
info: { title: Customers, version: '1' }
paths:
  /customers:
    get:
      responses:
        '200':
          description: a page of customers
          content:
            application/json:
              schema:
                type: object
                properties:
                  data:
                    type: array
                    items:
                      type: object
                      properties:
                        id: { type: integer }
                        name: { type: string }
  /cards:
    get:
      responses:
        '200':
          description: cards
          content:
            application/json:
              schema:
                type: array
                items:
                  type: object
                  additionalProperties: false
                  properties:
                    last4: { type: string }
`

const customer = (i: number) => ({ id: i, name: `C ${i}`, dateOfBirth: `19${50 + i}-04-12` })

test('an undocumented field holding personal data: the contract and the data concern, cross-referenced', async () => {
  const calls: Call[] = [
    ...Array.from({ length: 4 }, (_, i) => ({
      url: `/customers?page=${i}&api_key=k-${i}`,
      requestHeaders: { authorization: 'Bearer t0k3n-value-0000001' },
      responseBody: { data: [customer(3 * i), customer(3 * i + 1), customer(3 * i + 2)] },
    })),
    ...Array.from({ length: 3 }, () => ({
      url: '/cards',
      requestHeaders: { authorization: 'Bearer t0k3n-value-0000001' },
      responseBody: [{ last4: '1111', pan: '4111111111111111' }],
    })),
  ]
  const result = diff({ inventory: inventoryOf(calls), spec: await specOf(SPEC), now: BASE_MS })
  const about = (field: string) =>
    result.findings
      .filter((f) => f.pointer.endsWith(`/${field}`))
      .map((f) => [f.rule, f.severity, f.title, f.evidence.details?.['bodyPath'], f.evidence.details?.['related']])
  // One notation (data[].dateOfBirth), one severity per concern, each pointing at the other.
  expect(about('dateOfBirth')).toEqual([
    [
      'sensitive-data-in-response',
      'medium',
      'response 200 returns date-of-birth in data[].dateOfBirth',
      'data[].dateOfBirth',
      'undocumented-response-property',
    ],
    [
      'undocumented-response-property',
      'low',
      'response 200 has undocumented property data[].dateOfBirth, which holds date-of-birth (see sensitive-data-in-response)',
      'data[].dateOfBirth',
      'sensitive-data-in-response',
    ],
  ])
  // additionalProperties: false keeps the contract finding at medium; the card number is the high one.
  expect(about('pan')).toEqual([
    [
      'sensitive-data-in-response',
      'high',
      'response 200 returns payment-card in [].pan',
      '[].pan',
      'undocumented-response-property',
    ],
    [
      'undocumented-response-property',
      'medium',
      'response 200 has undocumented property [].pan, which holds payment-card (see sensitive-data-in-response)',
      '[].pan',
      'sensitive-data-in-response',
    ],
  ])
  const sensitive = result.findings.find((f) => f.rule === 'sensitive-data-in-response' && f.pointer.endsWith('/pan'))
  expect(sensitive?.evidence.documented).toBe('field not documented (see undocumented-response-property)')
  // The credential in the query: undocumented, and a credential; said once each.
  const apiKey = result.findings.filter((f) => f.pointer === '/parameters/query/api_key')
  expect(apiKey.map((f) => [f.rule, f.severity, f.title])).toEqual([
    ['credentials-in-query', 'medium', 'credential sent in the query string as ?api_key='],
    [
      'undocumented-query-parameter',
      'low',
      'query parameter api_key is accepted but not documented; it carries a credential (see credentials-in-query)',
    ],
  ])
})
