// `specter merge --out all.db a.db b.db ...`: combines the stores of several proxies exactly.
import { resolve } from 'node:path'
import { usageError } from '../../errors.js'
import { mergeStoreFiles, storeOptionsFromConfig } from '../../store/index.js'
import type { Command } from '../command.js'
import { configFromFlags, storePathProblem } from '../config-from-flags.js'
import { parseFlags, stringFlag } from '../flags.js'
import { formatCount } from '../progress.js'

const help = `Usage: specter merge --out FILE STORE... [options]

Merges the stores of several Specter proxies into one, exactly: the result is the store one
proxy would have written had it seen all their traffic (counts add, first/last seen take the
earliest/latest, shapes merge, bounded sets keep the same members in any order). Run infer,
diff and report on the result as on any store. The inputs are only read; FILE is created when
missing, else the inputs are merged into it.

Every proxy must use the same store caps (store.maxEndpoints, store.maxLiteralSiblings); the
output uses the caps of the config given here.

Options:
  --out FILE         the merged store (required; may not be one of the inputs)
  --config FILE      a config file layered over the defaults (for the caps)
  --json             print the result as JSON
  -h, --help         this help

Examples:
  specter merge --out all.db proxy-a.db proxy-b.db proxy-c.db
  specter merge --out central.db /backups/node-*.db --json
`

export const mergeCommand: Command = {
  name: 'merge',
  summary: "merge several proxies' stores into one, exactly",
  help,
  run: async (argv, io) => {
    const flags = parseFlags('merge', argv, {
      out: { type: 'string' },
      config: { type: 'string' },
      json: { type: 'boolean' },
    })
    const out = stringFlag(flags, 'out')
    if (out === undefined) throw usageError('give the output store with --out FILE; see `specter merge --help`')
    if (flags.positionals.length === 0)
      throw usageError('give at least one store to merge, e.g. `specter merge --out all.db a.db b.db`')
    const config = configFromFlags(flags, io)
    const { busyTimeoutMs, limits } = storeOptionsFromConfig(config.store, io.cwd)
    const problem = storePathProblem(resolve(io.cwd, out))
    if (problem !== undefined) throw usageError(`--out ${resolve(io.cwd, out)}: expected ${problem}`)
    const inputs = flags.positionals.map((p) => resolve(io.cwd, p))
    const result = mergeStoreFiles(resolve(io.cwd, out), inputs, {
      ...(busyTimeoutMs !== undefined ? { busyTimeoutMs } : {}),
      ...(limits !== undefined ? { limits } : {}),
    })
    const rowsPerSecond = result.durationMs > 0 ? Math.round(result.rows / (result.durationMs / 1000)) : 0
    if (flags.values['json'] === true) {
      io.stdout.write(`${JSON.stringify({ out: resolve(io.cwd, out), inputs, ...result, rowsPerSecond }, null, 2)}\n`)
    } else {
      io.stdout.write(
        `merged ${inputs.length} store${inputs.length === 1 ? '' : 's'} into ${out}: ` +
          `${formatCount(result.endpoints)} endpoints, ${formatCount(result.rows)} rows read ` +
          `in ${Math.round(result.durationMs)} ms (${formatCount(rowsPerSecond)} rows/s)\n`,
      )
    }
    return 0
  },
}
