// Turns a resolved OpenAPI 3.0/3.1 or Swagger 2.0 document into the normalised SpecModel,
// checking the structure it relies on and naming the location (pointer and line) of each problem.
import { specInvalid } from '../errors.js'
import type {
  JsonSchema,
  SecurityRequirement,
  SecurityScheme,
  SourceLocation,
  SpecMedia,
  SpecModel,
  SpecOperation,
  SpecParameter,
  SpecRequestBody,
  SpecResponse,
  SpecVersion,
} from './model.js'
import { escapeToken } from './parse-document.js'
import type { RefResolver } from './resolve-refs.js'

type Json = Record<string, unknown>

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const
const PARAM_IN = new Set(['path', 'query', 'header', 'cookie'])

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v)
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

/** The spec version a document declares, or undefined when it declares none we read. */
export function detectVersion(doc: unknown): { version: SpecVersion; versionString: string } | undefined {
  if (!isObject(doc)) return undefined
  const openapi = str(doc['openapi'])
  if (openapi !== undefined) {
    if (/^3\.0(\.\d+)?(-[\w.]+)?$/.test(openapi)) return { version: '3.0', versionString: openapi }
    // 3.2 keeps 3.1's schema dialect; what Specter reads of it is the same.
    if (/^3\.[12](\.\d+)?(-[\w.]+)?$/.test(openapi)) return { version: '3.1', versionString: openapi }
    return undefined
  }
  const swagger = doc['swagger']
  if (swagger === '2.0' || swagger === 2) return { version: '2.0', versionString: '2.0' }
  return undefined
}

/** The path part of a server URL ('' for the root), with `{variables}` replaced by their defaults. */
export function serverPrefix(url: string, variables: unknown): string {
  let u = url.replace(/\{([^{}]{1,100})\}/g, (_m, name: string) => {
    const v = isObject(variables) ? variables[name] : undefined
    return isObject(v) && typeof v['default'] === 'string' ? v['default'] : ''
  })
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]{0,15}:\/\//.exec(u)
  if (scheme !== null || u.startsWith('//')) {
    const rest = u.slice(scheme !== null ? scheme[0].length : 2)
    const slash = rest.indexOf('/')
    u = slash === -1 ? '' : rest.slice(slash)
  }
  u = u.replace(/[?#].*$/, '')
  // A relative server URL (`./api`, `api`) is relative to where the spec is served; its path is what counts.
  if (u.startsWith('./')) u = u.slice(1)
  while (u.endsWith('/')) u = u.slice(0, -1)
  if (u !== '' && !u.startsWith('/')) u = `/${u}`
  return u
}

function uniquePrefixes(list: string[]): string[] {
  return [...new Set(list)].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0))
}

function serversOf(servers: unknown): string[] | undefined {
  if (!Array.isArray(servers) || servers.length === 0) return undefined
  return uniquePrefixes(servers.filter(isObject).map((s) => serverPrefix(str(s['url']) ?? '', s['variables'])))
}

function extensionsOf(o: Json): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(o)) if (k.startsWith('x-')) out[k] = o[k]
  return out
}

function securityOf(v: unknown): SecurityRequirement[] | undefined {
  if (!Array.isArray(v)) return undefined
  return v.filter(isObject).map((req) => {
    const out: SecurityRequirement = {}
    for (const k of Object.keys(req)) {
      const scopes = req[k]
      out[k] = Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === 'string') : []
    }
    return out
  })
}

