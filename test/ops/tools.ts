// Finds the real ops tools (Debian's prometheus, promtool, docker-compose) for the ops tests.
// Locally a missing tool skips its tests; under CI=true a missing tool fails them, so CI can
// never pass by not running them (.ci/run installs the packages).
import { execFileSync } from 'node:child_process'

export function findTool(name: string): string | undefined {
  try {
    const out = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim()
    return out === '' ? undefined : out
  } catch {
    return undefined
  }
}

export const inCi = process.env['CI'] === 'true'

/**
 * True when the tool is missing and its tests should be skipped (locally). Under CI a missing
 * tool throws while the test file is collected, failing it with the install hint.
 */
export function missingTool(name: string, debianPackage: string): boolean {
  if (findTool(name) !== undefined) return false
  if (inCi) throw new Error(`${name} is missing under CI: apt-get install -y --no-install-recommends ${debianPackage}`)
  return true
}
