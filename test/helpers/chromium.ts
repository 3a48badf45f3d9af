// Debian's headless Chromium driven over the DevTools Protocol (a WebSocket, the `ws`
// devDependency), for browser tests of the HTML report. One browser per test: a fresh profile in
// os.tmpdir(), killed with its whole process group and removed when the test finishes. Locally a
// missing chromium skips; under CI=true it fails (.ci/run installs it).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, readFileSync, rmSync, watch } from 'node:fs'
import { createServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'
import WebSocket from 'ws'

const LAUNCH_TIMEOUT_MS = 15_000
const COMMAND_TIMEOUT_MS = 10_000

/** The chromium executable on PATH, or undefined. */
export function findChromium(): string | undefined {
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const out = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim()
      if (out !== '') return out
    } catch {
      // not this name
    }
  }
  return undefined
}

/**
 * True when chromium is missing and browser tests should be skipped (locally). Under CI a missing
 * chromium throws while the test file is collected, so CI cannot pass by not running them.
 */
export function chromiumMissing(): boolean {
  if (findChromium() !== undefined) return false
  if (process.env['CI'] === 'true') {
    throw new Error('chromium is missing under CI: apt-get install -y --no-install-recommends chromium')
  }
  return true
}

/**
 * Hosts Chromium's own services call a few seconds after start whatever the page does (component
 * and extension updates, network time, Google account checks, optimization hints), even with
 * --disable-background-networking and --disable-component-update. They are not the page's.
 */
const BROWSER_SERVICE_HOSTS: ReadonlySet<string> = new Set([
  'accounts.google.com',
  'clients2.google.com',
  'clientservices.googleapis.com',
  'content-autofill.googleapis.com',
  'edgedl.me.gvt1.com',
  'optimizationguide-pa.googleapis.com',
  'redirector.gvt1.com',
  'safebrowsingohttpgateway.googleapis.com',
  'update.googleapis.com',
  'www.google.com',
])

/** The host a proxy request line names (`CONNECT host:443 HTTP/1.1`, `GET http://host/... HTTP/1.1`). */
function hostOf(requestLine: string): string {
  const target = requestLine.split(' ')[1] ?? ''
  if (requestLine.startsWith('CONNECT ')) return target.replace(/:[0-9]{1,5}$/, '')
  try {
    return new URL(target).hostname
  } catch {
    return target
  }
}

export interface RecordingProxy {
  /** `http://127.0.0.1:PORT` */
  url: string
  /** the request line of every connection made to it */
  requests: string[]
  /** the requests that are not Chromium's own service calls */
  foreign(): string[]
}

/**
 * A loopback TCP server to give chromium as its proxy: it records the request line of every
 * connection (anything the browser tried to fetch from the network) and answers none of them.
 */
export async function startRecordingProxy(): Promise<RecordingProxy> {
  const requests: string[] = []
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    socket.once('data', (chunk: Buffer) => {
      requests.push(chunk.toString('latin1').split('\r\n')[0]?.slice(0, 300) ?? '')
      socket.destroy()
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  )
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    foreign: () => requests.filter((r) => !BROWSER_SERVICE_HOSTS.has(hostOf(r))),
  }
}

export interface CdpEvent {
  method: string
  params: Record<string, unknown>
  sessionId?: string
}

interface Pending {
  resolve: (result: Record<string, unknown>) => void
  reject: (err: Error) => void
  timer: NodeJS.Timeout
}

/** A DevTools Protocol connection: numbered commands with bounded waits, events recorded. */
class CdpConnection {
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private listeners: Array<(e: CdpEvent) => void> = []
  readonly events: CdpEvent[] = []

  constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as {
        id?: number
        result?: Record<string, unknown>
        error?: { message: string }
      } & Partial<CdpEvent>
      if (msg.id !== undefined) {
        const p = this.pending.get(msg.id)
        if (p === undefined) return
        this.pending.delete(msg.id)
        clearTimeout(p.timer)
        if (msg.error !== undefined) p.reject(new Error(`CDP error: ${msg.error.message}`))
        else p.resolve(msg.result ?? {})
        return
      }
      if (msg.method === undefined) return
      const event: CdpEvent = { method: msg.method, params: msg.params ?? {} }
      if (msg.sessionId !== undefined) event.sessionId = msg.sessionId
      this.events.push(event)
      for (const l of this.listeners) l(event)
    })
    ws.on('close', () => {
      for (const [, p] of this.pending) {
        clearTimeout(p.timer)
        p.reject(new Error('CDP connection closed'))
      }
      this.pending.clear()
    })
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        reject(new Error(`CDP ${method} timed out after ${COMMAND_TIMEOUT_MS} ms`))
      }, COMMAND_TIMEOUT_MS)
      this.pending.set(id, { resolve, reject, timer })
      this.ws.send(JSON.stringify({ id, method, params, ...(sessionId !== undefined ? { sessionId } : {}) }))
    })
  }

  /** Resolves with the first event (already received or still to come) that matches. */
  waitFor(match: (e: CdpEvent) => boolean, timeoutMs = COMMAND_TIMEOUT_MS): Promise<CdpEvent> {
    const seen = this.events.find(match)
    if (seen !== undefined) return Promise.resolve(seen)
    return new Promise((resolve, reject) => {
      const listener = (e: CdpEvent) => {
        if (!match(e)) return
        clearTimeout(timer)
        this.listeners = this.listeners.filter((l) => l !== listener)
        resolve(e)
      }
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== listener)
        reject(new Error(`no matching CDP event within ${timeoutMs} ms`))
      }, timeoutMs)
      this.listeners.push(listener)
    })
  }

  close(): void {
    this.ws.close()
  }
}

/** One tab, attached with a flat session: commands, its events, and a few conveniences. */
export class Page {
  constructor(
    private readonly cdp: CdpConnection,
    readonly sessionId: string,
  ) {}

  send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    return this.cdp.send(method, params, this.sessionId)
  }

  /** Every event this tab has sent so far. */
  events(method?: string): CdpEvent[] {
    return this.cdp.events.filter(
      (e) => e.sessionId === this.sessionId && (method === undefined || e.method === method),
    )
  }

  /** Navigates and resolves when the load event has fired. */
  async navigate(url: string): Promise<void> {
    const before = this.events('Page.loadEventFired').length
    const result = await this.send('Page.navigate', { url })
    if (typeof result['errorText'] === 'string') throw new Error(`navigation to ${url} failed: ${result['errorText']}`)
    let n = 0
    await this.cdp.waitFor((e) => e.sessionId === this.sessionId && e.method === 'Page.loadEventFired' && ++n > before)
  }

  /** Evaluates an expression in the page and returns its value (by value: JSON-able results only). */
  async evaluate<T>(expression: string): Promise<T> {
    const result = await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })
    const details = result['exceptionDetails'] as { text?: string; exception?: { description?: string } } | undefined
    if (details !== undefined) throw new Error(`page threw: ${details.exception?.description ?? details.text}`)
    return (result['result'] as { value: T }).value
  }

  /** A real mouse click (pressed, released) in the middle of the first element matching the selector. */
  async click(selector: string): Promise<void> {
    const box = await this.evaluate<{ x: number; y: number } | null>(`(() => {
      const el = document.querySelector(${JSON.stringify(selector)})
      if (el === null) return null
      el.scrollIntoView({ block: 'center' })
      const r = el.getBoundingClientRect()
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 }
    })()`)
    if (box === null) throw new Error(`nothing matches ${selector}`)
    for (const type of ['mousePressed', 'mouseReleased']) {
      await this.send('Input.dispatchMouseEvent', { type, x: box.x, y: box.y, button: 'left', clickCount: 1 })
    }
  }

  /** Types text into the focused element, as an IME would (fires `input`). */
  async type(text: string): Promise<void> {
    await this.send('Input.insertText', { text })
  }

  /** Presses and releases one key (e.g. 'ArrowDown', code and keyCode as given). */
  async press(key: string, code: string, keyCode: number): Promise<void> {
    for (const type of ['rawKeyDown', 'keyUp']) {
      await this.send('Input.dispatchKeyEvent', { type, key, code, windowsVirtualKeyCode: keyCode })
    }
  }

  /** A PNG of the viewport, or of the whole page. */
  async screenshot(options: { fullPage?: boolean } = {}): Promise<Buffer> {
    const result = await this.send('Page.captureScreenshot', {
      format: 'png',
      captureBeyondViewport: options.fullPage === true,
    })
    return Buffer.from(result['data'] as string, 'base64')
  }
}

