// The contract every subcommand implements; main.ts dispatches on the first argument.

export interface CliIo {
  stdout: NodeJS.WritableStream
  stderr: NodeJS.WritableStream
  env: NodeJS.ProcessEnv
  cwd: string
  /** false when NO_COLOR is set or stdout is not a terminal */
  color: boolean
}

export interface Command {
  name: string
  /** one line for `specter --help` */
  summary: string
  /** full `--help` text: usage, options, examples */
  help: string
  /**
   * Runs the command. Resolves to the exit code: 0 ok, 1 findings at the gate, 2 usage or
   * config error. Long-running commands (proxy) resolve when they stop.
   */
  run: (argv: string[], io: CliIo) => Promise<number>
}
