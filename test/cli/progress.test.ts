import { PassThrough } from 'node:stream'
import { describe, expect, test } from 'vitest'
import { createProgress, formatBytes, formatCount } from '../../src/cli/progress.js'

function stream(tty: boolean): { stream: PassThrough; text: () => string } {
  const s = new PassThrough()
  let out = ''
  s.on('data', (c: Buffer) => {
    out += c.toString()
  })
  Object.assign(s, { isTTY: tty })
  return { stream: s, text: () => out }
}

describe('progress indicator', () => {
  test('on a terminal it redraws one line, in colour', () => {
    const { stream: s, text } = stream(true)
    const p = createProgress({ stream: s, env: {}, title: 'traffic', minIntervalMs: 0 })
    p.update(0.5, '10 requests')
    p.update(1, '20 requests')
    p.done()
    expect(text()).toContain('\r')
    expect(text()).toContain('\x1b[36m')
    expect(text()).toContain('100% 20 requests')
    expect(text()).not.toContain('\n')
  })

  test('NO_COLOR keeps the redrawn line but drops every escape code', () => {
    const { stream: s, text } = stream(true)
    const p = createProgress({ stream: s, env: { NO_COLOR: '1' }, title: 'traffic', minIntervalMs: 0 })
    p.update(0.25, 'a')
    p.update(1, 'b')
    p.done()
    expect(text()).toContain('[############################] 100% b')
    expect(text()).not.toContain('\x1b')
  })

  test('elsewhere it prints a plain line per quarter', () => {
    const { stream: s, text } = stream(false)
    const p = createProgress({ stream: s, env: {}, title: 'import', minIntervalMs: 0 })
    for (let i = 0; i <= 100; i++) p.update(i / 100, `${i} done`)
    p.done()
    expect(text()).toBe(
      [
        'import: 0% 0 done',
        'import: 25% 25 done',
        'import: 50% 50 done',
        'import: 75% 75 done',
        'import: 100% 100 done',
        '',
      ].join('\n'),
    )
  })

  test.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [1234567, '1,234,567'],
    [-12345, '-12,345'],
  ])('formatCount(%i) = %s', (n, text) => {
    expect(formatCount(n)).toBe(text)
  })

  test.each([
    [512, '512 B'],
    [2048, '2.0 KiB'],
    [5 * 1024 * 1024, '5.0 MiB'],
  ])('formatBytes(%i) = %s', (n, text) => {
    expect(formatBytes(n)).toBe(text)
  })
})
