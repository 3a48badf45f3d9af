// `specter collect` logs like the proxy (one logger setup: pino lines, numeric levels) and its
// /metrics carries only what the process does: no proxy, capture or upstream series.
import { describe, expect, onTestFinished, test } from 'vitest'
import { startCollect } from '../../src/cli/commands/collect.js'
import { testIo } from '../helpers/cli-io.js'
import { send } from '../helpers/http-client.js'
import { tempDbPath } from '../helpers/temp-db.js'

interface LogLine {
  level: unknown
  time: unknown
  msg: unknown
}

describe('specter collect', () => {
  test('log lines have the proxy format (numeric levels); /metrics has no traffic series', async () => {
    const io = testIo()
    // NATS is not there: the collector keeps retrying in the background while the admin listener runs.
    const stack = await startCollect(
      ['--from', 'nats://127.0.0.1:1', '--db', tempDbPath(), '--admin-port', '0', '--log-level', 'info'],
      io,
    )
    onTestFinished(() => stack.close())
    const line = JSON.parse(await io.stdout.waitFor((l) => l.includes('"collecting"'))) as LogLine
    expect(line).toMatchObject({ level: 30, msg: 'collecting' })
    expect(typeof line.time).toBe('number')
    for (const l of io.stdout.lines()) expect(typeof (JSON.parse(l) as LogLine).level).toBe('number')

    const metrics = (await send(`${stack.admin.url}/metrics`)).body.toString()
    const names = new Set([...metrics.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1] as string))
    expect([...names].filter((n) => /^specter_(http|upstream|proxy|capture|security|metrics_route)_/.test(n))).toEqual(
      [],
    )
    expect(names).toContain('specter_build_info')
    expect(names).toContain('specter_collector_pending_deltas')
    expect(names).toContain('specter_store_operations')
  })

  test('--log-level silent writes no log line', async () => {
    const io = testIo()
    const stack = await startCollect(
      ['--from', 'nats://127.0.0.1:1', '--db', tempDbPath(), '--admin-port', '0', '--log-level', 'silent'],
      io,
    )
    await stack.close()
    expect(io.stdout.text).toBe('')
  })
})
