// The end-to-end variant of the accuracy harness: a real mock upstream on 127.0.0.1:0 answers
// per the spec, the traffic goes over HTTP through the whole Specter stack (proxy, capture,
// SQLite store), then `buildOpenApi` runs on the store the proxy wrote.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import type { Exchange } from '../../src/capture/index.js'
import { startSpecterStack } from '../../src/cli/commands/proxy.js'
import { loadConfig } from '../../src/config.js'
import { buildOpenApi } from '../../src/infer/index.js'
import { openStore } from '../../src/store/index.js'
import type { Schema } from './mock-data.js'
import { createRng } from './rng.js'
import { type AccuracyOptions, type SpecResult, specName } from './run-accuracy.js'
import { scoreDocument } from './score.js'
import { trafficFor } from './traffic.js'

const text = (copy: Exchange['requestBody']) => Buffer.concat(copy.chunks).toString()

/** Serves the planned responses in order; requests are sent one at a time. */
async function startMockUpstream(
  plan: readonly Exchange[],
): Promise<{ url: string; mismatches: () => number; close: () => Promise<void> }> {
  let next = 0
  let mismatches = 0
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const x = plan[next++]
      if (x === undefined || x.method !== req.method || x.url !== req.url) mismatches++
      if (x === undefined) {
        res.statusCode = 500
        res.end()
        return
      }
      res.statusCode = x.status
      for (const [k, v] of Object.entries(x.responseHeaders)) if (v !== undefined) res.setHeader(k, v)
      res.end(text(x.responseBody))
    })
  })
  server.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    mismatches: () => mismatches,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export async function runAccuracyThroughProxy(
  files: readonly string[],
  options: AccuracyOptions = {},
): Promise<SpecResult[]> {
  const results: SpecResult[] = []
  const dir = mkdtempSync(join(tmpdir(), 'specter-accuracy-proxy-'))
  try {
    for (const [i, file] of files.entries()) {
      const spec = parse(readFileSync(file, 'utf8')) as Schema
      const plan = trafficFor(spec, createRng((options.seed ?? 1) * 1000 + i), {
        requestsPerOperation: options.requestsPerOperation ?? 24,
        startMs: Date.UTC(2026, 0, 1),
      })
      const upstream = await startMockUpstream(plan)
      const dbPath = join(dir, `${i}.db`)
      const config = loadConfig({
        env: {},
        overrides: {
          proxy: { host: '127.0.0.1', port: 0, upstream: upstream.url },
          admin: { host: '127.0.0.1', port: 0 },
          store: { path: dbPath },
          log: { level: 'silent' },
        },
      })
      const stack = await startSpecterStack(config, { cwd: dir })
      try {
        for (const x of plan) {
          const headers = Object.fromEntries(
            Object.entries(x.requestHeaders).filter(([k, v]) => k !== 'host' && typeof v === 'string'),
          ) as Record<string, string>
          const body = text(x.requestBody)
          const res = await fetch(`${stack.proxy.url}${x.url}`, {
            method: x.method,
            headers,
            ...(body === '' ? {} : { body }),
          })
          await res.arrayBuffer()
          if (res.status !== x.status)
            throw new Error(`proxy answered ${res.status} for ${x.method} ${x.url}, not ${x.status}`)
        }
        await stack.capture.drain()
      } finally {
        await stack.close()
        await upstream.close()
      }
      if (upstream.mismatches() > 0)
        throw new Error(`${upstream.mismatches()} requests reached the upstream out of plan`)
      const store = openStore({ path: dbPath, fileMustExist: true })
      try {
        const document = buildOpenApi(store.inventory(), { openapi: options.openapi ?? '3.1' })
        results.push({ name: specName(file), score: scoreDocument(spec, document), document })
      } finally {
        store.close()
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return results
}
