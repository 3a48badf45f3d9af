// Temporary SQLite paths in os.tmpdir(), removed (with WAL and SHM files) when the test finishes.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'

/** A fresh database path in its own temporary directory, deleted after the test. */
export function tempDbPath(name = 'specter.db'): string {
  const dir = mkdtempSync(join(tmpdir(), 'specter-test-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return join(dir, name)
}
