import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, onTestFinished, test } from 'vitest'
import { SpecterError } from '../../src/errors.js'
import { loadSpec, watchSpec } from '../../src/spec/index.js'
import { startUpstream } from '../helpers/upstream.js'

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'specter-spec-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
}

async function codeOf(p: Promise<unknown>): Promise<SpecterError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(SpecterError)
  return err as SpecterError
}

const OAS30 = `openapi: 3.0.3
info:
  title: Users
  version: '1.0'
servers:
  - url: https://api.example.com/api
security:
  - bearer: []
paths:
  /users:
    get:
      parameters:
        - $ref: '#/components/parameters/Limit'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: array
                items: { $ref: 'schemas.yaml#/User' }
  /users/{id}:
    parameters:
      - { name: id, in: path, required: true, schema: { type: integer } }
    delete:
      deprecated: true
      security: []
      x-internal: true
      responses:
        '204': { description: gone }
components:
  securitySchemes:
    bearer: { type: http, scheme: bearer }
  parameters:
    Limit: { name: limit, in: query, schema: { type: integer } }
`
const SCHEMAS = `User:
  type: object
  properties:
    id: { type: integer }
    manager: { $ref: '#/User' }
    team: { $ref: 'team.yaml#/Team' }
`
const TEAM = `Team:
  type: object
  properties:
    lead: { $ref: 'schemas.yaml#/User' }
`

