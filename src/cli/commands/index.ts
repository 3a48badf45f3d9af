// The list of subcommands, in the order `specter --help` shows them. One line per command.
import type { Command } from '../command.js'

export const commands: Command[] = []
