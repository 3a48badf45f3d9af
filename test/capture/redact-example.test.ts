import { describe, expect, test } from 'vitest'
import { observe } from '../../src/capture/index.js'
import { copyOf, exchange } from './exchange-builder.js'

function exampleOf(body: string, contentType = 'application/json', maxExampleChars?: number) {
  const obs = observe(
    exchange({ responseHeaders: { 'content-type': contentType }, responseBody: copyOf(body) }),
    maxExampleChars === undefined ? { wantExample: () => true } : { wantExample: () => true, maxExampleChars },
  )
  return obs.example?.response
}

describe('redacted examples', () => {
  test('are only built when the store wants one', () => {
    const obs = observe(
      exchange({ responseHeaders: { 'content-type': 'application/json' }, responseBody: copyOf('{"a":1}') }),
    )
    expect(obs.example).toBeUndefined()
  })

  test('wantExample receives the method, path key and status', () => {
    const seen: unknown[] = []
    observe(exchange({ method: 'POST', url: '/users/12', status: 201 }), {
      wantExample: (...args) => {
        seen.push(args)
        return false
      },
    })
    expect(seen).toEqual([['POST', '/users/{int}', 201]])
  })

  test.each([
    ['{"email":"ada@example.com"}', '{"email":"<email>"}'],
    ['{"name":"Ada"}', '{"name":"<string>"}'],
    ['{"at":"2024-01-02T03:04:05Z","on":"2024-01-02"}', '{"at":"<date-time>","on":"<date>"}'],
    ['{"id":42,"big":1234567890123,"price":9.99}', '{"id":42,"big":"<integer>","price":"<number>"}'],
    ['{"card":4111111111111111}', '{"card":"<integer>"}'],
    ['{"ok":true,"none":null}', '{"ok":true,"none":null}'],
    ['{"password":"x","pin":1234,"token":"t"}', '{"password":"<secret>","pin":"<integer>","token":"<secret>"}'],
    ['[1,2,3,4,5,6]', '[1,2,3]'],
    ['{"550e8400-e29b-41d4-a716-446655440000":1,"6ba7b810-9dad-11d1-80b4-00c04fd430c8":2}', '{"<uuid>":1}'],
    ['{"opaque":"sk_live_4eC39HqLyjWDarjtT1zdp7dc"}', '{"opaque":"<token>"}'],
  ])('%s -> %s', (body, expected) => {
    expect(exampleOf(body)).toBe(expected)
  })

  test('form bodies give an example of their fields', () => {
    const obs = observe(
      exchange({
        method: 'POST',
        requestHeaders: { 'content-type': 'application/x-www-form-urlencoded' },
        requestBody: copyOf('name=Ada&age=36&password=hunter2'),
      }),
      { wantExample: () => true },
    )
    expect(JSON.parse(obs.example?.request ?? 'null')).toEqual({ name: '<string>', age: 36, password: '<secret>' })
  })

  test('long keys are cut, objects show a bounded number of keys, depth is capped', () => {
    const wide = JSON.stringify(Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`key${i}`, i])))
    expect(Object.keys(JSON.parse(exampleOf(wide) as string)).length).toBe(24)
    const longKey = JSON.stringify({ ['k'.repeat(500)]: 1 })
    expect(Object.keys(JSON.parse(exampleOf(longKey) as string))[0]?.length).toBeLessThanOrEqual(49)
    const deep = `${'{"a":'.repeat(50)}1${'}'.repeat(50)}`
    expect(exampleOf(deep)).toContain('"<…>"')
  })

  test.each([2048, 300, 50])('is always valid JSON within about %i characters', (maxChars) => {
    const body = JSON.stringify(
      Array.from({ length: 100 }, (_, i) => ({
        id: i,
        name: `n${i}`,
        tags: ['a', 'b', 'c', 'd'],
        more: { x: 'y'.repeat(100), z: [{ q: 1 }, { q: 2 }] },
      })),
    )
    const text = exampleOf(body, 'application/json', maxChars) as string
    expect(() => JSON.parse(text)).not.toThrow()
    expect(text.length).toBeLessThanOrEqual(maxChars + 200)
  })

  test('no example for text, binary or invalid bodies', () => {
    expect(exampleOf('hello', 'text/plain')).toBeUndefined()
    expect(exampleOf('{bad', 'application/json')).toBeUndefined()
  })

  test('__proto__ keys in examples stay data', () => {
    const text = exampleOf('{"__proto__":{"x":1},"constructor":"c"}') as string
    expect(JSON.parse(text)).toEqual(JSON.parse('{"__proto__":{"x":1},"constructor":"<string>"}'))
  })
})
