// Reload-on-change for the proxy: watches the spec file and calls back once per burst of changes.
import { type FSWatcher, watch } from 'node:fs'
import { basename, dirname, resolve } from 'node:path'

export interface WatchSpecOptions {
  /** changes closer together than this are one change (editors write in several steps) */
  debounceMs?: number
  onError?: (err: unknown) => void
}

export interface SpecWatcher {
  close: () => void
}

/**
 * Calls onChange after the spec file changes (written, replaced or renamed into place). The
 * directory is watched rather than the file, because editors often replace the file's inode.
 */
export function watchSpec(path: string, onChange: () => void, options: WatchSpecOptions = {}): SpecWatcher {
  const file = resolve(path)
  const name = basename(file)
  const debounceMs = options.debounceMs ?? 200
  let timer: NodeJS.Timeout | undefined
  let closed = false
  const fire = () => {
    timer = undefined
    if (closed) return
    try {
      onChange()
    } catch (err) {
      options.onError?.(err)
    }
  }
  let watcher: FSWatcher
  try {
    watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
      if (changed !== null && changed.toString() !== name) return
      if (timer !== undefined) clearTimeout(timer)
      timer = setTimeout(fire, debounceMs)
    })
  } catch (err) {
    options.onError?.(err)
    return { close: () => {} }
  }
  watcher.on('error', (err) => options.onError?.(err))
  return {
    close: () => {
      closed = true
      if (timer !== undefined) clearTimeout(timer)
      watcher.close()
    },
  }
}
