import * as zlib from 'node:zlib'
import { describe, expect, test } from 'vitest'
import { observe } from '../../src/capture/index.js'
import { copyOf, jsonResponse } from './exchange-builder.js'

const users = Array.from({ length: 400 }, (_, i) => ({
  id: i,
  email: `user${i}@example.com`,
  created: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
  active: i % 2 === 0,
}))
const json = Buffer.from(JSON.stringify(users))
const gzip = (b: Buffer) => zlib.gzipSync(b)
const br = (b: Buffer) => zlib.brotliCompressSync(b)
const deflate = (b: Buffer) => zlib.deflateSync(b)
const rawDeflate = (b: Buffer) => zlib.deflateRawSync(b)

describe('content decoding', () => {
  test.each([
    ['gzip', gzip(json)],
    ['x-gzip', gzip(json)],
    ['br', br(json)],
    ['deflate', deflate(json)],
    // Servers that send raw RFC 1951 data labelled deflate (old IIS, some proxies).
    ['deflate', rawDeflate(json)],
    ['GZIP', gzip(json)],
    ['identity', json],
    // Stacked codings are listed in the order applied (RFC 9110 §8.4): decode right to left.
    ['deflate, gzip', gzip(deflate(json))],
    ['gzip, br', br(gzip(json))],
    ['br, deflate, gzip', gzip(rawDeflate(br(json)))],
  ])('%s decodes to the JSON shape', (encoding, wire) => {
    const obs = observe(jsonResponse(wire, { 'content-encoding': encoding }))
    expect(obs.responseBody.kind).toBe('json')
    expect(obs.responseBody.error).toBeUndefined()
    expect(obs.responseBody.truncated).toBe(false)
    expect(obs.responseBody.bytes).toBe(wire.length)
    const items = obs.responseBody.shape?.arr?.items
    expect(items?.obj?.props.email?.str?.fmt).toEqual({ email: 64 })
    expect(items?.obj?.props.created?.str?.fmt).toEqual({ 'date-time': 64 })
    expect(obs.responseBody.shape?.arr?.maxLen).toBe(400)
    if (encoding !== 'identity') expect(obs.responseBody.encoding).toBe(encoding.toLowerCase())
  })

  test('stacked encodings given as separate header lines decode too', () => {
    const obs = observe(jsonResponse(br(gzip(json)), { 'content-encoding': ['gzip', 'br'] }))
    expect(obs.responseBody.kind).toBe('json')
  })

  test.each([
    ['compress', gzip(json), 'unsupported-encoding'],
    ['zstd', gzip(json), 'unsupported-encoding'],
    ['gzip, gzip, gzip, gzip, gzip', json, 'unsupported-encoding'],
    ['gzip', Buffer.from('this is not gzip at all'), 'decode-failed'],
    ['br', Buffer.from('{"not":"brotli"}'), 'decode-failed'],
    ['deflate', Buffer.from([0xff, 0xff, 0xff, 0xff]), 'decode-failed'],
  ])('%s on bad input is recorded as invalid with %s', (encoding, wire, error) => {
    const obs = observe(jsonResponse(wire, { 'content-encoding': encoding }))
    expect(obs.responseBody.kind).toBe('invalid')
    expect(obs.responseBody.error).toBe(error)
    expect(obs.responseBody.shape).toBeUndefined()
  })
})

describe('decompression bombs', () => {
  // 64 MiB of zeros: about 64 KB gzipped, a few dozen bytes as brotli; 64 times the limit.
  const zeros = Buffer.alloc(64 * 1024 * 1024)
  const bombs: Array<[string, Buffer]> = [
    ['gzip', zlib.gzipSync(zeros, { level: 1 })],
    ['br', zlib.brotliCompressSync(zeros, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } })],
    ['deflate', zlib.deflateSync(zeros, { level: 1 })],
  ]
  test.each(bombs)('a %s bomb stops at maxDecodedBytes with decompression-limit', (encoding, wire) => {
    const started = process.hrtime.bigint()
    const obs = observe(jsonResponse(wire, { 'content-encoding': encoding }), { maxDecodedBytes: 1024 * 1024 })
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6
    expect(obs.responseBody.kind).toBe('invalid')
    expect(obs.responseBody.error).toBe('decompression-limit')
    expect(obs.responseBody.truncated).toBe(true)
    // Bounded work: decoding stops at 1 MiB, far from the 64 MiB the bomb holds (a generous
    // bound, not a timing assertion).
    expect(elapsedMs).toBeLessThan(2_000)
  })

  test('a bomb stacked inside another encoding is caught at the inner layer', () => {
    const wire = zlib.gzipSync(zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 1 }))
    const obs = observe(jsonResponse(wire, { 'content-encoding': 'gzip, gzip' }), { maxDecodedBytes: 1024 * 1024 })
    expect(obs.responseBody.error).toBe('decompression-limit')
  })
})

describe('truncated copies', () => {
  test.each([
    ['gzip', gzip(json)],
    ['br', br(json)],
    ['deflate', deflate(json)],
    ['deflate', rawDeflate(json)],
    ['identity', json],
  ])('a %s copy cut in half decodes as far as it goes and is marked truncated', (encoding, wire) => {
    const half = Math.floor(wire.length / 2)
    const ex = jsonResponse(wire, { 'content-encoding': encoding })
    ex.responseBody = copyOf(wire, half)
    const obs = observe(ex)
    expect(obs.responseBody.truncated).toBe(true)
    expect(obs.responseBody.bytes).toBe(wire.length)
    expect(obs.responseBody.kind).toBe('json')
    // The part that arrived still gives the item shape (the truncated array is closed).
    const items = obs.responseBody.shape?.arr?.items
    expect(items?.obj?.props.email?.str?.fmt?.email).toBeGreaterThan(0)
    expect(obs.responseBody.shape?.arr?.maxLen).toBeLessThan(400)
  })

  test('an aborted response whose stream ends early is marked truncated', () => {
    const wire = gzip(json)
    const ex = jsonResponse(wire.subarray(0, 1000), { 'content-encoding': 'gzip' })
    ex.outcome = 'aborted'
    const obs = observe(ex)
    expect(obs.responseBody.truncated).toBe(true)
    expect(obs.responseBody.kind).toBe('json')
  })

  test('a complete-looking copy of a gzip stream that ends early is retried and marked truncated', () => {
    const wire = gzip(json).subarray(0, 1500)
    const obs = observe(jsonResponse(wire, { 'content-encoding': 'gzip' }))
    expect(obs.responseBody.truncated).toBe(true)
    expect(obs.responseBody.kind).toBe('json')
    expect(obs.responseBody.error).toBeUndefined()
  })

  test('a truncated copy with nothing complete is incomplete-json, not invalid', () => {
    const ex = jsonResponse('"a long string that was cut', {})
    ex.responseBody = copyOf('"a long string that was cut', 10)
    const obs = observe(ex)
    expect(obs.responseBody).toMatchObject({ kind: 'json', truncated: true, error: 'incomplete-json' })
  })
})
