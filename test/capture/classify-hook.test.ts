import { expect, test } from 'vitest'
import { observe } from '../../src/capture/index.js'
import { classifyValue } from '../../src/security/index.js'
import { copyOf, exchange } from './exchange-builder.js'

const body = JSON.stringify({
  email: 'ada@example.com',
  card: '4111 1111 1111 1111',
  password: 'hunter2',
  pin: '9876',
  note: 'plain',
  status: 'active',
})

function tagsOf(classify?: (key: string | undefined, value: string) => string | undefined) {
  const obs = observe(
    exchange({ responseHeaders: { 'content-type': 'application/json' }, responseBody: copyOf(body) }),
    classify === undefined ? {} : { classify },
  )
  const props = obs.responseBody.shape?.obj?.props ?? {}
  return { obs, tags: Object.fromEntries(Object.entries(props).map(([k, v]) => [k, v.str?.tag ?? null])) }
}

test('without a classifier, only secret field names are tagged', () => {
  const { tags } = tagsOf()
  expect(tags).toEqual({
    email: null,
    card: { secret: 1 },
    password: { secret: 1 },
    pin: { secret: 1 },
    note: null,
    status: null,
  })
})

test("the security module's classifier tags string shapes, and wins over the capture's guards", () => {
  const { tags, obs } = tagsOf(classifyValue)
  expect(tags.email).toEqual({ email: 1 })
  expect(tags.card).toEqual({ 'payment-card': 1 })
  expect(tags.password).toEqual({ password: 1 })
  expect(tags.pin).toEqual({ secret: 1 })
  expect(tags.status).toBeNull()
  const text = JSON.stringify(obs)
  for (const value of ['ada@example.com', '4111', 'hunter2', '9876']) expect(text).not.toContain(value)
  // Untagged short words stay enum candidates.
  expect(obs.responseBody.shape?.obj?.props.status?.str?.vals).toEqual({ active: 1 })
})
