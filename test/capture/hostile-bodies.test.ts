import { describe, expect, test } from 'vitest'
import { observe } from '../../src/capture/index.js'
import type { Shape } from '../../src/infer/index.js'
import { copyOf, jsonResponse } from './exchange-builder.js'

function elapsedMs<T>(fn: () => T): [T, number] {
  const started = process.hrtime.bigint()
  const out = fn()
  return [out, Number(process.hrtime.bigint() - started) / 1e6]
}

describe('hostile JSON bodies stay within bounded time and memory', () => {
  test.each([
    ['10,000-level array nesting', '['.repeat(10_000) + ']'.repeat(10_000)],
    ['10,000-level object nesting', '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)],
    ['1,000,000-level nesting', '['.repeat(1_000_000) + ']'.repeat(1_000_000)],
  ])('%s is cut at the nesting guard, shaped to the depth cap and marked', (_name, body) => {
    const [obs, ms] = elapsedMs(() => observe(jsonResponse(body)))
    expect(obs.responseBody).toMatchObject({ kind: 'json', error: 'too-deep', truncated: true })
    // Without the guard V8 spends about 1 µs per level (a second for a million); with it, a
    // linear scan. A generous bound, not a timing test.
    expect(ms).toBeLessThan(1_000)
    let node = obs.responseBody.shape
    let depth = 0
    while (node?.arr?.items !== undefined || node?.obj?.props.a !== undefined) {
      node = node.arr?.items ?? node.obj?.props.a
      depth++
    }
    expect(depth).toBeLessThanOrEqual(33)
    expect(node?.trunc).toBe(1)
  })

  test('an unclosed 1,000,000-level nesting in a truncated copy does not crash', () => {
    const body = '['.repeat(1_000_000)
    const ex = jsonResponse(body)
    ex.responseBody = copyOf(body, body.length, body.length + 10)
    const obs = observe(ex)
    expect(obs.responseBody).toMatchObject({ kind: 'json', error: 'too-deep', truncated: true })
  })

  test('nesting below the guard parses normally', () => {
    const body = `{"pad":"${'x'.repeat(5000)}","deep":${'['.repeat(200)}${']'.repeat(200)}}`
    const obs = observe(jsonResponse(body))
    expect(obs.responseBody.error).toBeUndefined()
    expect(obs.responseBody.kind).toBe('json')
  })

  test('brackets inside strings do not count as nesting', () => {
    const body = JSON.stringify({ text: '['.repeat(10_000) })
    const obs = observe(jsonResponse(body))
    expect(obs.responseBody.error).toBeUndefined()
    expect(obs.responseBody.shape?.obj?.props.text?.str?.maxLen).toBe(10_000)
  })

  test('a 100,000-key object is cut after 1,000 members: the property cap kept, the rest counted, marked truncated', () => {
    const keys = Array.from({ length: 100_000 }, (_, i) => `"k${i}":${i}`)
    const body = `{${keys.join(',')}}`
    // Whether or not the parse cap is lifted, the width guard stops at member 1,000.
    for (const options of [{ maxParseBytes: 8 * 1024 * 1024 }, {}]) {
      const [obs, ms] = elapsedMs(() => observe(jsonResponse(body), options))
      const obj = obs.responseBody.shape?.obj
      expect(obs.responseBody.error).toBeUndefined()
      expect(obs.responseBody.truncated).toBe(true)
      expect(Object.keys(obj?.props ?? {}).length).toBe(200)
      expect(obj?.restKeys).toBe(1_000 - 200)
      expect(ms).toBeLessThan(5_000)
    }
  })

  test('the width guard counts the members of each object, not commas in strings, arrays or nested objects', () => {
    const members = (n: number, value: (i: number) => string) =>
      `{${Array.from({ length: n }, (_, i) => `"k${i}":${value(i)}`).join(',')}}`
    // Exactly 1,000 members, with commas in strings: read whole.
    const exact = observe(jsonResponse(members(1_000, (i) => `"a,b,c ${i}"`)))
    expect(exact.responseBody.truncated).toBe(false)
    expect(exact.responseBody.shape?.obj?.restKeys).toBe(800)
    // 1,001 members: cut before the last one.
    const over = observe(jsonResponse(members(1_001, (i) => String(i))))
    expect(over.responseBody.truncated).toBe(true)
    expect(over.responseBody.shape?.obj?.restKeys).toBe(800)
    // Few members holding long arrays and 900-member objects: nothing is cut.
    const nested = observe(
      jsonResponse(
        members(
          3,
          () => `{"list":[${Array.from({ length: 5_000 }, (_, i) => i).join(',')}],"o":${members(900, String)}}`,
        ),
      ),
    )
    expect(nested.responseBody.truncated).toBe(false)
    expect(nested.responseBody.shape?.obj?.props.k2?.obj?.props.list?.arr?.maxLen).toBe(5_000)
    // A wide object deep inside: the outer levels before the cut are still shaped.
    const inner = observe(jsonResponse(`{"before":1,"flood":${members(20_000, String)},"after":2}`))
    expect(inner.responseBody.truncated).toBe(true)
    expect(inner.responseBody.shape?.obj?.props.before?.int).toBe(1)
    expect(inner.responseBody.shape?.obj?.props.flood?.obj?.restKeys).toBe(800)
    expect(inner.responseBody.shape?.obj?.props.after).toBeUndefined()
  })

  test('a 100,000-key map of ids is one rest shape', () => {
    const keys = Array.from({ length: 100_000 }, (_, i) => `"${i}":{"v":${i}}`)
    const obs = observe(jsonResponse(`{${keys.join(',')}}`))
    const obj = obs.responseBody.shape?.obj
    expect(obj?.idKeys).toBe(1)
    expect(Object.keys(obj?.props ?? {})).toEqual([])
    expect(obj?.rest?.obj?.props.v?.int).toBeGreaterThan(0)
  })

  test('a huge array shapes a bounded sample of items but records its length', () => {
    const body = `[${Array.from({ length: 500_000 }, (_, i) => `{"i":${i}}`).join(',')}]`
    const obs = observe(jsonResponse(body), { maxParseBytes: 16 * 1024 * 1024 })
    expect(obs.responseBody.shape?.arr?.maxLen).toBe(500_000)
    expect(obs.responseBody.shape?.arr?.items?.n).toBe(64)
    const cut = observe(jsonResponse(body))
    expect(cut.responseBody.truncated).toBe(true)
    expect(cut.responseBody.shape?.arr?.items?.obj?.props.i?.int).toBe(64)
  })

  test('__proto__ and constructor keys are data, and nothing is polluted', () => {
    const body = '{"__proto__":{"polluted":"yes","isAdmin":true},"constructor":{"prototype":{"polluted":"yes"}},"a":1}'
    const before = Object.getOwnPropertyNames(Object.prototype).sort()
    const obs = observe(jsonResponse(body))
    const form = observe({
      ...jsonResponse(''),
      url: '/x?__proto__[polluted]=1&constructor=2&__proto__=3',
      requestHeaders: { 'content-type': 'application/x-www-form-urlencoded', host: 'h' },
      requestBody: copyOf('__proto__=1&constructor=x&toString=y'),
    })
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined()
    const props = obs.responseBody.shape?.obj?.props
    expect(Object.hasOwn(props ?? {}, '__proto__')).toBe(true)
    const own = (key: string) => Object.getOwnPropertyDescriptor(props ?? {}, key)?.value as Shape | undefined
    expect(own('__proto__')?.obj?.props.isAdmin?.bool).toBe(1)
    expect(own('constructor')?.obj?.props.prototype?.obj).toBeDefined()
    const formProps = form.requestBody.shape?.obj?.props
    expect(Object.keys(formProps ?? {}).sort()).toEqual(['__proto__', 'constructor', 'toString'])
    expect(Object.keys(form.query.obj?.props ?? {}).sort()).toEqual(['__proto__', '__proto__[polluted]', 'constructor'])
  })

  test('a declared 1 GB body with a small copy is recorded from the copy', () => {
    const ex = jsonResponse('{"a":1}', { 'content-length': String(1024 ** 3) })
    const obs = observe(ex)
    expect(obs.responseBody).toMatchObject({ kind: 'json', bytes: 7, truncated: false })
  })

  test('a 1 MiB string is shaped when read whole, and incomplete when cut at the parse cap', () => {
    const body = `"${'a'.repeat(1024 * 1024)}"`
    const whole = observe(jsonResponse(body), { maxParseBytes: 2 * 1024 * 1024 })
    expect(whole.responseBody.shape?.str?.maxLen).toBe(1024 * 1024)
    expect(whole.responseBody.shape?.str?.vals).toBeNull()
    const cut = observe(jsonResponse(body))
    expect(cut.responseBody).toMatchObject({ kind: 'json', truncated: true, error: 'incomplete-json' })
  })

  test('forms with a million fields read only the field cap', () => {
    const body = Array.from({ length: 1_000_000 }, (_, i) => `f${i}=1`).join('&')
    const ex = jsonResponse('')
    ex.requestHeaders = { 'content-type': 'application/x-www-form-urlencoded' }
    ex.requestBody = copyOf(body, body.length)
    const obs = observe(ex, { maxFields: 256 })
    expect(Object.keys(obs.requestBody.shape?.obj?.props ?? {}).length).toBe(200)
    expect(obs.requestBody.shape?.obj?.restKeys).toBe(56)
  })

  test('multipart with endless parts scans at most maxParts', () => {
    const part = '--b\r\nContent-Disposition: form-data; name="f"\r\n\r\nx\r\n'
    const ex = jsonResponse('')
    ex.requestHeaders = { 'content-type': 'multipart/form-data; boundary=b' }
    ex.requestBody = copyOf(part.repeat(50_000))
    const obs = observe(ex, { maxParts: 100 })
    expect(obs.requestBody.shape?.obj?.props.f?.arr?.maxLen).toBe(100)
  })
})

describe('attacker-controlled names', () => {
  const longKey = 'k'.repeat(100_000)

  test('an over-long JSON key is folded into rest and never kept as a name', () => {
    const obs = observe(
      jsonResponse(JSON.stringify({ id: 1, [longKey]: { deep: true }, items: [{ [longKey]: 1, ok: 2 }] })),
    )
    const obj = obs.responseBody.shape?.obj
    expect(Object.keys(obj?.props ?? {}).sort()).toEqual(['id', 'items'])
    expect(obj?.restKeys).toBe(1)
    expect(obj?.rest?.obj?.props.deep?.bool).toBe(1)
    expect(Object.keys(obj?.props.items?.arr?.items?.obj?.props ?? {})).toEqual(['ok'])
    expect(JSON.stringify(obs)).not.toContain('k'.repeat(129))
  })

  test('over-long query, form and multipart names are folded too', () => {
    const ex = jsonResponse('{}')
    ex.url = `/x?${'q'.repeat(200)}=1&a=2`
    ex.requestHeaders = { 'content-type': 'application/x-www-form-urlencoded' }
    ex.requestBody = copyOf(`${'f'.repeat(200)}=1&b=2`)
    const obs = observe(ex)
    expect(Object.keys(obs.query.obj?.props ?? {})).toEqual(['a'])
    expect(Object.keys(obs.requestBody.shape?.obj?.props ?? {})).toEqual(['b'])
    const mp = jsonResponse('{}')
    mp.requestHeaders = { 'content-type': 'multipart/form-data; boundary=b' }
    mp.requestBody = copyOf(`--b\r\nContent-Disposition: form-data; name="${'m'.repeat(200)}"\r\n\r\nx\r\n--b--\r\n`)
    expect(observe(mp).requestBody.shape?.obj?.restKeys).toBe(1)
  })
})

describe('names that are data', () => {
  test.each([
    ['sk_live_4eC39HqLyjWDarjtT1zdp7dc', true],
    ['9f86d081884c7d659a2feaa0c55ad015', true],
    ['ada.lovelace@example.com', true],
    ['shippingAddressLine2', false],
    ['createdAt', false],
    ['address_line_1_text', false],
    ['1234567890123456', false],
  ])('%s is folded: %s', (key, folded) => {
    const obs = observe(jsonResponse(JSON.stringify({ keep: 1, [key]: { v: 1 } })))
    const props = obs.responseBody.shape?.obj?.props ?? {}
    expect(Object.hasOwn(props, key)).toBe(!folded)
    expect(obs.responseBody.shape?.obj?.restKeys ?? 0).toBe(folded ? 1 : 0)
  })
})
