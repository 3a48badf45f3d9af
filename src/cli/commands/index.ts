// The list of subcommands, in the order `specter --help` shows them. One line per command.
import type { Command } from '../command.js'
import { importCommand } from './import.js'

export const commands: Command[] = [importCommand]
