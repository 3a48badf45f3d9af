// The memory knobs: memory.heapGrowthPercent (applied by `specter proxy`) and capture.maxQueueBytes
// (the byte bound of the capture queue), through the real config loader and the real stack.
import { readFileSync } from 'node:fs'
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
