// `specter db stats`: what the shape store holds and how big it is.
import { usageError } from '../../errors.js'
import { openStore, type StoreStats } from '../../store/index.js'
import type { Command } from '../command.js'
import { configFromFlags, existingStoreOptions } from '../config-from-flags.js'
import { parseFlags } from '../flags.js'
import { formatBytes, formatCount } from '../progress.js'

const help = `Usage: specter db stats [options]

Prints what the shape store holds: rows per table, file size (WAL included), endpoints,
distinct shapes, observations, and what went to overflow buckets because a cap was reached.
The store keeps one row per distinct shape, not per request, so it stays small.

Options:
  --db FILE          the store (default: store.path from the config, specter.db)
  --config FILE      a config file layered over the defaults
  --json             print the figures as JSON
  -h, --help         this help

Examples:
  specter db stats
  specter db stats --db /var/lib/specter/specter.db --json
`

function text(s: StoreStats): string {
  const lines = [
    `store        ${s.path}`,
    `size         ${formatBytes(s.fileBytes)} (WAL ${formatBytes(s.walBytes)})`,
    `schema       version ${s.schemaVersion}, instance ${s.instanceId}, created ${new Date(s.createdMs).toISOString()}`,
    `endpoints    ${formatCount(s.endpoints)}`,
    `shapes       ${formatCount(s.distinctShapes)} distinct`,
    `observations ${formatCount(s.observations)}`,
    `overflow     ${Object.entries(s.overflow)
      .map(([k, v]) => `${k} ${formatCount(v)}`)
      .join(', ')}`,
    'rows',
    ...Object.entries(s.rows).map(([t, n]) => `  ${t.padEnd(20)} ${formatCount(n).padStart(12)}`),
  ]
  return `${lines.join('\n')}\n`
}

export const dbCommand: Command = {
  name: 'db',
  summary: 'inspect the shape store (db stats)',
  help,
  run: async (argv, io) => {
    const flags = parseFlags('db', argv, {
      db: { type: 'string' },
      config: { type: 'string' },
      json: { type: 'boolean' },
    })
    const [sub, ...extra] = flags.positionals
    if (sub !== 'stats') throw usageError('give a subcommand: `specter db stats`')
    if (extra.length > 0) throw usageError(`unexpected argument "${extra[0]?.slice(0, 40)}"; see \`specter db --help\``)
    const options = existingStoreOptions(configFromFlags(flags, io), io)
    const store = openStore({ ...options, fileMustExist: true })
    try {
      const stats = store.stats()
      io.stdout.write(flags.values['json'] === true ? `${JSON.stringify(stats, null, 2)}\n` : text(stats))
    } finally {
      store.close()
    }
    return 0
  },
}
