import { existsSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, onTestFinished, test } from 'vitest'
import { commands } from '../../src/cli/commands/index.js'
import { main } from '../../src/cli/main.js'
import { testIo } from '../helpers/cli-io.js'
import { tempDbPath } from '../helpers/temp-db.js'

interface Ran {
  code: number
  stdout: string
  stderr: string
}

async function run(argv: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Ran> {
  const io = testIo(options.env, options.cwd)
  const code = await main(argv, io)
  return { code, stdout: io.stdout.text, stderr: io.stderr.text }
}

const fixture = (name: string): string => new URL(`../import/fixtures/${name}`, import.meta.url).pathname

describe('specter --help and usage errors', () => {
  test('the overview lists every registered command and the exit codes', async () => {
    const { code, stdout } = await run(['--help'])
    expect(code).toBe(0)
    for (const c of commands) expect(stdout).toMatch(new RegExp(`^  ${c.name} +\\S`, 'm'))
    expect(stdout).toContain('Exit codes: 0 ok, 1 findings at or above --fail-on, 2 usage or configuration error.')
  })

  test('no command at all is a usage error (2) that still shows the overview', async () => {
    const { code, stdout } = await run([])
    expect(code).toBe(2)
    expect(stdout).toContain('Usage: specter <command> [options]')
  })

  test.each(commands.map((c) => c.name))('specter %s --help shows usage, options and examples', async (name) => {
    for (const flag of ['--help', '-h']) {
      const { code, stdout, stderr } = await run([name, flag])
      expect(code).toBe(0)
      expect(stderr).toBe('')
      expect(stdout).toMatch(new RegExp(`^Usage: specter ${name}\\b`, 'm'))
      expect(stdout).toMatch(/^Examples:$/m)
      expect(stdout).toMatch(new RegExp(`^  specter ${name}\\b`, 'm'))
    }
  })

  test.each(commands.map((c) => c.name))(
    'specter %s with an unknown flag exits 2 and points at --help',
    async (name) => {
      const { code, stderr } = await run([name, '--no-such-flag'])
      expect(code).toBe(2)
      expect(stderr).toMatch(/SPECTER_ERR_(USAGE|CONFIG_INVALID)/)
      expect(stderr).toContain('--no-such-flag')
    },
  )

  test('an unknown command exits 2 and says how to list the commands', async () => {
    const { code, stderr } = await run(['nope'])
    expect(code).toBe(2)
    expect(stderr).toContain('unknown command "nope"')
    expect(stderr).toContain('specter --help')
  })

  test.each([
    [['import'], 'give the file to import'],
    [['import', 'a.har', 'b.har'], 'one file at a time'],
    [['import', 'a.har', '--format', 'csv'], '--format must be har or ndjson'],
    [['demo', '--linger', 'soon'], '--linger must be a whole number'],
    [['demo', '--duration', '9999'], '--duration must be a whole number from 0 to 600'],
    [['demo', '--port', '3000'], '--port goes with --upstream-only'],
    [['demo', 'extra'], 'unexpected argument "extra"'],
    [['diff', 'extra'], 'unexpected argument "extra"; see `specter diff --help`'],
  ])('specter %j is a usage error (2): %s', async (argv, message) => {
    const { code, stderr } = await run(argv)
    expect(code).toBe(2)
    expect(stderr).toContain('SPECTER_ERR_USAGE')
    expect(stderr).toContain(message)
  })
})

describe('specter import', () => {
  test('a file that is not HAR exits 2 with SPECTER_ERR_HAR_INVALID and imports nothing', async () => {
    const db = tempDbPath()
    const { code, stdout, stderr } = await run(['import', fixture('not-har.json'), '--db', db, '--format', 'har'])
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toContain('SPECTER_ERR_HAR_INVALID')
    expect(stderr).toContain('no "log" object')
    expect(existsSync(db)).toBe(false)
  })

  test('a missing file exits 2 naming it', async () => {
    const db = tempDbPath()
    const { code, stderr } = await run(['import', 'missing.har', '--db', db], { cwd: dirname(db) })
    expect(code).toBe(2)
    expect(stderr).toContain(join(dirname(db), 'missing.har'))
  })

  test('--json prints the result; skipped entries go to stderr with their index', async () => {
    const db = tempDbPath()
    const { code, stdout, stderr } = await run(['import', fixture('broken-entries.har'), '--db', db, '--json', '-q'])
    expect(code).toBe(0)
    const result = JSON.parse(stdout) as Record<string, unknown>
    expect(result).toMatchObject({ format: 'har', entries: 8, imported: 4, skipped: 4, db, notWritten: 0 })
    expect(stderr.split('\n').filter((l) => l.startsWith('specter import: skipped'))).toEqual([
      'specter import: skipped entry 1: the entry has no request object',
      'specter import: skipped entry 3: response.content.text is marked base64 but is not valid base64',
      expect.stringMatching(/^specter import: skipped entry 4: not valid JSON/),
      'specter import: skipped entry 6: the entry is not an object',
    ])
  })

  test('the progress indicator on a non-terminal prints plain lines without escape codes', async () => {
    const db = tempDbPath()
    const { code, stdout, stderr } = await run(['import', fixture('chrome.har'), '--db', db])
    expect(code).toBe(0)
    expect(stdout).toMatch(/^Imported 4 of 4 HAR entries/)
    expect(stderr).toMatch(/^import: 100% 4 imported, 0 skipped$/m)
    expect(stderr).not.toMatch(/\x1b|\r/)
  })

  test('a second import into the same store adds to it', async () => {
    const db = tempDbPath()
    const ndjson = join(dirname(db), 'gateway.jsonl')
    writeFileSync(
      ndjson,
      `${JSON.stringify({ method: 'GET', url: '/v2/ping', host: 'api.example.com', status: 204 })}\n`,
    )
    expect((await run(['import', fixture('chrome.har'), '--db', db, '-q'])).code).toBe(0)
    const second = await run(['import', ndjson, '--db', db, '--json', '-q'])
    expect(second.code).toBe(0)
    expect(JSON.parse(second.stdout)).toMatchObject({ format: 'ndjson', imported: 1 })
    const stats = await run(['db', 'stats', '--db', db, '--json'])
    expect(stats.code).toBe(0)
    expect(JSON.parse(stats.stdout)).toMatchObject({ endpoints: 5 })
  })
})

describe('--config, --db and --spec reach every command the same way', () => {
  test.each([
    [['db', 'stats']],
    [['infer']],
    [['diff', '--spec', 'openapi.yaml']],
    [['report', '--spec', 'openapi.yaml']],
    [['findings', 'list']],
    [['merge', '--out', 'all.db', 'a.db']],
    [['import', 'session.har']],
    [['collect', '--from', 'nats://127.0.0.1:4222']],
    [['proxy', '--upstream', 'http://127.0.0.1:9']],
  ])('specter %j with a bad --config exits 2 with SPECTER_ERR_CONFIG_INVALID naming the key', async (argv) => {
    const db = tempDbPath()
    // Relative to the working directory, like every path on the command line.
    writeFileSync(join(dirname(db), 'specter.json'), JSON.stringify({ stroe: { path: 'x.db' } }))
    const { code, stdout, stderr } = await run([...argv, '--config', 'specter.json'], { cwd: dirname(db) })
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toContain('SPECTER_ERR_CONFIG_INVALID')
    expect(stderr).toContain('stroe')
  })

  test('--db names the store, relative to the working directory; a missing one is a usage error', async () => {
    const db = tempDbPath('shop.db')
    expect((await run(['import', fixture('chrome.har'), '--db', 'shop.db', '-q'], { cwd: dirname(db) })).code).toBe(0)
    const stats = await run(['db', 'stats', '--db', 'shop.db', '--json'], { cwd: dirname(db) })
    expect(stats.code).toBe(0)
    expect(JSON.parse(stats.stdout)).toMatchObject({ endpoints: 4 })
    for (const argv of [['db', 'stats'], ['infer'], ['findings', 'list'], ['diff', '--spec', 'openapi.yaml']]) {
      const missing = await run([...argv, '--db', 'nope.db'], { cwd: dirname(db) })
      expect(missing.code).toBe(2)
      expect(missing.stderr).toContain(`SPECTER_ERR_USAGE: no store at ${join(dirname(db), 'nope.db')}`)
    }
  })
})

describe('specter collect', () => {
  test('an admin port already in use exits 2 with SPECTER_ERR_CONFIG_INVALID naming admin.port, like proxy', async () => {
    const taken = createServer()
    taken.listen(0, '127.0.0.1')
    await once(taken, 'listening')
    onTestFinished(() => new Promise<void>((resolve) => taken.close(() => resolve())))
    const port = (taken.address() as AddressInfo).port
    // Nothing listens on port 1: the collector only retries in the background until stopped.
    const argv = ['collect', '--from', 'nats://127.0.0.1:1', '--db', tempDbPath(), '--admin-port', String(port)]
    const { code, stderr } = await run(argv)
    expect(code).toBe(2)
    expect(stderr).toContain('SPECTER_ERR_CONFIG_INVALID')
    expect(stderr).toContain('admin.port')
  })
})

describe('specter demo --upstream-only', () => {
  test('serves the sample API on loopback until SIGINT, then exits 0', async () => {
    const io = testIo()
    const exit = main(['demo', '--upstream-only', '--port', '0'], io)
    const line = await io.stdout.waitFor((l) => /listening on http:\/\/127\.0\.0\.1:\d+/.test(l))
    const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1] as string
    const res = await fetch(`${url}/v2/products/1001`)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ id: 1001 })
    process.kill(process.pid, 'SIGINT')
    expect(await exit).toBe(0)
    await expect(fetch(`${url}/v2/products/1001`)).rejects.toThrow()
  })
})
