// config: loads config/default.yaml <- --config FILE <- SPECTER_* env <- CLI flags, validates the result once
// against the schema below, reports every problem in one SPECTER_ERR_CONFIG_INVALID, then deep-freezes it.
// The only place that reads the environment (the CLI passes io.env in). Adding a setting: one line in `schema`
// and a commented default in config/default.yaml.
import { accessSync, constants as fsConstants, existsSync, readFileSync, statSync } from 'node:fs'
import { extname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'
import { SpecterError } from './errors.js'

/** One setting: how to check it, what to say when it is wrong, and how to read it from an environment string. */
export interface Field<T> {
  readonly kind: 'field'
  /** what a valid value looks like, for error messages */
  readonly expected: string
  readonly valid: (value: unknown) => value is T
  /** environment variables are strings: turn one into the setting's type (or leave it for `valid` to reject) */
  readonly fromEnv: (raw: string) => unknown
  /** never print the value (tokens) */
  readonly secret?: boolean
}

interface Section {
  readonly [key: string]: Field<unknown> | Section
}

type Infer<S> = S extends Field<infer T> ? T : { readonly [K in keyof S]: Infer<S[K]> }

const toNumber = (raw: string): unknown => (raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw)

const int = (min: number, max: number): Field<number> => ({
  kind: 'field',
  expected: `an integer from ${min} to ${max}`,
  valid: (v): v is number => Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max,
  fromEnv: toNumber,
})

const num = (min: number, max: number): Field<number> => ({
  kind: 'field',
  expected: `a number from ${min} to ${max}`,
  valid: (v): v is number => typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max,
  fromEnv: toNumber,
})

const str = (opts: { nonEmpty?: boolean; secret?: boolean } = {}): Field<string> => ({
  kind: 'field',
  expected: opts.nonEmpty === true ? 'a non-empty string' : 'a string',
  valid: (v): v is string => typeof v === 'string' && (opts.nonEmpty !== true || v !== ''),
  fromEnv: (raw) => raw,
  ...(opts.secret === true ? { secret: true } : {}),
})

const oneOf = <T extends string>(...values: T[]): Field<T> => ({
  kind: 'field',
  expected: `one of ${values.join(', ')}`,
  valid: (v): v is T => typeof v === 'string' && (values as string[]).includes(v),
  fromEnv: (raw) => raw,
})

/** An http(s) base URL, or '' for "not set" (commands that need it check for it). */
const httpUrl = (): Field<string> => ({
  kind: 'field',
  expected: 'an http:// or https:// URL (or empty)',
  valid: (v): v is string => {
    if (v === '') return true
    if (typeof v !== 'string' || !URL.canParse(v)) return false
    const url = new URL(v)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === ''
  },
  fromEnv: (raw) => raw,
})

const strings = (): Field<readonly string[]> => ({
  kind: 'field',
  expected: 'a list of strings',
  valid: (v): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string'),
  fromEnv: (raw) =>
    raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
})

const bool = (): Field<boolean> => ({
  kind: 'field',
  expected: 'true or false',
  valid: (v): v is boolean => typeof v === 'boolean',
  fromEnv: (raw) => (raw === 'true' ? true : raw === 'false' ? false : raw),
})

const logLevel = oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent')

/** Every setting Specter knows. Defaults live in config/default.yaml, not here. */
export const schema = {
  proxy: {
    host: str({ nonEmpty: true }),
    port: int(0, 65535),
    upstream: httpUrl(),
    xForwarded: oneOf('append', 'replace', 'off'),
    connectTimeoutMs: int(1, 600_000),
    upstreamTimeoutMs: int(1, 3_600_000),
    upstreamBodyIdleTimeoutMs: int(0, 86_400_000),
    requestTimeoutMs: int(0, 86_400_000),
    headersTimeoutMs: int(1, 600_000),
    keepAliveTimeoutMs: int(0, 3_600_000),
    shutdownTimeoutMs: int(0, 600_000),
  },
  admin: {
    host: str({ nonEmpty: true }),
    port: int(0, 65535),
    token: str({ secret: true }),
    metricsRequireToken: bool(),
  },
  metrics: {
    maxRoutes: int(1, 100_000),
    driftIntervalMs: int(1000, 86_400_000),
  },
  capture: {
    maxBodyBytes: int(0, 1024 * 1024 * 1024),
    maxDecodedBytes: int(0, 1024 * 1024 * 1024),
    queueSize: int(1, 10_000_000),
    flushIntervalMs: int(1, 3_600_000),
    batchSize: int(1, 1_000_000),
    retryBufferSize: int(1, 10_000_000),
    maxQueueBytes: int(0, 4 * 1024 * 1024 * 1024),
    sampleRate: num(0, 1),
  },
  store: {
    path: str({ nonEmpty: true }),
    maxEndpoints: int(1, 1_000_000),
    maxLiteralSiblings: int(1, 100_000),
    busyTimeoutMs: int(0, 60_000),
  },
  publish: {
    url: str(),
    stream: str({ nonEmpty: true }),
    subjectPrefix: str({ nonEmpty: true }),
    maxOutboxDeltas: int(1, 100_000_000),
    maxDeltaBytes: int(1024, 64 * 1024 * 1024),
    publishTimeoutMs: int(1, 600_000),
    retryIntervalMs: int(1, 600_000),
  },
  // How publishers and collectors connect to NATS (docs/scale-out.md). Secrets come as files or
  // SPECTER_NATS_TOKEN / SPECTER_NATS_PASSWORD, never with a default; checked by natsProblems().
  nats: {
    tls: {
      required: bool(),
      caFile: str(),
      certFile: str(),
      keyFile: str(),
      handshakeFirst: bool(),
    },
    credsFile: str(),
    nkeySeedFile: str(),
    tokenFile: str(),
    token: str({ secret: true }),
    user: str(),
    passwordFile: str(),
    password: str({ secret: true }),
  },
  spec: {
    path: str(),
    timeoutMs: int(1, 600_000),
    maxBytes: int(1, 1024 * 1024 * 1024),
  },
  diff: {
    minObservationWindowMs: int(0, 365 * 86_400_000),
    minObservedRequests: int(0, 1_000_000_000),
    minServiceOperations: int(1, 1_000_000),
  },
  security: {
    enumeration: {
      windowMs: int(60_000, 7 * 86_400_000),
      buckets: int(1, 64),
      maxTracked: int(1, 10_000_000),
      minDistinct: int(1, 1_000_000_000),
      maxDistinct: int(1, 1_000_000_000),
      evaluateIntervalMs: int(1000, 86_400_000),
    },
  },
  paths: {
    templates: strings(),
    literals: strings(),
  },
  log: {
    level: logLevel,
  },
  memory: {
    heapGrowthPercent: int(0, 1000),
  },
} as const satisfies Section

export type SpecterConfig = Infer<typeof schema>
export type ProxyConfig = SpecterConfig['proxy']
export type AdminConfig = SpecterConfig['admin']
export type MetricsConfig = SpecterConfig['metrics']
export type CaptureConfig = SpecterConfig['capture']
export type StoreConfig = SpecterConfig['store']
export type PublishConfig = SpecterConfig['publish']
export type NatsConfig = SpecterConfig['nats']
export type SpecConfig = SpecterConfig['spec']
export type DiffConfig = SpecterConfig['diff']
export type SecurityConfig = SpecterConfig['security']
export type PathsConfig = SpecterConfig['paths']
export type LogConfig = SpecterConfig['log']
export type MemoryConfig = SpecterConfig['memory']

type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T

/** Settings given as CLI flags: a partial config, the last layer. */
export type ConfigOverrides = DeepPartial<SpecterConfig>

export interface LoadConfigOptions {
  /** the environment to read SPECTER_* variables from (the CLI passes io.env) */
  env?: NodeJS.ProcessEnv
  /** a YAML or JSON file layered over the defaults; SPECTER_CONFIG in env is used when absent */
  configFile?: string
  /** resolves a relative configFile */
  cwd?: string
  /** CLI flags, applied last */
  overrides?: ConfigOverrides
  /** the flag that set each override, by key path (e.g. 'proxy.port' -> '--port'), named in errors */
  flagNames?: Readonly<Record<string, string>>
  /** replaces config/default.yaml (tests) */
  defaultsFile?: string
}

export interface ConfigProblem {
  /** dotted key path, e.g. proxy.port */
  path: string
  /** the offending value, printable ('<redacted>' for secrets) */
  value: string
  expected: string
  /** which layer set it: a file name, an environment variable, a flag or 'defaults' */
  source: string
}

type Plain = Record<string, unknown>

const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v)
const isField = (node: Field<unknown> | Section): node is Field<unknown> => node.kind === 'field'