/** Builds the model; throws SPECTER_ERR_SPEC_INVALID at the first structural problem. */
export function normalize(
  resolver: RefResolver,
  source: string,
  localFile: string | undefined,
  bundle: () => Record<string, unknown>,
): SpecModel {
  const doc = resolver.root()
  const detected = detectVersion(doc)
  const fail = (pointer: string, problem: string, value?: unknown): never => {
    const loc = value === undefined ? resolver.rootLocation(pointer) : resolver.location(value, pointer)
    const file = loc.source === source ? '' : loc.source
    throw specInvalid(source, `${file}#${loc.pointer} (line ${loc.line})`, problem)
  }
  if (detected === undefined) {
    const found = isObject(doc) ? (str(doc['openapi']) ?? String(doc['swagger'] ?? 'nothing')) : 'not an object'
    return fail('', `not an OpenAPI 3.0/3.1 or Swagger 2.0 document (found ${found.slice(0, 40)})`)
  }
  const { version, versionString } = detected
  const v2 = version === '2.0'
  const info = isObject(doc['info']) ? doc['info'] : {}
  const paths = doc['paths'] ?? {}
  if (!isObject(paths)) fail('/paths', '`paths` must be an object')

  const docPrefixes = v2 ? [serverPrefix(str(doc['basePath']) ?? '', undefined)] : (serversOf(doc['servers']) ?? [''])
  const globalConsumes = Array.isArray(doc['consumes']) ? doc['consumes'].filter((c) => typeof c === 'string') : []
  const globalProduces = Array.isArray(doc['produces']) ? doc['produces'].filter((c) => typeof c === 'string') : []
  const globalSecurity = securityOf(doc['security'])

  const schemes: Record<string, SecurityScheme> = {}
  const rawSchemes = v2
    ? doc['securityDefinitions']
    : isObject(doc['components'])
      ? doc['components']['securitySchemes']
      : undefined
  if (isObject(rawSchemes)) {
    for (const name of Object.keys(rawSchemes)) {
      const s = rawSchemes[name]
      if (!isObject(s)) continue
      const type = str(s['type']) ?? 'unknown'
      const scheme: SecurityScheme = { type: v2 && type === 'basic' ? 'http' : type }
      if (v2 && type === 'basic') scheme.scheme = 'basic'
      const sIn = str(s['in'])
      if (sIn !== undefined) scheme.in = sIn
      const sName = str(s['name'])
      if (sName !== undefined) scheme.name = sName
      const sScheme = str(s['scheme'])
      if (sScheme !== undefined) scheme.scheme = sScheme.toLowerCase()
      schemes[name] = scheme
    }
  }

  const parameterOf = (raw: unknown, pointer: string): SpecParameter | undefined => {
    if (!isObject(raw)) return fail(pointer, 'a parameter must be an object', raw)
    const name = str(raw['name'])
    const where = str(raw['in'])
    if (name === undefined || where === undefined) return fail(pointer, 'a parameter needs `name` and `in`', raw)
    if (v2 && (where === 'body' || where === 'formData')) return undefined
    if (!PARAM_IN.has(where)) return fail(pointer, `unknown parameter location "${where.slice(0, 40)}"`, raw)
    let schema: JsonSchema | undefined
    if (isObject(raw['schema'])) schema = raw['schema']
    else if (isObject(raw['content'])) {
      const first = Object.values(raw['content'])[0]
      if (isObject(first) && isObject(first['schema'])) schema = first['schema']
    } else if (v2 && typeof raw['type'] === 'string') {
      schema = v2Schema(raw)
    }
    const p: SpecParameter = {
      name,
      in: where as SpecParameter['in'],
      required: raw['required'] === true || where === 'path',
      deprecated: raw['deprecated'] === true,
      location: resolver.location(raw, pointer),
    }
    if (schema !== undefined) p.schema = schema
    return p
  }

  const mediaList = (content: unknown, pointer: string): SpecMedia[] => {
    if (content === undefined) return []
    if (!isObject(content)) return fail(pointer, '`content` must be an object', content)
    return Object.keys(content).map((mediaType) => {
      const m = content[mediaType]
      const mp = `${pointer}/${escapeToken(mediaType)}`
      const media: SpecMedia = { mediaType: mediaType.toLowerCase(), location: resolver.location(m, mp) }
      if (isObject(m) && isObject(m['schema'])) media.schema = m['schema']
      return media
    })
  }

  const operations: SpecOperation[] = []
  for (const template of Object.keys(paths as Json)) {
    const itemPointer = `/paths/${escapeToken(template)}`
    if (!template.startsWith('/')) fail(itemPointer, `the path "${template.slice(0, 100)}" must start with "/"`)
    const item = (paths as Json)[template]
    if (!isObject(item)) {
      fail(itemPointer, 'a path item must be an object')
      continue
    }
    const pathLocation = resolver.rootLocation(itemPointer)
    const itemParams = item['parameters'] ?? []
    if (!Array.isArray(itemParams)) fail(`${itemPointer}/parameters`, '`parameters` must be an array', item)
    const itemPrefixes = v2 ? undefined : serversOf(item['servers'])
    for (const method of METHODS) {
      const op = item[method]
      if (op === undefined) continue
      const opPointer = `${itemPointer}/${method}`
      if (!isObject(op)) {
        fail(opPointer, 'an operation must be an object')
        continue
      }
      const opParams = op['parameters'] ?? []
      if (!Array.isArray(opParams)) fail(`${opPointer}/parameters`, '`parameters` must be an array', op)
      const merged = new Map<string, SpecParameter>()
      const bodyParams: Array<{ raw: Json; pointer: string }> = []
      const collect = (list: unknown[], base: string) => {
        list.forEach((raw, i) => {
          const p = parameterOf(raw, `${base}/${i}`)
          if (p !== undefined) merged.set(`${p.in} ${p.name}`, p)
          else if (isObject(raw)) bodyParams.push({ raw, pointer: `${base}/${i}` })
        })
      }
      collect(itemParams as unknown[], `${itemPointer}/parameters`)
      collect(opParams as unknown[], `${opPointer}/parameters`)

      const responsesRaw = op['responses'] ?? {}
      if (!isObject(responsesRaw)) fail(`${opPointer}/responses`, '`responses` must be an object', op)
      const produces = Array.isArray(op['produces'])
        ? op['produces'].filter((c) => typeof c === 'string')
        : globalProduces
      const responses: SpecResponse[] = Object.keys(responsesRaw as Json)
        .filter((status) => !status.startsWith('x-'))
        .map((status) => {
          const r = (responsesRaw as Json)[status]
          const rp = `${opPointer}/responses/${escapeToken(status)}`
          if (!/^([1-5][0-9X]{2}|default)$/i.test(status)) fail(rp, `"${status.slice(0, 40)}" is not a status code`)
          if (!isObject(r)) return fail(rp, 'a response must be an object', r)
          let content: SpecMedia[]
          if (v2) {
            const types = produces.length > 0 ? produces : ['application/json']
            content = isObject(r['schema'])
              ? types.map((t) => ({
                  mediaType: String(t).toLowerCase(),
                  schema: v2Body(r['schema'] as Json),
                  location: resolver.location(r, rp),
                }))
              : []
          } else {
            content = mediaList(r['content'], `${rp}/content`)
          }
          return {
            status: status.toUpperCase() === 'DEFAULT' ? 'default' : status.toUpperCase(),
            content,
            location: resolver.location(r, rp),
          }
        })

      let requestBody: SpecRequestBody | undefined
      if (v2) {
        const consumes = Array.isArray(op['consumes'])
          ? op['consumes'].filter((c) => typeof c === 'string')
          : globalConsumes
        const body = bodyParams.find((b) => b.raw['in'] === 'body')
        const form = bodyParams.filter((b) => b.raw['in'] === 'formData')
        if (body !== undefined) {
          const types = consumes.length > 0 ? consumes : ['application/json']
          const schema = isObject(body.raw['schema']) ? v2Body(body.raw['schema']) : undefined
          requestBody = {
            required: body.raw['required'] === true,
            content: types.map((t) => {
              const m: SpecMedia = {
                mediaType: String(t).toLowerCase(),
                location: resolver.location(body.raw, body.pointer),
              }
              if (schema !== undefined) m.schema = schema
              return m
            }),
            location: resolver.location(body.raw, body.pointer),
          }
        } else if (form.length > 0) {
          const props: Json = {}
          const required: string[] = []
          for (const f of form) {
            const name = String(f.raw['name'])
            props[name] = v2Schema(f.raw)
            if (f.raw['required'] === true) required.push(name)
          }
          const types =
            consumes.length > 0
              ? consumes
              : [
                  form.some((f) => f.raw['type'] === 'file')
                    ? 'multipart/form-data'
                    : 'application/x-www-form-urlencoded',
                ]
          const first = form[0] as { raw: Json; pointer: string }
          requestBody = {
            required: required.length > 0,
            content: types.map((t) => ({
              mediaType: String(t).toLowerCase(),
              schema: { type: 'object', properties: props, required },
              location: resolver.location(first.raw, first.pointer),
            })),
            location: resolver.location(first.raw, first.pointer),
          }
        }
      } else if (op['requestBody'] !== undefined) {
        const rb = op['requestBody']
        const rbp = `${opPointer}/requestBody`
        if (!isObject(rb)) fail(rbp, '`requestBody` must be an object', rb)
        else
          requestBody = {
            required: rb['required'] === true,
            content: mediaList(rb['content'], `${rbp}/content`),
            location: resolver.location(rb, rbp),
          }
      }

      const operation: SpecOperation = {
        method: method.toUpperCase(),
        template,
        prefixes: (v2 ? undefined : (serversOf(op['servers']) ?? itemPrefixes)) ?? docPrefixes,
        deprecated: op['deprecated'] === true,
        parameters: [...merged.values()],
        responses,
        extensions: extensionsOf(op),
        location: resolver.rootLocation(opPointer),
        pathLocation,
      }
      const operationId = str(op['operationId'])
      if (operationId !== undefined) operation.operationId = operationId
      const summary = str(op['summary'])
      if (summary !== undefined) operation.summary = summary
      if (requestBody !== undefined) operation.requestBody = requestBody
      const security = securityOf(op['security']) ?? globalSecurity
      if (security !== undefined) operation.security = security
      operations.push(operation)
    }
  }

  const rootDoc = resolver.set.docs.get(resolver.set.rootUri)
  const model: SpecModel = {
    source,
    version,
    versionString,
    title: str(info['title']) ?? '',
    apiVersion: str(info['version']) ?? '',
    prefixes: uniquePrefixes(operations.flatMap((o) => o.prefixes).concat(operations.length === 0 ? docPrefixes : [])),
    operations,
    securitySchemes: schemes,
    bundle,
    locate: (node: object) => (resolver.origins.has(node) ? resolver.location(node, '') : undefined),
    lineOf: (pointer: string) => rootDoc?.lineOf(pointer) ?? 0,
  }
  if (localFile !== undefined) model.localFile = localFile
  if (globalSecurity !== undefined) model.security = globalSecurity
  return model
}

// Swagger 2.0 non-body parameters carry their schema keywords inline.
const V2_SCHEMA_KEYS = [
  'type',
  'format',
  'items',
  'enum',
  'default',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'pattern',
  'x-nullable',
]

function v2Schema(raw: Json): JsonSchema {
  const out: Json = {}
  for (const k of V2_SCHEMA_KEYS) if (raw[k] !== undefined) out[k] = raw[k]
  if (out['type'] === 'file') out['type'] = 'string'
  return out
}

// Swagger 2.0 body schemas are JSON Schema draft 4 with `x-nullable`; the comparator reads both.
const v2Body = (schema: Json): JsonSchema => schema

export type { SourceLocation }
