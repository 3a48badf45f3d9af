// A real nats-server with JetStream for the pipeline tests: loopback, a free port, a temporary
// store dir, killed (and removed) when the test finishes. Stop and start again on the same port
// and dir to simulate an outage. Tests skip when the binary is absent, except under CI=true.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'

const CANDIDATES = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server']
export const natsBinary = CANDIDATES.find((p) => existsSync(p))
if (natsBinary === undefined && process.env.CI === 'true') {
  throw new Error('nats-server is required under CI=true (apt-get install nats-server)')
}
export const haveNats = natsBinary !== undefined

export interface TestNats {
  url: string
  port: number
  dir: string
  stop: () => Promise<void>
  start: () => Promise<void>
}

async function freePort(): Promise<number> {
  const s = createServer()
  s.listen(0, '127.0.0.1')
  await once(s, 'listening')
  const port = (s.address() as { port: number }).port
  await new Promise<void>((r) => s.close(() => r()))
  return port
}

/** Starts nats-server -js on 127.0.0.1 (with `extraArgs`: TLS, auth); resolves once it accepts clients. */
export async function startNats(extraArgs: readonly string[] = []): Promise<TestNats> {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'specter-nats-'))
  let child: ChildProcess | undefined
  const start = async () => {
    const c = spawn(natsBinary as string, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir, ...extraArgs], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    child = c
    let log = ''
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`nats-server did not start: ${log.slice(-500)}`)), 10_000)
      c.stderr?.on('data', (d: Buffer) => {
        log += d.toString()
        if (log.includes('Server is ready')) {
          clearTimeout(t)
          resolve()
        }
      })
      c.once('exit', (code) => {
        clearTimeout(t)
        reject(new Error(`nats-server exited with ${code}: ${log.slice(-500)}`))
      })
    })
    c.stderr?.removeAllListeners('data')
    c.stderr?.resume()
  }
  const stop = async () => {
    const c = child
    child = undefined
    if (c === undefined || c.exitCode !== null) return
    c.removeAllListeners('exit')
    const exited = once(c, 'exit')
    c.kill('SIGKILL')
    await exited
  }
  await start()
  onTestFinished(async () => {
    await stop()
    rmSync(dir, { recursive: true, force: true })
  })
  return { url: `nats://127.0.0.1:${port}`, port, dir, stop, start }
}