/** config/default.yaml, found from src/ (tests, tsx) and from dist/src/ (the built CLI). */
export function defaultConfigFile(): string {
  const candidates = ['../config/default.yaml', '../../config/default.yaml'].map((p) =>
    fileURLToPath(new URL(p, import.meta.url)),
  )
  return candidates.find((p) => existsSync(p)) ?? candidates[0]!
}

function readLayer(file: string): unknown {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (cause) {
    throw new SpecterError('SPECTER_ERR_CONFIG_INVALID', `cannot read the config file ${file}`, { cause })
  }
  try {
    // YAML 1.2 is a superset of JSON, but JSON.parse gives sharper errors for .json files.
    return extname(file).toLowerCase() === '.json' ? JSON.parse(text) : (parseYaml(text) ?? {})
  } catch (cause) {
    // The first line names the problem with its line and column; the excerpt after it is left to the cause.
    const detail =
      cause instanceof Error ? (cause.message.split('\n')[0] ?? '').trim().replace(/:$/, '') : String(cause)
    throw new SpecterError('SPECTER_ERR_CONFIG_INVALID', `the config file ${file} is not valid YAML/JSON: ${detail}`, {
      cause,
    })
  }
}

/** Deep merge: objects merge key by key, anything else (lists included) replaces. Records who set each leaf. */
function mergeLayer(target: Plain, layer: Plain, source: string, sources: Map<string, string>, prefix = ''): void {
  for (const [key, value] of Object.entries(layer)) {
    if (value === undefined) continue
    const path = prefix === '' ? key : `${prefix}.${key}`
    const current = target[key]
    if (isPlain(value) && isPlain(current)) {
      mergeLayer(current, value, source, sources, path)
    } else {
      target[key] = isPlain(value) ? structuredClone(value) : value
      sources.set(path, source)
    }
  }
}

