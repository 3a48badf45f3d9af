import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { ConfigInvalidError, configEnvName, loadConfig } from '../../src/config.js'

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'specter-config-'))
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}

function problemsOf(fn: () => unknown): ConfigInvalidError['problems'] {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigInvalidError)
    expect((err as ConfigInvalidError).code).toBe('SPECTER_ERR_CONFIG_INVALID')
    return (err as ConfigInvalidError).problems
  }
  throw new Error('expected the config to be rejected')
}

describe('loadConfig', () => {
  test('the shipped defaults validate and are frozen', () => {
    const config = loadConfig()
    expect(config.proxy.port).toBe(8080)
    expect(config.admin).toMatchObject({ host: '127.0.0.1', port: 9091, token: '' })
    expect(config.capture.maxBodyBytes).toBe(1024 * 1024)
    expect(Object.isFrozen(config)).toBe(true)
    expect(Object.isFrozen(config.proxy)).toBe(true)
    expect(Object.isFrozen(config.paths.templates)).toBe(true)
    expect(() => {
      ;(config.proxy as { port: number }).port = 1
    }).toThrow(TypeError)
  })

  test('layers defaults <- file <- env <- flags', () => {
    const file = tempFile(
      'specter.yaml',
      'proxy:\n  port: 7000\n  upstream: http://127.0.0.1:1111\n  upstreamTimeoutMs: 1234\nadmin:\n  port: 7001\n',
    )
    const config = loadConfig({
      configFile: file,
      env: { SPECTER_PROXY_PORT: '7100', SPECTER_ADMIN_TOKEN: 's3cret', SPECTER_PATHS_TEMPLATES: '/a/{id}, /b/{id}' },
      overrides: { proxy: { port: 7200 } },
    })
    expect(config.proxy.port).toBe(7200)
    expect(config.proxy.upstream).toBe('http://127.0.0.1:1111')
    expect(config.proxy.upstreamTimeoutMs).toBe(1234)
    expect(config.admin.port).toBe(7001)
    expect(config.admin.token).toBe('s3cret')
    expect(config.paths.templates).toEqual(['/a/{id}', '/b/{id}'])
    expect(config.proxy.connectTimeoutMs).toBe(5000)
  })

  test('reads JSON config files and SPECTER_CONFIG', () => {
    const file = tempFile('specter.json', JSON.stringify({ capture: { sampleRate: 0.5 } }))
    expect(loadConfig({ env: { SPECTER_CONFIG: file } }).capture.sampleRate).toBe(0.5)
  })

  test('reports every problem at once, with its path, value, expectation and source', () => {
    const file = tempFile('bad.yaml', 'proxy:\n  prot: 80\n  upstream: ftp://example\nlog:\n  level: loud\nstroe: {}\n')
    const problems = problemsOf(() =>
      loadConfig({
        configFile: file,
        env: { SPECTER_CAPTURE_MAX_BODY_BYTES: 'lots', SPECTER_ADMIN_TOKEN_TYPO: 'x', SPECTER_HOME: '/ignored' },
        overrides: { admin: { port: 70000 } },
      }),
    )
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p]))
    expect(Object.keys(byPath).sort()).toEqual(
      [
        'SPECTER_ADMIN_TOKEN_TYPO',
        'admin.port',
        'capture.maxBodyBytes',
        'log.level',
        'proxy.prot',
        'proxy.upstream',
        'stroe',
      ].sort(),
    )
    expect(byPath['admin.port']).toMatchObject({ value: '70000', source: 'command line' })
    expect(byPath['capture.maxBodyBytes']).toMatchObject({ value: '"lots"', source: 'SPECTER_CAPTURE_MAX_BODY_BYTES' })
    expect(byPath['proxy.upstream']).toMatchObject({ source: file })
    expect(byPath['log.level']?.expected).toContain('info')
    expect(byPath['proxy.prot']?.expected).toContain('no such setting')
  })

  test('never prints a secret value', () => {
    const problems = problemsOf(() => loadConfig({ overrides: { admin: { token: 42 as unknown as string } } }))
    expect(problems).toEqual([expect.objectContaining({ path: 'admin.token', value: '<redacted>' })])
  })

  test('rejects a file that is not a mapping or not parseable', () => {
    expect(problemsOf(() => loadConfig({ configFile: tempFile('list.yaml', '- 1\n- 2\n') }))[0]?.path).toBe('(root)')
    expect(() => loadConfig({ configFile: tempFile('broken.json', '{"proxy": ') })).toThrow(
      expect.objectContaining({ code: 'SPECTER_ERR_CONFIG_INVALID' }),
    )
    expect(() => loadConfig({ configFile: '/nonexistent/specter.yaml' })).toThrow(
      expect.objectContaining({ code: 'SPECTER_ERR_CONFIG_INVALID' }),
    )
  })

  test('derives environment names from key paths', () => {
    expect(configEnvName(['proxy', 'upstreamTimeoutMs'])).toBe('SPECTER_PROXY_UPSTREAM_TIMEOUT_MS')
    expect(configEnvName(['capture', 'maxBodyBytes'])).toBe('SPECTER_CAPTURE_MAX_BODY_BYTES')
  })
})
