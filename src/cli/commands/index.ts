// The list of subcommands, in the order `specter --help` shows them. One line per command.
import type { Command } from '../command.js'
import { dbCommand } from './db.js'
import { demoCommand } from './demo.js'
import { importCommand } from './import.js'
import { inferCommand } from './infer.js'
import { mergeCommand } from './merge.js'
import { proxyCommand } from './proxy.js'

export const commands: Command[] = [proxyCommand, demoCommand, importCommand, inferCommand, dbCommand, mergeCommand]