const envName = (path: string[]): string =>
  `SPECTER_${path.map((p) => p.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_')}`

function collectEnv(
  env: NodeJS.ProcessEnv,
  section: Section,
  path: string[],
  out: Plain,
  known: Set<string>,
  sources: Map<string, string>,
): void {
  for (const [key, node] of Object.entries(section)) {
    const here = [...path, key]
    if (isField(node)) {
      const name = envName(here)
      known.add(name)
      const raw = env[name]
      if (raw !== undefined) {
        out[key] = node.fromEnv(raw)
        sources.set(here.join('.'), name)
      }
    } else {
      const child: Plain = {}
      collectEnv(env, node, here, child, known, sources)
      if (Object.keys(child).length > 0) out[key] = child
    }
  }
}

const printable = (value: unknown, secret: boolean | undefined): string => {
  if (secret === true) return '<redacted>'
  if (value === undefined) return '(missing)'
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value))
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

function validate(value: unknown, section: Section, path: string, sources: Map<string, string>): ConfigProblem[] {
  const problems: ConfigProblem[] = []
  const sourceOf = (p: string): string => sources.get(p) ?? 'defaults'
  if (!isPlain(value)) {
    problems.push({
      path: path === '' ? '(root)' : path,
      value: printable(value, false),
      expected: 'a mapping of settings',
      source: sourceOf(path),
    })
    return problems
  }
  for (const key of Object.keys(value)) {
    if (!(key in section)) {
      const p = path === '' ? key : `${path}.${key}`
      problems.push({
        path: p,
        value: printable(value[key], false),
        expected: `no such setting (known here: ${Object.keys(section).join(', ')})`,
        source: sourceOf(p),
      })
    }
  }
  for (const [key, node] of Object.entries(section)) {
    const p = path === '' ? key : `${path}.${key}`
    if (isField(node)) {
      if (!node.valid(value[key])) {
        problems.push({
          path: p,
          value: printable(value[key], node.secret),
          expected: node.expected,
          source: sourceOf(p),
        })
      }
    } else {
      problems.push(...validate(value[key], node, p, sources))
    }
  }
  return problems
}

