// Structural ReDoS check over every regular expression literal in src/security: anchored at both
// ends, and no repeated group (a group may only be optional), so no pattern can backtrack
// super-linearly. Timing is measured in bench/security.ts, not here.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'

const ROOT = join(import.meta.dirname, '../../src/security')

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  )
}

// A regex literal: `/`, then escapes, character classes (which may hold `/`) or plain characters, then `/flags`.
const LITERAL = /(?<=[=(,:&|!?]\s*)\/((?:\\.|\[(?:\\.|[^\]\\\n])*\]|[^/\\\n[])+)\/[a-z]*/g

/** Source text without line comments (which quote paths such as `/admin`). */
function withoutComments(text: string): string {
  return text
    .split('\n')
    .map((line) => (line.trimStart().startsWith('//') ? '' : line.replace(/\s\/\/\s.*$/, '')))
    .join('\n')
}

/** Repeated groups in a pattern: a `)` followed by `*`, `+` or `{n,m}` with m > 1. */
function repeatedGroups(pattern: string): string[] {
  const out: string[] = []
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === '\\') {
      i++
      continue
    }
    if (c === '[') {
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1
      continue
    }
    if (c !== ')') continue
    const next = pattern.slice(i + 1)
    const brace = /^\{([0-9]+)(,([0-9]*))?\}/.exec(next)
    const repeats =
      next.startsWith('*') ||
      next.startsWith('+') ||
      (brace !== null && (brace[2] === undefined ? Number(brace[1]) > 1 : brace[3] === '' || Number(brace[3]) > 1))
    if (repeats) out.push(pattern.slice(Math.max(0, i - 20), i + 4))
  }
  return out
}

const literals = sources(ROOT).flatMap((file) =>
  [...withoutComments(readFileSync(file, 'utf8')).matchAll(LITERAL)].map(
    (m) => [file.slice(ROOT.length + 1), m[1] as string] as const,
  ),
)

describe('regular expressions in src/security', () => {
  test('are all found (the scan itself works)', () => {
    expect(literals.length).toBeGreaterThanOrEqual(20)
    expect(repeatedGroups('(ab)+')).toHaveLength(1)
    expect(repeatedGroups('(ab){2,}')).toHaveLength(1)
    expect(repeatedGroups('(ab)?[)]+')).toHaveLength(0)
  })

  test.each(literals)('%s: /%s/ is anchored and has no repeated group', (_file, pattern) => {
    expect(pattern.startsWith('^')).toBe(true)
    expect(pattern.endsWith('$')).toBe(true)
    expect(repeatedGroups(pattern)).toEqual([])
  })
})
