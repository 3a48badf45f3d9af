// The real `specter` binary as a child process, for faults only a process can have (kill -9, its
// own stdout/stderr). Runs the compiled CLI (dist/), rebuilding it first when sources are newer.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'

export const REPO = join(import.meta.dirname, '../..')
const BIN = join(REPO, 'bin/specter.js')
const BUILT = join(REPO, 'dist/src/cli/main.js')

function newestMtimeMs(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(path) : statSync(path).mtimeMs)
  }
  return newest
}

const LOCK = join(tmpdir(), 'specter-faults-build.lock')

/**
 * Builds dist/ (`tsc -p tsconfig.build.json`) when it is missing or older than src/. Test files run
 * in parallel workers: a lock directory keeps two builds from writing dist/ at once.
 */
export function ensureBuilt(): void {
  const fresh = () => existsSync(BUILT) && statSync(BUILT).mtimeMs >= newestMtimeMs(join(REPO, 'src'))
  if (fresh()) return
  const waitUntil = Date.now() + 300_000
  for (;;) {
    try {
      mkdirSync(LOCK)
      break
    } catch {
      // Another worker builds; a lock older than the longest build is stale.
      const lockedMs = statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()
      if (Date.now() - lockedMs > 300_000) rmSync(LOCK, { recursive: true, force: true })
      if (Date.now() > waitUntil) throw new Error(`waited too long for ${LOCK}`)
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250)
    }
  }
  try {
    if (fresh()) return
    try {
      execFileSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
        cwd: REPO,
        stdio: 'pipe',
      })
    } catch (err) {
      // tsc still emits when a file has a type error (the typecheck step reports those); only a
      // missing build is fatal here.
      if (!existsSync(BUILT)) throw err
    }
  } finally {
    rmSync(LOCK, { recursive: true, force: true })
  }
}

export interface SpecterProcess {
  child: ChildProcess
  proxyUrl: string
  adminUrl: string
  stdout: () => string
  stderr: () => string
  /** SIGTERM, resolves with the exit code once it has stopped */
  stop: () => Promise<number | null>
  /** SIGKILL, resolves once it is gone */
  kill9: () => Promise<void>
}

const urlOf = (text: string, msg: string): string | undefined => {
  for (const line of text.split('\n')) {
    if (!line.includes(`"msg":"${msg}"`)) continue
    try {
      const url = (JSON.parse(line) as { url?: unknown }).url
      if (typeof url === 'string') return url
    } catch {
      // a partial line: wait for the rest
    }
  }
  return undefined
}

/**
 * Runs `specter <args>` until its proxy and admin listen (read from its `info` log lines, so the
 * log level must be info or lower).
 */
export async function spawnSpecter(args: string[], env: NodeJS.ProcessEnv = {}): Promise<SpecterProcess> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: REPO,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString()
  })
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString()
  })
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
      await exited
    }
  })
  const started = Date.now()
  while (urlOf(out, 'proxy listening') === undefined || urlOf(out, 'admin listening') === undefined) {
    if (child.exitCode !== null) throw new Error(`specter exited with ${child.exitCode}: ${err}${out}`)
    if (Date.now() - started > 20_000) throw new Error(`specter did not start: ${err}${out}`)
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      once(child.stdout as NodeJS.ReadableStream, 'data'),
      exited,
      new Promise((resolve) => {
        timer = setTimeout(resolve, 1_000)
      }),
    ])
    clearTimeout(timer)
  }
  return {
    child,
    proxyUrl: urlOf(out, 'proxy listening') as string,
    adminUrl: urlOf(out, 'admin listening') as string,
    stdout: () => out,
    stderr: () => err,
    stop: async () => {
      child.kill('SIGTERM')
      const [code] = await exited
      return code
    },
    kill9: async () => {
      child.kill('SIGKILL')
      await exited
    },
  }
}