/** The file settings of the nats section, by key path. */
const NATS_FILES = [
  ['tls', 'caFile'],
  ['tls', 'certFile'],
  ['tls', 'keyFile'],
  ['credsFile'],
  ['nkeySeedFile'],
  ['tokenFile'],
  ['passwordFile'],
] as const

/**
 * What the schema cannot say about the nats section: one authentication method at most, pairs
 * given together, and every file set readable (named by its path, resolved against `cwd`).
 */
function natsProblems(nats: unknown, cwd: string, sources: Map<string, string>): ConfigProblem[] {
  if (!isPlain(nats) || !isPlain(nats['tls'])) return []
  const tls = nats['tls']
  const problems: ConfigProblem[] = []
  const setting = (p: string): string => {
    const [a, b] = p.split('.')
    const v = b === undefined ? nats[a as string] : tls[b]
    return typeof v === 'string' ? v : ''
  }
  const problem = (path: string, expected: string, secret = false) => {
    problems.push({
      path: `nats.${path}`,
      value: printable(setting(path), secret),
      expected,
      source: sources.get(`nats.${path}`) ?? 'defaults',
    })
  }
  for (const keys of NATS_FILES) {
    const path = keys.join('.')
    const file = setting(path)
    if (file === '') continue
    const full = resolve(cwd, file)
    try {
      if (!statSync(full).isFile()) throw new Error('not a regular file')
      accessSync(full, fsConstants.R_OK)
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message
      problems.push({
        path: `nats.${path}`,
        value: JSON.stringify(full),
        expected: `a readable file (${why})`,
        source: sources.get(`nats.${path}`) ?? 'defaults',
      })
    }
  }
  if ((setting('tls.certFile') === '') !== (setting('tls.keyFile') === '')) {
    problem(
      setting('tls.certFile') === '' ? 'tls.certFile' : 'tls.keyFile',
      'tls.certFile and tls.keyFile together (mTLS)',
    )
  }
  if (setting('token') !== '' && setting('tokenFile') !== '')
    problem('tokenFile', 'nats.token or nats.tokenFile, not both')
  if (setting('password') !== '' && setting('passwordFile') !== '') {
    problem('passwordFile', 'nats.password or nats.passwordFile, not both')
  }
  const hasPassword = setting('password') !== '' || setting('passwordFile') !== ''
  if (setting('user') === '' && hasPassword) problem('user', 'a user name with nats.password or nats.passwordFile')
  if (setting('user') !== '' && !hasPassword)
    problem('password', 'a password (SPECTER_NATS_PASSWORD or nats.passwordFile) with nats.user', true)
  const methods = [
    ['credsFile', setting('credsFile') !== ''],
    ['nkeySeedFile', setting('nkeySeedFile') !== ''],
    ['token', setting('token') !== '' || setting('tokenFile') !== ''],
    ['user', setting('user') !== ''],
  ].filter(([, on]) => on)
  if (methods.length > 1) {
    problem(
      methods[1]?.[0] as string,
      `one authentication method: ${methods.map(([m]) => `nats.${m as string}`).join(', ')} are all set`,
      methods[1]?.[0] === 'token',
    )
  }
  return problems
}

/** Parameter names in path templates: what OpenAPI path parameters are in practice, and what the router splits on. */
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/
/** The router's bounds (src/infer/router.ts): a longer template would be skipped without a word. */
const MAX_TEMPLATE_SEGMENTS = 64
const MAX_TEMPLATE_LENGTH = 8192