export interface Browser {
  /** Opens a blank tab with Page, Runtime, Network and Log events enabled. */
  newPage(): Promise<Page>
  /** chromium's stderr so far (for failure messages) */
  stderr(): string
}

export interface LaunchOptions {
  /** send every network request (loopback included) through this proxy URL */
  proxyUrl?: string
  /** extra command-line switches */
  args?: string[]
}

function waitForActivePort(dir: string, child: ChildProcess, stderr: () => string): Promise<string> {
  const file = join(dir, 'DevToolsActivePort')
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      clearTimeout(timer)
      watcher.close()
      child.off('exit', onExit)
      if (err !== undefined) reject(err)
      else resolve(readFileSync(file, 'utf8'))
    }
    // The file is written in one go, but check that both lines (port, browser path) are there.
    const check = () => {
      if (existsSync(file) && readFileSync(file, 'utf8').split('\n').length >= 2) done()
    }
    const onExit = (code: number | null) =>
      done(new Error(`chromium exited (${code}) before DevTools was up:\n${stderr()}`))
    const timer = setTimeout(
      () => done(new Error(`chromium did not open DevTools within ${LAUNCH_TIMEOUT_MS} ms:\n${stderr()}`)),
      LAUNCH_TIMEOUT_MS,
    )
    const watcher = watch(dir, check)
    child.on('exit', onExit)
    check()
  })
}

/**
 * Launches headless chromium with a new profile and remote debugging on a free port (read from
 * the profile's DevToolsActivePort file), connects over WebSocket, and registers cleanup.
 */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const executable = findChromium()
  if (executable === undefined) throw new Error('chromium is not installed')
  const profile = mkdtempSync(join(tmpdir(), 'specter-chromium-'))
  const child = spawn(
    executable,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      '--disable-extensions',
      '--disable-default-apps',
      '--disable-domain-reliability',
      '--disable-client-side-phishing-detection',
      '--disable-features=Translate,MediaRouter,OptimizationHints,OptimizationHintsFetching,NetworkTimeServiceQuerying',
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      ...(options.proxyUrl !== undefined
        ? [`--proxy-server=${options.proxyUrl}`, '--proxy-bypass-list=<-loopback>']
        : []),
      ...(options.args ?? []),
      'about:blank',
    ],
    // Its own process group, so the renderer and helper processes go with it.
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 64_000) stderr += chunk.toString()
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let ws: WebSocket | undefined
  onTestFinished(async () => {
    ws?.close()
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL')
      } catch {
        // already gone
      }
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())])
    }
    rmSync(profile, { recursive: true, force: true })
  })

  const [port, path] = (await waitForActivePort(profile, child, () => stderr)).split('\n')
  ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { perMessageDeflate: false })
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('DevTools WebSocket did not open')), COMMAND_TIMEOUT_MS)
    ws?.once('open', () => {
      clearTimeout(timer)
      resolve()
    })
    ws?.once('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
  })
  const cdp = new CdpConnection(ws)
  return {
    stderr: () => stderr,
    async newPage() {
      const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' })
      const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true })
      const page = new Page(cdp, sessionId as string)
      for (const domain of ['Page', 'Runtime', 'Network', 'Log']) await page.send(`${domain}.enable`)
      return page
    },
  }
}
