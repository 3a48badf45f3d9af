// The list of subcommands, in the order `specter --help` shows them. One line per command.
import type { Command } from '../command.js'
import { collectCommand } from './collect.js'
import { dbCommand } from './db.js'
import { demoCommand } from './demo.js'
import { diffCommand } from './diff.js'
import { findingsCommand } from './findings.js'
import { importCommand } from './import.js'
import { inferCommand } from './infer.js'
import { mergeCommand } from './merge.js'
import { proxyCommand } from './proxy.js'
import { reportCommand } from './report.js'

export const commands: Command[] = [
  proxyCommand,
  demoCommand,
  importCommand,
  inferCommand,
  diffCommand,
  reportCommand,
  findingsCommand,
  dbCommand,
  mergeCommand,
  collectCommand,
]