/** What is wrong with one path template, or undefined; `/users/{id}/files/{name}.json` is fine. */
function templateProblem(template: string): string | undefined {
  if (!template.startsWith('/')) return 'it does not start with "/"'
  if (template.length > MAX_TEMPLATE_LENGTH) return `it is longer than ${MAX_TEMPLATE_LENGTH} characters`
  if (/[?#\s]/.test(template)) return 'it has a "?", "#" or white space (a template is a path, without query)'
  const segments = template.split('/').slice(1)
  if (segments.length > MAX_TEMPLATE_SEGMENTS) return `it has more than ${MAX_TEMPLATE_SEGMENTS} segments`
  const names = new Set<string>()
  for (const segment of segments) {
    let i = 0
    let previousWasParam = false
    while (i < segment.length) {
      const ch = segment[i]
      if (ch === '}') return `"}" without "{" in segment "${segment}"`
      if (ch !== '{') {
        previousWasParam = false
        i++
        continue
      }
      const close = segment.indexOf('}', i + 1)
      if (close === -1) return `"{" is never closed in segment "${segment}"`
      const name = segment.slice(i + 1, close)
      if (!PARAM_NAME.test(name)) {
        return `parameter "{${name}}" needs a name of letters, digits, _, . or - (not starting with a digit)`
      }
      if (previousWasParam) return `two parameters touch in segment "${segment}" (they cannot be told apart)`
      if (names.has(name)) return `parameter "{${name}}" appears twice`
      names.add(name)
      previousWasParam = true
      i = close + 1
    }
  }
  return undefined
}

/** What is wrong with one literal path segment, or undefined. */
function literalProblem(literal: string): string | undefined {
  if (literal === '') return 'it is empty'
  if (literal.includes('/')) return 'it has a "/" (a literal is one path segment, e.g. "me")'
  if (/[{}?#\s]/.test(literal)) return 'it has "{", "}", "?", "#" or white space'
  return undefined
}

/**
 * What the schema cannot say about single settings: settings that must agree (the enumeration
 * window and its buckets, minDistinct and maxDistinct) and the syntax of paths.templates and
 * paths.literals. Only settings that passed the schema are looked at, so nothing is reported twice.
 */
function crossProblems(merged: Plain, sources: Map<string, string>): ConfigProblem[] {
  const problems: ConfigProblem[] = []
  const sourceOf = (p: string): string => sources.get(p) ?? 'defaults'
  const enumeration = isPlain(merged['security']) ? merged['security']['enumeration'] : undefined
  if (isPlain(enumeration)) {
    const e = schema.security.enumeration
    const { windowMs, buckets, minDistinct, maxDistinct } = enumeration
    if (e.windowMs.valid(windowMs) && e.buckets.valid(buckets) && windowMs % buckets !== 0) {
      problems.push({
        path: 'security.enumeration.buckets',
        value: printable(buckets, false),
        expected: `a divisor of security.enumeration.windowMs (${windowMs}), so that buckets have whole milliseconds`,
        source: sourceOf('security.enumeration.buckets'),
      })
    }
    if (e.minDistinct.valid(minDistinct) && e.maxDistinct.valid(maxDistinct) && minDistinct > maxDistinct) {
      const fromMin = sources.has('security.enumeration.minDistinct')
      const path = fromMin ? 'security.enumeration.minDistinct' : 'security.enumeration.maxDistinct'
      problems.push({
        path,
        value: printable(fromMin ? minDistinct : maxDistinct, false),
        expected: fromMin
          ? `at most security.enumeration.maxDistinct (${maxDistinct})`
          : `at least security.enumeration.minDistinct (${minDistinct})`,
        source: sourceOf(path),
      })
    }
  }
  const paths = isPlain(merged['paths']) ? merged['paths'] : undefined
  const lists = [
    ['templates', templateProblem, 'a path template such as /users/{id}'],
    ['literals', literalProblem, 'a literal path segment such as "me"'],
  ] as const
  for (const [key, problemOf, what] of lists) {
    const list = paths?.[key]
    if (!schema.paths[key].valid(list)) continue
    // Two templates differing only in parameter names are one template: the second would never match.
    const seen = new Map<string, number>()
    list.forEach((entry, i) => {
      const shape = key === 'templates' ? entry.replace(/\{[^{}/]*\}/g, '{}') : entry
      const first = seen.get(shape)
      const problem =
        problemOf(entry) ??
        (first === undefined ? undefined : `it repeats paths.${key}[${first}] (${JSON.stringify(list[first])})`)
      if (first === undefined) seen.set(shape, i)
      if (problem === undefined) return
      problems.push({
        path: `paths.${key}[${i}]`,
        value: printable(entry, false),
        expected: `${what}; ${problem}`,
        source: sourceOf(`paths.${key}`),
      })
    })
  }
  return problems
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child)
    Object.freeze(value)
  }
  return value
}

/** Formats problems one per line: `proxy.port = "abc" (from SPECTER_PROXY_PORT): expected an integer ...`. */
export function formatConfigProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((p) => `  ${p.path} = ${p.value} (from ${p.source}): expected ${p.expected}`).join('\n')
}

/** The error for a config that does not validate; `problems` lists every one of them. */
export class ConfigInvalidError extends SpecterError {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      'SPECTER_ERR_CONFIG_INVALID',
      `the configuration has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${formatConfigProblems(problems)}`,
    )
  }
}

