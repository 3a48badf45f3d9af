// Traffic for an OpenAPI document: for every operation, requests with varied path values,
// query parameters, credentials and bodies, answered per the spec (mostly success, sometimes a
// documented error). Produces the proxy's Exchange records, so capture's real `observe` runs.
import type { Exchange } from '../../src/capture/index.js'
import { mockValue, resolve, type Schema, uuid } from './mock-data.js'
import type { Direction } from './schema-view.js'
import type { Rng } from './rng.js'

export interface TrafficOptions {
  requestsPerOperation: number
  startMs: number
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch']

// Realistic identifier pools: usernames and org names are not dictionary words; repository
// names and feature flags mostly are (word slugs), which is the hard case for templating.
const POOLS: Record<string, readonly string[]> = {
  username: [
    'octocat',
    'torvalds',
    'gaearon',
    'sindresorhus',
    'mojombo',
    'defunkt',
    'wycats',
    'dhh',
    'kentcdodds',
    'addyosmani',
    'jlord',
    'mdo',
    'substack',
    'isaacs',
    'tenderlove',
    'yyx990803',
  ],
  org: ['acme-corp', 'initech', 'globex', 'umbrella-inc', 'hooli', 'piedpiper', 'vandelay', 'cyberdyne', 'soylent'],
  repo: [
    'hello-world',
    'react',
    'linux',
    'dotfiles',
    'awesome-list',
    'left-pad',
    'todo-app',
    'blog',
    'spoon-knife',
    'homebrew-core',
    'vimrc',
    'tiny-http',
    'fast-json',
    'word-count',
    'gitignore',
    'express',
  ],
  flag: [
    'new-dashboard',
    'dark-mode',
    'beta-search',
    'fast-checkout',
    'smart-inbox',
    'bulk-export',
    'audit-stream',
    'team-billing',
    'sso-enforce',
    'usage-alerts',
    'ai-summary',
    'live-chat',
  ],
  slug: [
    'hello-world',
    'why-we-moved-to-rust',
    'a-guide-to-caching',
    'spring-release-notes',
    'on-writing-well',
    'the-quiet-launch',
    'ten-tiny-wins',
    'postmortem-march',
    'meet-the-team',
    'building-in-public',
    'faster-builds',
    'design-systems-101',
  ],
  tag: ['python', 'rust', 'go', 'java', 'ruby', 'swift', 'kotlin', 'scala', 'perl', 'haskell', 'elixir', 'dart'],
  currency: ['USD', 'EUR', 'GBP', 'JPY', 'CHF', 'CAD', 'AUD', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK'],
  coupon: ['SUMMER24', 'WELCOME10', 'BF2024', 'SPRING15', 'VIP30X', 'NEWYEAR25', 'FLASH50', 'LOYAL20'],
  dataset: ['oa_citations', 'cancer_moonshot', 'oa_actions', 'ptab', 'enriched_cited_reference_metadata'],
  // Branch and version names as ReadMe projects use them.
  branch: ['stable', 'v1.0', 'v1.1', 'v2.0', 'v2.1', 'v3.0', 'v3.0.1', '1.2', '4.0.0', 'v2.0_beta'],
  filename: ['petstore.json', 'orders-api.yaml', 'billing.json', 'users-v2.yaml', 'payments.yml', 'search.json'],
}

// Third-party specs declare path parameters as plain strings: pick realistic values by name
// (first match wins); anything else is an opaque alphanumeric id.
const KIND_BY_NAME_PATTERN: ReadonlyArray<readonly [RegExp, string]> = [
  [/uuid/i, 'uuid'],
  [/slug|title/i, 'slug'],
  [/^(user(name)?|owner|login)$/i, 'username'],
  [/subdomain|^org/i, 'org'],
  [/branch|^version/i, 'branch'],
  [/filename/i, 'filename'],
  [/dataset/i, 'dataset'],
]

// Parameters that the specs leave undeclared, by name; everything else undeclared is an integer.
const KIND_BY_NAME: Record<string, string> = {
  accountId: 'uuid',
  transactionId: 'uuid',
  transferId: 'uuid',
  cardId: 'uuid',
  statementDate: 'date',
}

function hex(rng: Rng, n: number): string {
  let out = ''
  for (let i = 0; i < n; i++) out += '0123456789abcdef'[rng.int(0, 15)]
  // Make sure it has a letter and a digit, as real hashes almost always do.
  return `${out.slice(0, -2)}a7`
}

/** How to draw values for a path parameter: `x-values`, the harness's own names, then its schema and name. */
function pathKind(name: string, declared: Schema | undefined, spec: Schema): string | readonly string[] {
  const own = (declared?.['x-values'] as string | undefined) ?? KIND_BY_NAME[name]
  if (own !== undefined) return own
  const schema = resolve((declared?.['schema'] as Schema | undefined) ?? {}, spec)
  const values = schema['enum']
  if (Array.isArray(values) && values.length > 0) return values.map(String)
  if (schema['type'] === 'integer' || schema['type'] === 'number' || declared === undefined) return 'int'
  if (schema['format'] === 'uuid') return 'uuid'
  if (schema['format'] === 'date') return 'date'
  if (typeof schema['pattern'] === 'string' && schema['pattern'].startsWith('[a-f\\d]{24}')) return 'oid'
  return KIND_BY_NAME_PATTERN.find(([re]) => re.test(name))?.[1] ?? 'oid'
}

function pathValue(kind: string | readonly string[], rng: Rng): string {
  if (typeof kind !== 'string') return rng.pick(kind)
  const pool = POOLS[kind]
  if (pool !== undefined) return rng.pick(pool)
  switch (kind) {
    case 'uuid':
      return uuid(rng)
    case 'date':
      return `202${rng.int(0, 5)}-${String(rng.int(1, 12)).padStart(2, '0')}-01`
    case 'hex':
      return hex(rng, 32)
    case 'sha':
      return hex(rng, 40)
    case 'oid':
      return hex(rng, 24)
    default:
      return String(rng.int(1, 99_999))
  }
}

function queryValue(schema: Schema, rng: Rng): string {
  if (schema['type'] === 'integer') return String(rng.int(1, 100))
  if (schema['format'] === 'date') return `2024-0${rng.int(1, 9)}-1${rng.int(0, 9)}`
  if (schema['format'] === 'date-time') return `2024-0${rng.int(1, 9)}-10T10:00:00Z`
  return rng.pick(['open', 'closed', 'shoes', 'admin', 'red'])
}

/** The path prefix of the first server (`https://host/v2` -> `/v2`), variables at their defaults. */
export function serverPrefix(spec: Schema): string {
  const server = (spec['servers'] as Schema[] | undefined)?.[0]
  if (server === undefined || typeof server['url'] !== 'string') return ''
  const variables = (server['variables'] ?? {}) as Record<string, Schema>
  const url = server['url'].replace(/\{([^}]+)\}/g, (_m, name: string) => String(variables[name]?.['default'] ?? ''))
  const path = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(.*)$/i.exec(url)?.[1] ?? url
  return path.replace(/\/+$/, '')
}

/** JSON media types first: the scorer reads JSON bodies. */
export function preferJson(types: readonly string[]): string[] {
  return [...types.filter((t) => t.includes('json')), ...types.filter((t) => !t.includes('json'))]
}

/** The status code a response key stands for: `2XX` is sent as 200, `default` as 200 when nothing else succeeds. */
export function statusOf(key: string): number {
  if (/^[1-5]XX$/i.test(key)) return Number(key[0]) * 100
  return key === 'default' ? 200 : Number(key)
}

function bodyText(type: string, schema: Schema | undefined, spec: Schema, rng: Rng, direction: Direction): string {
  const value = mockValue(schema ?? {}, spec, rng, undefined, 0, direction)
  if (type.includes('json')) return JSON.stringify(value)
  if (type === 'application/x-www-form-urlencoded' && value !== null && typeof value === 'object') {
    return new URLSearchParams(
      Object.entries(value as Record<string, unknown>).map(([k, v]): [string, string] => [
        k,
        typeof v === 'string' ? v : JSON.stringify(v),
      ]),
    ).toString()
  }
  if (type.startsWith('text/')) return typeof value === 'string' ? value : JSON.stringify(value)
  return `binary ${rng.int(1, 1e9)}`
}

function copy(text: string): Exchange['requestBody'] {
  const buf = Buffer.from(text)
  return { chunks: text === '' ? [] : [buf], copiedBytes: buf.length, totalBytes: buf.length, truncated: false }
}

function credentials(spec: Schema, op: Schema, rng: Rng): Record<string, string> {
  const requirements = (op['security'] ?? spec['security']) as Array<Record<string, unknown>> | undefined
  const schemes = ((spec['components'] as Schema | undefined)?.['securitySchemes'] ?? {}) as Record<string, Schema>
  const headers: Record<string, string> = {}
  for (const name of Object.keys(requirements?.[0] ?? {})) {
    const scheme = schemes[name]
    if (scheme?.['type'] === 'http' && scheme['scheme'] === 'bearer')
      headers['authorization'] = `Bearer tok_${rng.int(1, 1e9)}`
    if (scheme?.['type'] === 'apiKey' && scheme['in'] === 'header')
      headers[String(scheme['name'])] = `key_${rng.int(1, 1e9)}`
  }
  return headers
}

/** Exchanges for every operation of a spec, in a deterministic (seeded) order. */
export function trafficFor(spec: Schema, rng: Rng, options: TrafficOptions): Exchange[] {
  const out: Exchange[] = []
  let t = options.startMs
  const paths = spec['paths'] as Record<string, Schema>
  const prefix = serverPrefix(spec)
  for (const template of Object.keys(paths)) {
    const item = paths[template] as Schema
    for (const method of METHODS) {
      const op = item[method] as Schema | undefined
      if (op === undefined) continue
      const params = [
        ...((item['parameters'] as Schema[] | undefined) ?? []),
        ...((op['parameters'] as Schema[] | undefined) ?? []),
      ].map((p) => resolve(p, spec))
      const responses = op['responses'] as Record<string, Schema>
      const statuses = Object.keys(responses)
      const success = statuses.filter((s) => s.startsWith('2'))
      if (success.length === 0 && statuses.includes('default')) success.push('default')
      const failure = statuses.filter((s) => s.startsWith('4'))
      for (let k = 0; k < options.requestsPerOperation; k++) {
        const path = `${prefix}${template}`.replace(/\{([^}]+)\}/g, (_m, name: string) => {
          const declared = params.find((p) => p['in'] === 'path' && p['name'] === name)
          return encodeURIComponent(pathValue(pathKind(name, declared, spec), rng))
        })
        const query: string[] = []
        for (const p of params) {
          if (p['in'] !== 'query') continue
          if (p['required'] !== true && !rng.chance(0.5)) continue
          query.push(
            `${p['name']}=${encodeURIComponent(queryValue(resolve((p['schema'] as Schema) ?? {}, spec), rng))}`,
          )
        }
        const requestHeaders: Record<string, string> = {
          host: 'api.example.test',
          'user-agent': 'accuracy-bench/1',
          accept: 'application/json',
          ...credentials(spec, op, rng),
        }
        let requestText = ''
        const body = op['requestBody'] as Schema | undefined
        if (body !== undefined) {
          const content = resolve(body, spec)['content'] as Record<string, Schema>
          const type = preferJson(Object.keys(content))[0] as string
          requestText = bodyText(type, (content[type] as Schema)['schema'] as Schema | undefined, spec, rng, 'request')
          requestHeaders['content-type'] = type
        }
        const status =
          failure.length > 0 && rng.chance(0.15) ? rng.pick(failure) : rng.pick(success.length > 0 ? success : statuses)
        const response = resolve(responses[status] as Schema, spec)
        const responseHeaders: Record<string, string> = {}
        let responseText = ''
        const content = response['content'] as Record<string, Schema> | undefined
        const types = preferJson(Object.keys(content ?? {}))
        const json = types.filter((t) => t.includes('json'))
        // Every JSON media type of the response gets answered in turn, as clients asking for each would.
        const type = json.length > 1 ? rng.pick(json) : types[0]
        if (content !== undefined && type !== undefined && !type.includes('*')) {
          responseHeaders['content-type'] = `${type}; charset=utf-8`
          responseText = bodyText(
            type,
            (content[type] as Schema)['schema'] as Schema | undefined,
            spec,
            rng,
            'response',
          )
        }
        out.push({
          startMs: t,
          endMs: t + rng.int(1, 40),
          method: method.toUpperCase(),
          url: query.length > 0 ? `${path}?${query.join('&')}` : path,
          requestHeaders,
          requestBody: copy(requestText),
          status: statusOf(status),
          responseHeaders,
          responseBody: copy(responseText),
          outcome: 'ok',
          clientAddress: '127.0.0.1',
        })
        t += 1000
      }
    }
  }
  return out
}
