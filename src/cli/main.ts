// cli: the `specter` command line; parses arguments and wires modules together.
import { isSpecterError, usageError } from '../errors.js'
import type { CliIo } from './command.js'
import { commands } from './commands/index.js'
import { printable } from './flags.js'
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

/** Edit distance (insertions, deletions, substitutions); both strings are short. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1)
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution)
    }
    previous = current
  }
  return previous[b.length] as number
}

/** The command a mistyped name most likely meant (`proxi`, `inferr`, `find`), or undefined. */
export function closestCommand(name: string): string | undefined {
  const typed = name.slice(0, 40).toLowerCase()
  let best: { name: string; distance: number } | undefined
  for (const c of commands) {
    const distance = c.name.startsWith(typed) && typed.length >= 2 ? 0 : editDistance(typed, c.name)
    if (best === undefined || distance < best.distance) best = { name: c.name, distance }
  }
  // Beyond a third of the name, a suggestion is a guess.
  return best !== undefined && best.distance <= Math.max(1, Math.floor(best.name.length / 3)) ? best.name : undefined
}

/** A message's first line without the colon that introduces more lines (yaml's error excerpts). */
const firstLine = (message: string): string => (message.split('\n')[0] ?? '').trim().replace(/:$/, '')

function unknownCommand(name: string): string {
  const suggestion = closestCommand(name)
  const shown = printable(name.slice(0, 40))
  const hint = suggestion === undefined ? '.' : `; did you mean \`specter ${suggestion}\`?`
  return `unknown command "${shown}"${hint} Run \`specter --help\` for the list.`
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
    const err = usageError(unknownCommand(name))
    io.stderr.write(`specter: ${err.code}: ${err.message}\n`)
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
      // Printed only when it adds something: a message that already quotes its cause says it once.
      const quoted = cause !== undefined && err.message.includes(firstLine(cause))
      if (cause !== undefined && !quoted) io.stderr.write(`  cause: ${cause}\n`)
      return INPUT_ERRORS.has(err.code) ? 2 : 1
    }
    io.stderr.write(
      `specter ${name}: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    )
    return 1
  }
}