/**
 * Builds the effective configuration: defaults <- configFile <- SPECTER_* env <- overrides.
 * Throws one SPECTER_ERR_CONFIG_INVALID listing every problem; returns a deep-frozen config.
 */
export function loadConfig(options: LoadConfigOptions = {}): SpecterConfig {
  const env = options.env ?? {}
  const cwd = options.cwd ?? '.'
  const sources = new Map<string, string>()
  const merged: Plain = {}

  const defaultsFile = options.defaultsFile ?? defaultConfigFile()
  const defaults = readLayer(defaultsFile)
  if (isPlain(defaults)) mergeLayer(merged, defaults, 'defaults', sources)

  const configFile = options.configFile ?? (env['SPECTER_CONFIG'] !== '' ? env['SPECTER_CONFIG'] : undefined)
  if (configFile !== undefined) {
    const file = resolve(cwd, configFile)
    const layer = readLayer(file)
    if (!isPlain(layer)) {
      throw new ConfigInvalidError([
        { path: '(root)', value: printable(layer, false), expected: 'a mapping of settings', source: file },
      ])
    }
    mergeLayer(merged, layer, file, sources)
  }

  const fromEnv: Plain = {}
  const known = new Set<string>()
  const envSources = new Map<string, string>()
  collectEnv(env, schema, [], fromEnv, known, envSources)
  mergeLayer(merged, fromEnv, 'env', sources)
  for (const [path, name] of envSources) sources.set(path, name)
  const problems: ConfigProblem[] = []
  // A misspelt variable in a known section (SPECTER_PROXY_PROT) would otherwise be silently ignored.
  const sectionPrefixes = Object.keys(schema).map((s) => `${envName([s])}_`)
  for (const name of Object.keys(env).sort()) {
    if (!known.has(name) && sectionPrefixes.some((p) => name.startsWith(p))) {
      problems.push({ path: name, value: printable(env[name], true), expected: 'no such setting', source: name })
    }
  }

  if (options.overrides !== undefined) {
    mergeLayer(merged, options.overrides as Plain, 'command line', sources)
    for (const [path, flag] of Object.entries(options.flagNames ?? {})) {
      if (sources.get(path) === 'command line') sources.set(path, flag)
    }
  }

  problems.push(...validate(merged, schema, '', sources))
  problems.push(...crossProblems(merged, sources))
  problems.push(...natsProblems(merged['nats'], cwd, sources))
  if (problems.length > 0) throw new ConfigInvalidError(problems)
  const config = deepFreeze(merged) as unknown as SpecterConfig
  configSources.set(config, sources)
  return config
}

/** Who set each key of the configs loadConfig returned, for errors found later (a port in use). */
const configSources = new WeakMap<object, ReadonlyMap<string, string>>()

/**
 * Which layer set a key of a config from loadConfig: the flag (`--port`), the environment
 * variable, the config file's path, or 'defaults'. For a config built otherwise: 'configuration'.
 */
export function configSource(config: SpecterConfig, path: string): string {
  const sources = configSources.get(config)
  return sources === undefined ? 'configuration' : (sources.get(path) ?? 'defaults')
}

/** The environment variable that sets a key path, e.g. ['proxy', 'upstreamTimeoutMs'] -> SPECTER_PROXY_UPSTREAM_TIMEOUT_MS. */
export const configEnvName = (path: readonly string[]): string => envName([...path])
