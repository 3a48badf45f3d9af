// Checks that span settings or look inside one (path templates), reported with every other
// problem in the one SPECTER_ERR_CONFIG_INVALID.
import { describe, expect, test } from 'vitest'
import { ConfigInvalidError, type ConfigOverrides, configSource, loadConfig } from '../../src/config.js'

function problemsOf(options: Parameters<typeof loadConfig>[0]): ConfigInvalidError['problems'] {
  try {
    loadConfig(options)
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigInvalidError)
    expect((err as ConfigInvalidError).code).toBe('SPECTER_ERR_CONFIG_INVALID')
    return (err as ConfigInvalidError).problems
  }
  throw new Error('expected the config to be rejected')
}

const withPaths = (paths: { templates?: string[]; literals?: string[] }): ConfigOverrides => ({ paths })

describe('paths.templates and paths.literals', () => {
  test.each([
    ['/users/{id', '"{" is never closed'],
    ['users', 'does not start with "/"'],
    ['/users/id}', '"}" without "{"'],
    ['/users/{}', 'needs a name'],
    ['/users/{1d}', 'needs a name'],
    ['/users/{a b}', 'white space'],
    ['/users/{id}/orders/{id}', '"{id}" appears twice'],
    ['/files/{name}{ext}', 'two parameters touch'],
    ['/users/{id}?x=1', 'without query'],
    ['/users/{{id}}', 'needs a name'],
  ])('rejects the template %j: %s', (template, why) => {
    const problems = problemsOf({ overrides: withPaths({ templates: ['/ok/{id}', template] }) })
    expect(problems).toEqual([expect.objectContaining({ path: 'paths.templates[1]', source: 'command line' })])
    expect(problems[0]?.expected).toContain(why)
    expect(problems[0]?.value).toBe(JSON.stringify(template))
  })

  test.each(['/', '/users/{id}', '/files/{name}.json', '/v2/{org-id}/repos/{repo_name}', '/a/{x}-{y}', '/users/'])(
    'accepts the template %j',
    (template) => {
      expect(loadConfig({ overrides: withPaths({ templates: [template] }) }).paths.templates).toEqual([template])
    },
  )

  test('a template repeated, or the same path with other parameter names, is reported with the first', () => {
    const problems = problemsOf({
      env: { SPECTER_PATHS_TEMPLATES: '/users/{id},/orders/{id},/users/{userId},/orders/{id}' },
    })
    expect(problems.map((p) => [p.path, p.source])).toEqual([
      ['paths.templates[2]', 'SPECTER_PATHS_TEMPLATES'],
      ['paths.templates[3]', 'SPECTER_PATHS_TEMPLATES'],
    ])
    expect(problems[0]?.expected).toContain('repeats paths.templates[0] ("/users/{id}")')
    expect(problems[1]?.expected).toContain('repeats paths.templates[1]')
  })

  test.each([
    ['', 'empty'],
    ['v2/me', 'has a "/"'],
    ['{id}', '"{"'],
    ['me', 'repeats paths.literals[0]'],
  ])('rejects the literal %j', (literal, why) => {
    const problems = problemsOf({ overrides: withPaths({ literals: ['me', literal] }) })
    expect(problems).toEqual([expect.objectContaining({ path: 'paths.literals[1]' })])
    expect(problems[0]?.expected).toContain(why)
  })
})

describe('settings that must agree', () => {
  test('minDistinct above maxDistinct names the one that was set', () => {
    const fromEnv = problemsOf({ env: { SPECTER_SECURITY_ENUMERATION_MIN_DISTINCT: '5000' } })
    expect(fromEnv).toEqual([
      expect.objectContaining({
        path: 'security.enumeration.minDistinct',
        value: '5000',
        source: 'SPECTER_SECURITY_ENUMERATION_MIN_DISTINCT',
      }),
    ])
    expect(fromEnv[0]?.expected).toContain('at most security.enumeration.maxDistinct (1000)')
    const fromFlags = problemsOf({ overrides: { security: { enumeration: { maxDistinct: 10 } } } })
    expect(fromFlags).toEqual([expect.objectContaining({ path: 'security.enumeration.maxDistinct', value: '10' })])
    expect(loadConfig({ overrides: { security: { enumeration: { minDistinct: 1000 } } } })).toBeDefined()
  })

  test('enumeration buckets that do not divide the window are listed with every other problem', () => {
    const problems = problemsOf({
      env: { SPECTER_SECURITY_ENUMERATION_BUCKETS: '7', SPECTER_PROXY_PORT: 'eighty' },
      overrides: withPaths({ templates: ['users'] }),
    })
    expect(problems.map((p) => p.path).sort()).toEqual(
      ['paths.templates[0]', 'proxy.port', 'security.enumeration.buckets'].sort(),
    )
    const buckets = problems.find((p) => p.path === 'security.enumeration.buckets')
    expect(buckets).toMatchObject({ value: '7', source: 'SPECTER_SECURITY_ENUMERATION_BUCKETS' })
    expect(buckets?.expected).toContain('a divisor of security.enumeration.windowMs (3600000)')
  })

  test('a setting the schema rejects is not reported a second time by the checks across settings', () => {
    const problems = problemsOf({ env: { SPECTER_SECURITY_ENUMERATION_BUCKETS: '100' } })
    expect(problems.map((p) => p.path)).toEqual(['security.enumeration.buckets'])
  })
})

describe('configSource', () => {
  test('names the flag, the environment variable, the file or the defaults that set a key', () => {
    const config = loadConfig({
      env: { SPECTER_ADMIN_PORT: '7001' },
      overrides: { proxy: { port: 7000 }, log: { level: 'warn' } },
      flagNames: { 'proxy.port': '--port' },
    })
    expect(configSource(config, 'proxy.port')).toBe('--port')
    expect(configSource(config, 'admin.port')).toBe('SPECTER_ADMIN_PORT')
    expect(configSource(config, 'log.level')).toBe('command line')
    expect(configSource(config, 'proxy.host')).toBe('defaults')
  })
})
