import { expect, test } from 'vitest'
import { publishedSpecPath } from '../../src/demo/index.js'
import { loadSpec } from '../../src/spec/index.js'

test('the published spec loads and is out of date the way the demo needs: no back office, a deprecated /v1 route, bearer auth', async () => {
  const spec = await loadSpec(publishedSpecPath())
  expect(spec.operations).toHaveLength(18)
  expect(spec.operations.filter((o) => /^\/(admin|internal)\b/.test(o.template))).toEqual([])
  expect(spec.operations.filter((o) => o.deprecated).map((o) => `${o.method} ${o.template}`)).toEqual([
    'GET /v1/customers/{customerId}',
  ])
  expect(spec.securitySchemes).toMatchObject({ bearerAuth: { type: 'http', scheme: 'bearer' } })
  expect(spec.prefixes).toEqual([''])
})