describe('loadSpec', () => {
  test('reads OpenAPI 3.0 YAML with external, cyclic $refs into one model', async () => {
    const dir = tempDir()
    write(dir, { 'api.yaml': OAS30, 'schemas.yaml': SCHEMAS, 'team.yaml': TEAM })
    const spec = await loadSpec(join(dir, 'api.yaml'))
    expect(spec.version).toBe('3.0')
    expect(spec.prefixes).toEqual(['/api'])
    expect(spec.localFile).toBe(join(dir, 'api.yaml'))
    expect(spec.operations.map((o) => `${o.method} ${o.template}`)).toEqual(['GET /users', 'DELETE /users/{id}'])
    const [list, del] = spec.operations
    expect(list?.parameters).toMatchObject([{ name: 'limit', in: 'query', required: false }])
    expect(list?.security).toEqual([{ bearer: [] }])
    expect(del?.security).toEqual([])
    expect(del?.deprecated).toBe(true)
    expect(del?.extensions).toEqual({ 'x-internal': true })
    expect(del?.parameters).toMatchObject([{ name: 'id', in: 'path', required: true }])
    expect(spec.securitySchemes).toEqual({ bearer: { type: 'http', scheme: 'bearer' } })
    // What an undocumented operation would get: the document's own requirement.
    expect(spec.security).toEqual([{ bearer: [] }])
    // The path item's line, for SARIF.
    expect(list?.pathLocation).toEqual({ source: join(dir, 'api.yaml'), pointer: '/paths/~1users', line: 10 })
    expect(del?.pathLocation.line).toBe(22)
    // Recursive schemas are cycles in the graph (through a second file, too).
    type Node = { properties: Record<string, Node>; items: Node }
    const user = (list?.responses[0]?.content[0]?.schema as Node | undefined)?.items as Node
    expect(user.properties['manager']).toBe(user)
    expect(user.properties['team']?.properties['lead']).toBe(user)
    expect(spec.locate(user)).toMatchObject({ source: 'schemas.yaml', pointer: '/User', line: 1 })
    // The bundled tree cuts cycles and is plain JSON.
    const bundled = JSON.stringify(spec.bundle())
    expect(bundled).toContain('"manager":{}')
    expect(bundled).not.toContain('$ref')
  })

  test('reads OpenAPI 3.1 JSON and Swagger 2.0 (basePath, body, formData, produces)', async () => {
    const dir = tempDir()
    write(dir, {
      'v31.json': JSON.stringify({
        openapi: '3.1.0',
        info: { title: 'T', version: '1' },
        paths: { '/a': { get: { responses: { '200': { description: 'ok' } } } } },
      }),
      'v2.json': JSON.stringify({
        swagger: '2.0',
        info: { title: 'P', version: '1' },
        basePath: '/v1/',
        produces: ['application/json'],
        securityDefinitions: { basic: { type: 'basic' }, key: { type: 'apiKey', in: 'header', name: 'X-Key' } },
        paths: {
          '/pets': {
            post: {
              parameters: [{ name: 'body', in: 'body', required: true, schema: { type: 'object' } }],
              responses: { '201': { description: 'made', schema: { type: 'object' } } },
            },
            put: {
              parameters: [{ name: 'name', in: 'formData', type: 'string', required: true }],
              responses: { default: { description: 'any' } },
            },
          },
        },
      }),
    })
    const v31 = await loadSpec(join(dir, 'v31.json'))
    expect(v31.version).toBe('3.1')
    expect(v31.prefixes).toEqual([''])
    const v2 = await loadSpec('v2.json', { cwd: dir })
    expect(v2.version).toBe('2.0')
    expect(v2.prefixes).toEqual(['/v1'])
    const post = v2.operations.find((o) => o.method === 'POST')
    const put = v2.operations.find((o) => o.method === 'PUT')
    expect(post?.requestBody).toMatchObject({ required: true, content: [{ mediaType: 'application/json' }] })
    expect(post?.responses[0]).toMatchObject({ status: '201', content: [{ mediaType: 'application/json' }] })
    expect(put?.requestBody?.content[0]).toMatchObject({
      mediaType: 'application/x-www-form-urlencoded',
      schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
    })
    expect(put?.responses[0]?.status).toBe('default')
    expect(v2.securitySchemes).toEqual({
      basic: { type: 'http', scheme: 'basic' },
      key: { type: 'apiKey', in: 'header', name: 'X-Key' },
    })
  })

  test.each([
    ['a YAML syntax error', 'openapi: 3.0.3\ninfo: {title: x\npaths: {}\n', /line [1-4]/],
    ['not an OpenAPI document', 'hello: world\n', /#\/? \(line 1\).*not an OpenAPI/],
    ['an unsupported version', 'openapi: 4.0.0\npaths: {}\n', /not an OpenAPI 3\.0\/3\.1 or Swagger 2\.0/],
    [
      'a dangling $ref (pointer and line)',
      'openapi: 3.0.3\ninfo: {title: x, version: "1"}\npaths:\n  /a:\n    get:\n      responses:\n        "200":\n          $ref: "#/components/responses/Nope"\n',
      /#\/paths\/~1a\/get\/responses\/200 \(line 7\).*points at nothing/,
    ],
    [
      'a path without a leading slash',
      'openapi: 3.0.3\ninfo: {title: x, version: "1"}\npaths:\n  users: {}\n',
      /#\/paths\/users \(line 4\)/,
    ],
    [
      'a parameter without `in`',
      'openapi: 3.0.3\ninfo: {title: x, version: "1"}\npaths:\n  /a:\n    get:\n      parameters:\n        - name: q\n      responses: {}\n',
      /#\/paths\/~1a\/get\/parameters\/0 \(line 7\).*`name` and `in`/,
    ],
    [
      'a $ref loop that never reaches a value',
      'openapi: 3.0.3\ninfo: {title: x, version: "1"}\npaths:\n  /a:\n    $ref: "#/x-a"\nx-a:\n  $ref: "#/x-b"\nx-b:\n  $ref: "#/x-a"\n',
      /loops on itself/,
    ],
  ])('an invalid spec is SPECTER_ERR_SPEC_INVALID naming the place: %s', async (_name, text, message) => {
    const dir = tempDir()
    write(dir, { 'bad.yaml': text })
    const err = await codeOf(loadSpec(join(dir, 'bad.yaml')))
    expect(err.code).toBe('SPECTER_ERR_SPEC_INVALID')
    expect(err.message).toMatch(message)
  })

  test('a missing file or a missing referenced file is SPECTER_ERR_SPEC_UNREADABLE', async () => {
    const dir = tempDir()
    expect((await codeOf(loadSpec(join(dir, 'nope.yaml')))).code).toBe('SPECTER_ERR_SPEC_UNREADABLE')
    write(dir, { 'api.yaml': OAS30 })
    const err = await codeOf(loadSpec(join(dir, 'api.yaml')))
    expect(err.code).toBe('SPECTER_ERR_SPEC_UNREADABLE')
    expect(err.message).toContain('schemas.yaml')
  })

  test('a file over the size limit is refused before it is parsed', async () => {
    const dir = tempDir()
    write(dir, { 'big.yaml': OAS30 })
    const err = await codeOf(loadSpec(join(dir, 'big.yaml'), { maxBytes: 100 }))
    expect(err.code).toBe('SPECTER_ERR_SPEC_UNREADABLE')
    expect((err.cause as Error).message).toMatch(/100-byte limit/)
  })
})

describe('loadSpec from a URL (loopback)', () => {
  test('follows same-origin relative $refs', async () => {
    const base = await startUpstream((req, res) => {
      const files: Record<string, string> = { '/api.yaml': OAS30, '/schemas.yaml': SCHEMAS, '/team.yaml': TEAM }
      const body = files[req.url ?? '']
      res.statusCode = body === undefined ? 404 : 200
      res.end(body ?? 'not found')
    })
    const spec = await loadSpec(`${base}/api.yaml`)
    expect(spec.operations).toHaveLength(2)
    expect(spec.localFile).toBeUndefined()
    expect(spec.operations[0]?.pathLocation.line).toBe(10)
  })

  test('an HTTP error, a slow answer and an oversized body are SPECTER_ERR_SPEC_UNREADABLE', async () => {
    const base = await startUpstream((req, res) => {
      if (req.url === '/missing') {
        res.statusCode = 404
        res.end()
      } else if (req.url === '/big') {
        // No content-length: the limit must hold while streaming.
        res.write('x'.repeat(4096))
        res.end('x'.repeat(4096))
      }
      // '/slow' never answers; the loader's timeout ends it.
    })
    const missing = await codeOf(loadSpec(`${base}/missing`))
    expect(missing.code).toBe('SPECTER_ERR_SPEC_UNREADABLE')
    expect((missing.cause as Error).message).toBe('HTTP 404')
    const slow = await codeOf(loadSpec(`${base}/slow`, { timeoutMs: 150 }))
    expect(slow.code).toBe('SPECTER_ERR_SPEC_UNREADABLE')
    expect((slow.cause as Error).message).toMatch(/within 150 ms/)
    const big = await codeOf(loadSpec(`${base}/big`, { maxBytes: 5000 }))
    expect(big.code).toBe('SPECTER_ERR_SPEC_UNREADABLE')
  })

  test('a fetched spec may not $ref local files', async () => {
    const base = await startUpstream((_req, res) => {
      res.end(OAS30.replace("'schemas.yaml#/User'", "'file:///etc/passwd#/x'"))
    })
    const err = await codeOf(loadSpec(`${base}/api.yaml`))
    expect(err.code).toBe('SPECTER_ERR_SPEC_INVALID')
    expect(err.message).toMatch(/leaves the spec's origin/)
  })
})

describe('watchSpec', () => {
  test('calls back after the file is rewritten', async () => {
    const dir = tempDir()
    const file = join(dir, 'api.yaml')
    write(dir, { 'api.yaml': OAS30, 'schemas.yaml': SCHEMAS, 'team.yaml': TEAM })
    let calls = 0
    const changed = new Promise<void>((resolve) => {
      const watcher = watchSpec(
        file,
        () => {
          calls++
          watcher.close()
          resolve()
        },
        { debounceMs: 50 },
      )
      onTestFinished(() => watcher.close())
    })
    writeFileSync(file, `${OAS30}\n# one`)
    writeFileSync(file, `${OAS30}\n# two`)
    await changed
    expect(calls).toBe(1)
    const spec = await loadSpec(file)
    expect(spec.operations).toHaveLength(2)
  })
})

describe('server prefixes', () => {
  test.each([
    ['https://api.example.com/v1/', '/v1'],
    ['https://api.example.com', ''],
    ['/', ''],
    ['./api', '/api'],
    ['api', '/api'],
    ['//cdn.example.com/base?x=1', '/base'],
    ['https://{host}/{base}', '/v2'],
  ])('%s -> "%s"', async (url, prefix) => {
    const dir = tempDir()
    write(dir, {
      'api.yaml': `openapi: 3.0.3\ninfo: {title: x, version: '1'}\nservers:\n  - url: '${url}'\n    variables:\n      host: {default: example.com}\n      base: {default: v2}\npaths: {}\n`,
    })
    expect((await loadSpec(join(dir, 'api.yaml'))).prefixes).toEqual([prefix])
  })
})
