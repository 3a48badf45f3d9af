// A progress indicator on stderr for long commands (demo traffic, import). On a terminal it
// redraws one line; elsewhere (CI logs, pipes) it prints a plain line at each quarter. ANSI
// colour only when the terminal takes it and NO_COLOR is unset (https://no-color.org).

export interface Progress {
  /** fraction in [0, 1] and a short label such as "1,204 requests" */
  update: (fraction: number, label: string) => void
  /** ends the indicator (clears the redrawn line) */
  done: () => void
}

export interface ProgressOptions {
  stream: NodeJS.WritableStream
  env: NodeJS.ProcessEnv
  title: string
  /** redraws at most this often on a terminal (default 80 ms) */
  minIntervalMs?: number
}

const WIDTH = 28

/** Creates the indicator; it writes nothing until the first update. */
export function createProgress(options: ProgressOptions): Progress {
  const { stream, env, title } = options
  const interactive = (stream as NodeJS.WriteStream).isTTY === true && env['TERM'] !== 'dumb'
  const color = interactive && env['NO_COLOR'] === undefined
  const minIntervalMs = options.minIntervalMs ?? 80
  let lastDrawMs = 0
  let lastQuarter = -1
  let lastWidth = 0
  let drawn = false

  const draw = (fraction: number, label: string): void => {
    const f = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0))
    const pct = `${Math.floor(f * 100)}%`.padStart(4)
    if (!interactive) {
      const quarter = Math.floor(f * 4)
      if (quarter === lastQuarter) return
      lastQuarter = quarter
      stream.write(`${title}: ${pct.trim()} ${label}\n`)
      return
    }
    const filled = Math.round(f * WIDTH)
    const bar = '#'.repeat(filled) + '-'.repeat(WIDTH - filled)
    const shown = color ? `\x1b[36m${bar}\x1b[0m` : bar
    const text = `${title} [${bar}] ${pct} ${label}`
    // Pad with spaces rather than an erase-line escape, so NO_COLOR output has no escapes at all.
    const pad = ' '.repeat(Math.max(0, lastWidth - text.length))
    lastWidth = text.length
    stream.write(`\r${title} [${shown}] ${pct} ${label}${pad}`)
    drawn = true
  }

  return {
    update: (fraction, label) => {
      const now = Date.now()
      if (interactive && fraction < 1 && now - lastDrawMs < minIntervalMs) return
      lastDrawMs = now
      draw(fraction, label)
    },
    done: () => {
      if (interactive && drawn) stream.write(`\r${' '.repeat(lastWidth)}\r`)
    },
  }
}

/** 12345 -> "12,345" (fixed locale, so output is the same everywhere). */
export function formatCount(n: number): string {
  const digits = Math.abs(Math.round(n)).toString()
  let out = ''
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ','
    out += digits[i]
  }
  return n < 0 ? `-${out}` : out
}

/** Bytes in KiB/MiB/GiB with one decimal. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let v = bytes / 1024
  let u = 0
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024
    u++
  }
  return `${v.toFixed(1)} ${units[u]}`
}
