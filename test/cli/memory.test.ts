// The memory knobs: memory.heapGrowthPercent (applied by `specter proxy`) and capture.maxQueueBytes
// (the byte bound of the capture queue), through the real config loader and the real stack.
import { execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import { expect, onTestFinished, test } from 'vitest'
import { applyHeapGrowth } from '../../src/cli/heap-growth.js'
import { ConfigInvalidError, loadConfig } from '../../src/config.js'
import { send } from '../helpers/http-client.js'
import { startSpecter } from '../helpers/start-specter.js'
import { tempDbPath } from '../helpers/temp-db.js'
import { startUpstream } from '../helpers/upstream.js'

test('defaults: heap growth 30%, 16 MiB of queued body bytes; both from the environment', () => {
  const defaults = loadConfig({ env: {} })
  expect(defaults.memory).toEqual({ heapGrowthPercent: 30 })
  expect(defaults.capture.maxQueueBytes).toBe(16 * 1024 * 1024)
  const config = loadConfig({
    env: { SPECTER_MEMORY_HEAP_GROWTH_PERCENT: '0', SPECTER_CAPTURE_MAX_QUEUE_BYTES: '1048576' },
  })
  expect(config.memory.heapGrowthPercent).toBe(0)
  expect(config.capture.maxQueueBytes).toBe(1_048_576)
})

test('bad memory values are reported together with their paths', () => {
  let problems: string[] = []
  try {
    loadConfig({ env: { SPECTER_MEMORY_HEAP_GROWTH_PERCENT: '-5', SPECTER_CAPTURE_MAX_QUEUE_BYTES: 'lots' } })
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigInvalidError)
    expect((err as ConfigInvalidError).code).toBe('SPECTER_ERR_CONFIG_INVALID')
    problems = (err as ConfigInvalidError).problems.map((p) => p.path)
  }
  expect(problems.sort()).toEqual(['capture.maxQueueBytes', 'memory.heapGrowthPercent'])
})

test('applyHeapGrowth sets the V8 flag for a positive percent and leaves V8 alone for 0', () => {
  // Back to V8's own heuristics for the rest of this worker.
  onTestFinished(() => setFlagsFromString('--heap-growing-percent=0'))
  expect(applyHeapGrowth(0)).toBeUndefined()
  expect(applyHeapGrowth(30)).toBe('--heap-growing-percent=30')
})

test('capture.maxQueueBytes reaches the capture queue: a body over it is dropped and counted, traffic untouched', async () => {
  const big = 'x'.repeat(4096)
  const upstream = await startUpstream((req, res) => {
    res.setHeader('content-type', 'text/plain')
    res.end(req.url === '/big' ? big : 'ok')
  })
  const app = await startSpecter({ upstream, dbPath: tempDbPath(), config: { capture: { maxQueueBytes: 1024 } } })
  expect((await send(`${app.url}/big`)).body.toString()).toBe(big)
  expect((await send(`${app.url}/small`)).body.toString()).toBe('ok')
  await app.capture.drain()
  const stats = app.capture.stats()
  expect(stats.droppedQueueFull).toBe(1)
  expect(stats.observationsWritten).toBe(1)
})

test('the Docker image starts node with the young generation and allocator settings docs/ops.md describes', () => {
  const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8')
  const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '))
  expect(finalStage).toMatch(/^\s+NODE_OPTIONS=--max-semi-space-size=8 \\$/m)
  expect(finalStage).toMatch(/^\s+MALLOC_ARENA_MAX=2 \\$/m)
  const ops = readFileSync(new URL('../../docs/ops.md', import.meta.url), 'utf8')
  expect(ops).toContain('NODE_OPTIONS=--max-semi-space-size=8')
  expect(ops).toContain('MALLOC_ARENA_MAX=2')
})

