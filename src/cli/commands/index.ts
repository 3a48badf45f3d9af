// The list of subcommands, in the order `specter --help` shows them. One line per command.
import type { Command } from '../command.js'
import { dbCommand } from './db.js'
import { importCommand } from './import.js'
import { mergeCommand } from './merge.js'
import { proxyCommand } from './proxy.js'

export const commands: Command[] = [proxyCommand, importCommand, dbCommand, mergeCommand]
