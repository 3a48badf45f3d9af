// `specter demo` as a user runs it: the admin listener's URLs are printed only while they answer.
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { main } from '../../src/cli/main.js'
import { testIo } from '../helpers/cli-io.js'
import { tempDbPath } from '../helpers/temp-db.js'

// Short runs: a few requests plus the partner's walk over the sample accounts.
const demoArgs = (outDir: string) => ['demo', '--out', outDir, '--duration', '2', '--requests', '20', '--quiet']

test('without --linger the demo prints no admin URL (it closes with the demo), only how to keep it', {
  timeout: 120_000,
}, async () => {
  const io = testIo()
  expect(await main(demoArgs(join(tempDbPath(), '..', 'out')), io)).toBe(0)
  expect(io.stdout.text).not.toMatch(/http:\/\/127\.0\.0\.1:\d+/)
  expect(io.stdout.text).toContain('add --linger SECONDS to keep them up')
  expect(io.stderr.text).not.toMatch(/http:\/\//)

  const json = testIo()
  expect(await main([...demoArgs(join(tempDbPath(), '..', 'out')), '--json'], json)).toBe(0)
  expect(JSON.parse(json.stdout.text)).not.toHaveProperty('adminUrl')
})

test('with --linger the printed metrics URL answers until the demo is stopped', { timeout: 120_000 }, async () => {
  const io = testIo()
  const exit = main([...demoArgs(join(tempDbPath(), '..', 'out')), '--linger', '600'], io)
  await io.stderr.waitFor((l) => l.startsWith('Keeping the admin listener'))
  const url = /^Metrics: (http:\/\/127\.0\.0\.1:\d+)\/metrics/m.exec(io.stdout.text)?.[1] as string
  expect(url).toBeDefined()
  const res = await fetch(`${url}/metrics`)
  expect(res.status).toBe(200)
  expect(await res.text()).toContain('specter_http_requests_total')
  process.kill(process.pid, 'SIGINT')
  expect(await exit).toBe(0)
  await expect(fetch(`${url}/metrics`)).rejects.toThrow()
})
