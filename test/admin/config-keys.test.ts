// The ops settings through the real config loader: environment names, types, secrecy.
import { describe, expect, test } from 'vitest'
import { ConfigInvalidError, loadConfig } from '../../src/config.js'

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig({ env })
  } catch (err) {
    if (err instanceof ConfigInvalidError) return { err, paths: err.problems.map((p) => p.path) }
    throw err
  }
  throw new Error('expected SPECTER_ERR_CONFIG_INVALID')
}

describe('ops config keys', () => {
  test('defaults: loopback admin, no token, open /metrics, 200 routes, a minute between diffs', () => {
    const config = loadConfig({ env: {} })
    expect(config.admin).toEqual({ host: '127.0.0.1', port: 9091, token: '', metricsRequireToken: false })
    expect(config.metrics).toEqual({ maxRoutes: 200, driftIntervalMs: 60_000 })
  })

  test('SPECTER_ADMIN_TOKEN, SPECTER_ADMIN_METRICS_REQUIRE_TOKEN and SPECTER_METRICS_* from the environment', () => {
    const config = loadConfig({
      env: {
        SPECTER_ADMIN_TOKEN: 's3cret-token',
        SPECTER_ADMIN_METRICS_REQUIRE_TOKEN: 'true',
        SPECTER_METRICS_MAX_ROUTES: '50',
        SPECTER_METRICS_DRIFT_INTERVAL_MS: '5000',
      },
    })
    expect(config.admin.token).toBe('s3cret-token')
    expect(config.admin.metricsRequireToken).toBe(true)
    expect(config.metrics).toEqual({ maxRoutes: 50, driftIntervalMs: 5000 })
  })

  test('bad values are reported together, with the token never printed', () => {
    const { err, paths } = problemsOf({
      SPECTER_ADMIN_TOKEN: 'tok-visible-nowhere',
      SPECTER_ADMIN_METRICS_REQUIRE_TOKEN: 'yes',
      SPECTER_METRICS_MAX_ROUTES: '0',
      SPECTER_METRICS_DRIFT_INTERVAL_MS: '10',
    })
    expect(err.code).toBe('SPECTER_ERR_CONFIG_INVALID')
    expect(paths).toEqual(
      expect.arrayContaining(['admin.metricsRequireToken', 'metrics.maxRoutes', 'metrics.driftIntervalMs']),
    )
    expect(paths).toHaveLength(3)
    expect(err.message).not.toContain('tok-visible-nowhere')
  })
})
