// cli: the `specter` command line; parses arguments and wires modules together.
import { isSpecterError } from '../errors.js'
import type { CliIo } from './command.js'
import { commands } from './commands/index.js'
import { SPECTER_VERSION } from './version.js'

// Exit code 2: the command line, the config or an input file given on it is wrong.
const INPUT_ERRORS: ReadonlySet<string> = new Set([
  'SPECTER_ERR_USAGE',
  'SPECTER_ERR_CONFIG_INVALID',
  'SPECTER_ERR_HAR_INVALID',
])

function defaultIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    color: process.env['NO_COLOR'] === undefined && process.stdout.isTTY === true,
  }
}

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 8)
  return [
    'specter: observe HTTP API traffic, infer its OpenAPI document, find shadow and drifting endpoints',
    '',
    'Usage: specter <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `specter <command> --help` for a command’s options and examples.',
    'Exit codes: 0 ok, 1 findings at or above --fail-on, 2 usage or configuration error.',
    '',
  ].join('\n')
}

/** Runs the CLI and resolves to the process exit code. */
export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(overview())
    return name === undefined ? 2 : 0
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`specter ${SPECTER_VERSION}\n`)
    return 0
  }
  const command = commands.find((c) => c.name === name)
  if (command === undefined) {
    io.stderr.write(`specter: unknown command "${name}". Run \`specter --help\` for the list.\n`)
    return 2
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.help.endsWith('\n') ? command.help : `${command.help}\n`)
    return 0
  }
  try {
    return await command.run(rest, io)
  } catch (err) {
    if (isSpecterError(err)) {
      io.stderr.write(`specter ${name}: ${err.code}: ${err.message}\n`)
      const cause = err.cause instanceof Error ? err.cause.message : undefined
      if (cause !== undefined) io.stderr.write(`  cause: ${cause}\n`)
      return INPUT_ERRORS.has(err.code) ? 2 : 1
    }
    io.stderr.write(
      `specter ${name}: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    )
    return 1
  }
}
