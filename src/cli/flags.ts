// Flag parsing for subcommands on node:util parseArgs (strict), with every mistake turned into a
// SPECTER_ERR_USAGE that names the flag and points at --help (exit code 2).
import { parseArgs } from 'node:util'
import { usageError } from '../errors.js'

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>

export interface ParsedFlags {
  values: Record<string, string | boolean | Array<string | boolean> | undefined>
  positionals: string[]
}

/** Parses `argv` against `spec`; unknown flags and missing values are usage errors. */
export function parseFlags(command: string, argv: string[], spec: FlagSpec): ParsedFlags {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: spec, strict: true, allowPositionals: true })
    return { values: values as ParsedFlags['values'], positionals }
  } catch (err) {
    // parseArgs messages name the flag ("Unknown option '--x'"); they never carry more than the argv.
    const detail = err instanceof Error ? err.message.split('. ')[0] : String(err)
    throw usageError(`${detail}; run \`specter ${command} --help\` for the options`)
  }
}

/** Terminal-safe text: control characters from traffic or argv (ANSI escapes) never reach the terminal. */
export const printable = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')

/** A usage error naming the first positional argument, for commands that take none. */
export function noArguments(command: string, flags: ParsedFlags): void {
  const first = flags.positionals[0]
  if (first === undefined) return
  throw usageError(`unexpected argument "${printable(first.slice(0, 40))}"; see \`specter ${command} --help\``)
}

/** A string flag's value, or undefined. */
export function stringFlag(flags: ParsedFlags, name: string): string | undefined {
  const v = flags.values[name]
  return typeof v === 'string' ? v : undefined
}

/** A non-negative integer flag (e.g. --port, --linger); usage error otherwise. */
export function intFlag(
  command: string,
  flags: ParsedFlags,
  name: string,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  const v = stringFlag(flags, name)
  if (v === undefined) return undefined
  if (!/^[0-9]{1,15}$/.test(v) || Number(v) > max) {
    throw usageError(
      `--${name} must be a whole number from 0 to ${max}, not "${v.slice(0, 40)}"; see \`specter ${command} --help\``,
    )
  }
  return Number(v)
}