// The `specter` program (bin/specter.js started as an executable, as npm links it) sets the two
// start-only memory settings, and leaves a value the environment already has alone.
async function launchedEnv(extraEnv: Record<string, string>): Promise<Record<string, string>> {
  const upstream = await startUpstream((_req, res) => res.end('{"ok":true}'))
  const bin = fileURLToPath(new URL('../../bin/specter.js', import.meta.url))
  const env = { ...process.env, ...extraEnv, PATH: `${dirname(process.execPath)}${delimiter}${process.env['PATH']}` }
  const args = ['proxy', '--upstream', upstream, '--port', '0', '--admin-port', '0', '--db', tempDbPath()]
  const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'inherit'] })
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      await once(child, 'exit')
    }
  })
  let out = ''
  const proxyUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`specter did not start:\n${out}`)), 20_000)
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const line = out.split('\n').find((l) => l.includes('"msg":"proxy listening"'))
      if (line !== undefined) {
        clearTimeout(timer)
        resolve((JSON.parse(line) as { url: string }).url)
      }
    })
    child.on('exit', (code) => reject(new Error(`specter exited with ${code}:\n${out}`)))
  })
  expect((await send(`${proxyUrl}/x`)).body.toString()).toBe('{"ok":true}')
  // exec: the shell is gone, the pid is node's own.
  expect(readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0')[1]).toBe(bin)
  const environ = readFileSync(`/proc/${child.pid}/environ`, 'utf8').split('\0')
  return Object.fromEntries(
    environ.filter((e) => e.includes('=')).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
  )
}

test.skipIf(process.platform !== 'linux')(
  'the specter program starts node with 8 MB semi-spaces and MALLOC_ARENA_MAX=2',
  async () => {
    const env = await launchedEnv({ NODE_OPTIONS: '', MALLOC_ARENA_MAX: '' })
    expect(env['MALLOC_ARENA_MAX']).toBe('2')
    expect(env['NODE_OPTIONS']?.trim()).toBe('--max-semi-space-size=8')
  },
)

test.skipIf(process.platform !== 'linux')("values already in the environment win over the program's", async () => {
  const env = await launchedEnv({ NODE_OPTIONS: '--max-semi-space-size=16', MALLOC_ARENA_MAX: '4' })
  expect(env['MALLOC_ARENA_MAX']).toBe('4')
  // Node applies NODE_OPTIONS in order: the last value of a flag is the one V8 keeps.
  expect(env['NODE_OPTIONS']).toBe('--max-semi-space-size=8 --max-semi-space-size=16')
})

// The launcher's own logic, with a stand-in `node` first on PATH that prints what it was given.
function launcherGives(
  args: string[],
  extraEnv: Record<string, string> = {},
): { env: Record<string, string>; argv: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'specter-launcher-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(join(dir, 'node'), '#!/bin/sh\nenv -0\nprintf "\\001%s" "$@"\n', { mode: 0o755 })
  const bin = fileURLToPath(new URL('../../bin/specter.js', import.meta.url))
  const { NODE_OPTIONS: _n, MALLOC_ARENA_MAX: _m, ...rest } = process.env
  const out = execFileSync(bin, args, {
    env: { ...rest, ...extraEnv, PATH: `${dir}${delimiter}${process.env['PATH']}` },
  })
  const [envText, ...argv] = out.toString().split('\u0001')
  const env = Object.fromEntries(
    (envText ?? '')
      .split('\0')
      .filter((e) => e.includes('='))
      .map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
  )
  return { env, argv }
}

test.skipIf(process.platform === 'win32')(
  'the launcher sets the memory options for proxy and collect only, and passes every argument on',
  () => {
    const bin = fileURLToPath(new URL('../../bin/specter.js', import.meta.url))
    for (const command of ['proxy', 'collect']) {
      const { env, argv } = launcherGives([command, '--port', '0', 'a b'])
      expect(env['MALLOC_ARENA_MAX']).toBe('2')
      expect(env['NODE_OPTIONS']?.trim()).toBe('--max-semi-space-size=8')
      expect(argv).toEqual([bin, command, '--port', '0', 'a b'])
    }
    for (const command of ['import', 'infer', 'report', 'demo', '--help']) {
      const { env, argv } = launcherGives([command, 'x.har'])
      expect(env['MALLOC_ARENA_MAX']).toBeUndefined()
      expect(env['NODE_OPTIONS']).toBeUndefined()
      expect(argv).toEqual([bin, command, 'x.har'])
    }
    expect(launcherGives(['import'], { NODE_OPTIONS: '--max-old-space-size=512' }).env['NODE_OPTIONS']).toBe(
      '--max-old-space-size=512',
    )
  },
)
