// Starts the proxy in front of a test upstream on 127.0.0.1:0, with the default config plus
// overrides, and a given sink; stopped when the test finishes.
import { onTestFinished } from 'vitest'
import type { CaptureSink } from '../../src/capture/index.js'
import { type ConfigOverrides, loadConfig, type SpecterConfig } from '../../src/config.js'
import { type ExchangeEndHook, type SpecterProxy, startProxy } from '../../src/proxy/index.js'

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

/** The effective config for a test: defaults, free ports on loopback, then `overrides`. */
export function testConfig(upstream: string, overrides: ConfigOverrides = {}): SpecterConfig {
  return loadConfig({
    env: {},
    overrides: {
      ...overrides,
      proxy: { host: '127.0.0.1', port: 0, ...overrides.proxy, upstream },
      admin: { host: '127.0.0.1', port: 0, ...overrides.admin },
    },
  })
}

export async function startSpecter(options: StartSpecterOptions): Promise<TestSpecter> {
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
