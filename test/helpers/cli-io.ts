// A CliIo whose stdout/stderr are captured in memory; waitFor resolves when a line matches.
import { Writable } from 'node:stream'
import type { CliIo } from '../../src/cli/command.js'

export class CapturedStream extends Writable {
  text = ''
  private waiters: Array<{ match: (line: string) => boolean; resolve: (line: string) => void }> = []

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString()
    this.check()
    callback()
  }

  lines(): string[] {
    return this.text.split('\n').filter((l) => l !== '')
  }

  /** Resolves with the first line (already written or still to come) that matches. */
  waitFor(match: (line: string) => boolean): Promise<string> {
    const found = this.lines().find(match)
    if (found !== undefined) return Promise.resolve(found)
    return new Promise((resolve) => {
      this.waiters.push({ match, resolve })
    })
  }

  private check(): void {
    const lines = this.lines()
    this.waiters = this.waiters.filter((w) => {
      const line = lines.find(w.match)
      if (line === undefined) return true
      w.resolve(line)
      return false
    })
  }
}

export interface TestIo extends CliIo {
  stdout: CapturedStream
  stderr: CapturedStream
}

export function testIo(env: NodeJS.ProcessEnv = {}, cwd = process.cwd()): TestIo {
  return { stdout: new CapturedStream(), stderr: new CapturedStream(), env, cwd, color: false }
}
