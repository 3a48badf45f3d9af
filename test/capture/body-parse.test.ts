import { describe, expect, test } from 'vitest'
import { observe } from '../../src/capture/index.js'
import { copyOf, exchange } from './exchange-builder.js'

function request(contentType: string | undefined, body: Buffer | string) {
  return exchange({
    method: 'POST',
    url: '/things',
    requestHeaders: contentType === undefined ? {} : { 'content-type': contentType },
    requestBody: copyOf(body),
  })
}

describe('parsing by media type', () => {
  test.each([
    ['application/json', '{"a":1}', 'json'],
    ['application/json; charset=utf-8', '{"a":1}', 'json'],
    ['Application/JSON', '{"a":1}', 'json'],
    ['application/problem+json', '{"a":1}', 'json'],
    ['application/vnd.api+json', '{"a":1}', 'json'],
    ['application/x-www-form-urlencoded', 'a=1', 'form'],
    [
      'multipart/form-data; boundary=xyz',
      '--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--xyz--\r\n',
      'multipart',
    ],
    ['text/plain', 'hello', 'text'],
    ['text/html; charset=utf-8', '<p>hi</p>', 'text'],
    ['application/xml', '<a/>', 'text'],
    ['application/octet-stream', Buffer.from([0, 1, 2, 255]), 'binary'],
    ['image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'binary'],
    // No content type: JSON is sniffed, anything else is opaque.
    [undefined, ' {"a":1}', 'json'],
    [undefined, 'plain words', 'binary'],
  ])('%s -> %s', (contentType, body, kind) => {
    const obs = observe(request(contentType, body))
    expect(obs.requestBody.kind).toBe(kind)
    expect(obs.requestBody.bytes).toBe(Buffer.byteLength(body))
    expect(obs.requestBody.error).toBeUndefined()
  })

  test('the request content type is the media type without parameters', () => {
    const obs = observe(request('Application/JSON; charset=UTF-8', '{}'))
    expect(obs.requestContentType).toBe('application/json')
  })

  test('an empty body is none', () => {
    const obs = observe(exchange({ method: 'GET' }))
    expect(obs.requestBody).toEqual({ kind: 'none', bytes: 0, truncated: false })
    expect(obs.responseBody.kind).toBe('none')
  })

  test('JSON gives the shape of the value', () => {
    const obs = observe(request('application/json', '{"id":7,"tags":["a","b"],"price":1.5,"ok":true,"n":null}'))
    const props = obs.requestBody.shape?.obj?.props
    expect(props?.id?.int).toBe(1)
    expect(props?.price?.num).toBe(1)
    expect(props?.ok?.bool).toBe(1)
    expect(props?.n?.nul).toBe(1)
    expect(props?.tags?.arr?.items?.str?.n).toBe(2)
  })

  test('a UTF-8 byte order mark before JSON is tolerated', () => {
    const obs = observe(request('application/json', '\uFEFF{"a":1}'))
    expect(obs.requestBody.kind).toBe('json')
  })

  test('form fields give an object shape with coerced kinds; repeated names become arrays', () => {
    const obs = observe(
      request('application/x-www-form-urlencoded', 'name=Ada+L&age=36&ratio=0.5&tag=a&tag=b&opt=true'),
    )
    const props = obs.requestBody.shape?.obj?.props
    expect(Object.keys(props ?? {}).sort()).toEqual(['age', 'name', 'opt', 'ratio', 'tag'])
    expect(props?.age?.int).toBe(1)
    expect(props?.ratio?.num).toBe(1)
    expect(props?.opt?.bool).toBe(1)
    expect(props?.tag?.arr?.maxLen).toBe(2)
    expect(props?.name?.str?.n).toBe(1)
  })

  test('multipart records field names only, files with format binary', () => {
    const body =
      '--b0undary\r\nContent-Disposition: form-data; name="title"\r\n\r\nMy secret title\r\n' +
      '--b0undary\r\nContent-Disposition: form-data; name="file"; filename="cv.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 binary\r\n' +
      '--b0undary\r\nContent-Disposition: form-data; name="tags"\r\n\r\nx\r\n' +
      '--b0undary\r\nContent-Disposition: form-data; name="tags"\r\n\r\ny\r\n' +
      '--b0undary--\r\n'
    const obs = observe(request('multipart/form-data; boundary="b0undary"', body))
    expect(obs.requestBody.kind).toBe('multipart')
    const props = obs.requestBody.shape?.obj?.props
    expect(Object.keys(props ?? {}).sort()).toEqual(['file', 'tags', 'title'])
    expect(props?.file?.str?.fmt).toEqual({ binary: 1 })
    expect(props?.tags?.arr?.maxLen).toBe(2)
    const text = JSON.stringify(obs)
    expect(text).not.toContain('My secret title')
    expect(text).not.toContain('cv.pdf')
  })

  test('multipart without a boundary is invalid-multipart', () => {
    const obs = observe(request('multipart/form-data', 'whatever'))
    expect(obs.requestBody).toMatchObject({ kind: 'invalid', error: 'invalid-multipart' })
  })
})

describe('invalid bodies', () => {
  test.each([
    ['{"a":', 'invalid-json'],
    ['{"a":1}}', 'invalid-json'],
    ["{'a':1}", 'invalid-json'],
    ['', 'invalid-json'],
    [Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), 'invalid-utf8'],
    [Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x89, 0x50, 0x4e, 0x47]), 'invalid-utf8'],
    // Binary that happens to be valid UTF-8 still is not JSON.
    [Buffer.from([0x00, 0x01, 0x02, 0x03]), 'invalid-json'],
  ])('application/json body %# is invalid with %s', (body, error) => {
    const ex = request('application/json', body)
    if (ex.requestBody.totalBytes === 0)
      ex.requestBody = { chunks: [], copiedBytes: 0, totalBytes: 1, truncated: false }
    const obs = observe(ex)
    expect(obs.requestBody.kind).toBe('invalid')
    expect(obs.requestBody.error).toBe(error)
  })

  test('a truncated copy that ends inside a multi-byte character still parses', () => {
    const text = JSON.stringify([{ name: 'Zoë' }, { name: 'Zoë' }, { name: 'Zoë' }])
    const bytes = Buffer.from(text)
    const cut = bytes.indexOf(Buffer.from('ë', 'utf8'), 30) + 1
    const ex = request('application/json', bytes)
    ex.requestBody = copyOf(bytes, cut)
    const obs = observe(ex)
    expect(obs.requestBody).toMatchObject({ kind: 'json', truncated: true })
  })

  test('text with invalid UTF-8 is still text', () => {
    const obs = observe(request('text/plain', Buffer.from([0x68, 0xff, 0x69])))
    expect(obs.requestBody.kind).toBe('text')
  })
})
