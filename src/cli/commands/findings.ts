// `specter findings`: the findings recorded by earlier diff/report runs; acknowledge one by id.
import { usageError } from '../../errors.js'
import { FindingStore, kindOf, type ReportFinding } from '../../report/index.js'
import { openStore } from '../../store/index.js'
import type { Command } from '../command.js'
import { configFromFlags, existingStoreOptions } from '../config-from-flags.js'
import { parseFlags, printable, stringFlag } from '../flags.js'
import { findingsTable } from './diff.js'

const help = `Usage: specter findings list [--json] [--db FILE]
       specter findings ack ID --reason "TEXT" [--db FILE]

list   every finding recorded by \`specter diff\` / \`specter report\`, with its id, status
       (open or acknowledged), hits and first/last seen
ack    marks finding ID acknowledged with a reason: later runs list it as acknowledged, not new,
       and --fail-on gates ignore it

Options:
  --json          list: print JSON
  --reason TEXT   ack: why the finding is accepted (required)
  --db FILE       the store (default: store.path from the config, specter.db)
  --config FILE   a config file layered over the defaults
  -h, --help      this help

Examples:
  specter findings list
  specter findings ack 12 --reason "internal health check, not exposed at the edge"
`

export const findingsCommand: Command = {
  name: 'findings',
  summary: 'list recorded findings, acknowledge one',
  help,
  run: async (argv, io) => {
    const flags = parseFlags('findings', argv, {
      db: { type: 'string' },
      config: { type: 'string' },
      json: { type: 'boolean' },
      reason: { type: 'string' },
    })
    const [action, id, ...rest] = flags.positionals
    if (rest.length > 0 || (action !== 'list' && action !== 'ack')) {
      throw usageError('expected `specter findings list` or `specter findings ack ID --reason "..."`')
    }
    const storeOptions = existingStoreOptions(configFromFlags(flags, io), io)
    if (action === 'ack') {
      if (id === undefined || !/^[0-9]{1,15}$/.test(id))
        throw usageError('ack needs a finding id (a number from `specter findings list`)')
      const reason = stringFlag(flags, 'reason')
      if (reason === undefined || reason.trim() === '')
        throw usageError('ack needs --reason "why this finding is accepted"')
      const store = openStore({ ...storeOptions, fileMustExist: true })
      try {
        const f = new FindingStore(store.database).acknowledge(Number(id), reason, Date.now())
        io.stdout.write(`acknowledged finding ${f.id}: ${printable(f.rule)} ${printable(`${f.method} ${f.path}`)}\n`)
      } finally {
        store.close()
      }
      return 0
    }
    if (id !== undefined) throw usageError('`specter findings list` takes no argument')
    const store = openStore({ ...storeOptions, fileMustExist: true })
    try {
      const list = new FindingStore(store.database).list()
      if (flags.values['json'] === true) io.stdout.write(`${JSON.stringify(list, null, 2)}\n`)
      else {
        const rows: ReportFinding[] = list.map((f) => ({ ...f, kind: kindOf(f.rule), specLine: 0 }))
        io.stdout.write(findingsTable(rows))
      }
    } finally {
      store.close()
    }
    return 0
  },
}
