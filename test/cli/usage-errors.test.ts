// What the command line says about mistakes before any command runs: unknown commands (coded,
// with the closest command) and config files that do not parse (said once, with line and column).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, onTestFinished, test } from 'vitest'
import { closestCommand, main } from '../../src/cli/main.js'
import { testIo } from '../helpers/cli-io.js'

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'specter-usage-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}

describe('an unknown command', () => {
  test.each([
    ['proxi', 'proxy'],
    ['inferr', 'infer'],
    ['find', 'findings'],
    ['colect', 'collect'],
    ['Report', 'report'],
  ])('%j exits 2 with SPECTER_ERR_USAGE and suggests `specter %s`', async (typed, meant) => {
    const io = testIo()
    expect(await main([typed], io)).toBe(2)
    expect(io.stderr.text).toBe(
      `specter: SPECTER_ERR_USAGE: unknown command "${typed}"; did you mean \`specter ${meant}\`? Run \`specter --help\` for the list.\n`,
    )
    expect(io.stdout.text).toBe('')
  })

  test('a name close to nothing gets no suggestion, and is made terminal-safe', async () => {
    expect(closestCommand('nope')).toBeUndefined()
    expect(closestCommand('serve')).toBeUndefined()
    const io = testIo()
    expect(await main(['\u001b[31mzzz'], io)).toBe(2)
    expect(io.stderr.text).toBe(
      'specter: SPECTER_ERR_USAGE: unknown command "?[31mzzz". Run `specter --help` for the list.\n',
    )
  })
})

describe('a config file that does not parse', () => {
  test('YAML: one line naming the file, the problem, its line and column; said once', async () => {
    const file = tempFile('bad.yaml', 'proxy:\n  port: [1\n')
    const io = testIo()
    expect(await main(['proxy', '--config', file, '--upstream', 'http://127.0.0.1:1'], io)).toBe(2)
    const lines = io.stderr.lines()
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(
      new RegExp(
        `^specter proxy: SPECTER_ERR_CONFIG_INVALID: the config file ${file} is not valid YAML/JSON: .+ at line \\d+, column \\d+$`,
      ),
    )
  })

  test('JSON: the parser message once', async () => {
    const file = tempFile('bad.json', '{"proxy": ')
    const io = testIo()
    expect(await main(['infer', '--config', file], io)).toBe(2)
    expect(io.stderr.lines()).toHaveLength(1)
    expect(io.stderr.text).toContain(`the config file ${file} is not valid YAML/JSON`)
  })
})
