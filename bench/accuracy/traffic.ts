// Traffic for an OpenAPI document: for every operation, requests with varied path values,
// query parameters, credentials and bodies, answered per the spec (mostly success, sometimes a
// documented error). Produces the proxy's Exchange records, so capture's real `observe` runs.
import type { Exchange } from '../../src/capture/index.js'
import { mockValue, resolve, type Schema, uuid } from './mock-data.js'
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
}

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

function pathValue(kind: string, rng: Rng): string {
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
      const failure = statuses.filter((s) => s.startsWith('4'))
      for (let k = 0; k < options.requestsPerOperation; k++) {
        const path = template.replace(/\{([^}]+)\}/g, (_m, name: string) => {
          const declared = params.find((p) => p['in'] === 'path' && p['name'] === name)
          const kind = (declared?.['x-values'] as string | undefined) ?? KIND_BY_NAME[name] ?? 'int'
          return encodeURIComponent(pathValue(kind, rng))
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
          const type = Object.keys(content)[0] as string
          requestText = JSON.stringify(mockValue((content[type] as Schema)['schema'] as Schema, spec, rng))
          requestHeaders['content-type'] = type
        }
        const status =
          failure.length > 0 && rng.chance(0.15) ? rng.pick(failure) : rng.pick(success.length > 0 ? success : statuses)
        const response = resolve(responses[status] as Schema, spec)
        const responseHeaders: Record<string, string> = {}
        let responseText = ''
        const content = response['content'] as Record<string, Schema> | undefined
        if (content !== undefined) {
          const type = Object.keys(content)[0] as string
          responseHeaders['content-type'] = `${type}; charset=utf-8`
          responseText = JSON.stringify(mockValue((content[type] as Schema)['schema'] as Schema, spec, rng))
        }
        out.push({
          startMs: t,
          endMs: t + rng.int(1, 40),
          method: method.toUpperCase(),
          url: query.length > 0 ? `${path}?${query.join('&')}` : path,
          requestHeaders,
          requestBody: copy(requestText),
          status: Number(status),
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
