// Starts Specter in front of a test upstream on 127.0.0.1:0 with the default config plus overrides;
// stopped when the test finishes. With a `sink`: the proxy alone, handing exchanges to it. With a
// `dbPath`: the whole stack as `specter proxy` runs it (store, capture, metrics, admin listener).
import { onTestFinished } from 'vitest'
import type { AdminServer } from '../../src/admin/index.js'
import type { Capture, CaptureSink } from '../../src/capture/index.js'
import { type SpecterStack, startSpecterStack } from '../../src/cli/commands/proxy.js'
import { type ConfigOverrides, loadConfig, type SpecterConfig } from '../../src/config.js'
import { type ExchangeEndHook, type SpecterProxy, startProxy } from '../../src/proxy/index.js'
import type { Store } from '../../src/store/index.js'

export interface StartSpecterOptions {
  upstream: string
  sink?: CaptureSink
  onExchangeEnd?: ExchangeEndHook
  /** config on top of the defaults (proxy.port and admin.port default to 0 here) */
  config?: ConfigOverrides
}

export interface TestSpecter {
  url: string
  proxy: SpecterProxy
  config: SpecterConfig
}

export interface TestSpecterStack extends TestSpecter {
  adminUrl: string
  admin: AdminServer
  capture: Capture
  store: Store
  /** the object-enumeration tracker; persist() evaluates it and stores its suspects now */
  enumeration: SpecterStack['enumeration']
  /** graceful stop (also done when the test finishes) */
  close: () => Promise<void>
}

/** The effective config for a test: defaults, free ports on loopback, then `overrides`. */
export function testConfig(upstream: string, overrides: ConfigOverrides = {}): SpecterConfig {
  return loadConfig({
    env: {},
    overrides: {
      ...overrides,
      proxy: { host: '127.0.0.1', port: 0, ...overrides.proxy, upstream },
      admin: { host: '127.0.0.1', port: 0, ...overrides.admin },
      log: { level: 'silent', ...overrides.log },
    },
  })
}

export function startSpecter(options: StartSpecterOptions & { dbPath: string }): Promise<TestSpecterStack>
export function startSpecter(options: StartSpecterOptions): Promise<TestSpecter>
export async function startSpecter(
  options: StartSpecterOptions & { dbPath?: string },
): Promise<TestSpecter | TestSpecterStack> {
  if (options.dbPath !== undefined) {
    const config = testConfig(options.upstream, { ...options.config, store: { path: options.dbPath } })
    const stack = await startSpecterStack(config, { cwd: process.cwd() })
    onTestFinished(() => stack.close())
    return {
      url: stack.proxy.url,
      proxy: stack.proxy,
      config,
      adminUrl: stack.admin.url,
      admin: stack.admin,
      capture: stack.capture,
      store: stack.store,
      enumeration: stack.enumeration,
      close: stack.close,
    }
  }
  const config = testConfig(options.upstream, options.config)
  const proxy = await startProxy({
    config: config.proxy,
    capture: config.capture,
    ...(options.sink !== undefined ? { sink: options.sink } : {}),
    ...(options.onExchangeEnd !== undefined ? { onExchangeEnd: options.onExchangeEnd } : {}),
  })
  onTestFinished(() => proxy.close())
  return { url: proxy.url, proxy, config }
}
