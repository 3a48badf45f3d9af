// Parses one entry or line of an imported file. Only the position of a syntax error is kept:
// V8's message quotes the input, which may hold secrets.

export type Parsed = { value: unknown } | { problem: string }

/** Why `text` is not JSON, without quoting it. */
export function jsonProblem(err: unknown): string {
  const m = err instanceof Error ? /position (\d+)/.exec(err.message) : null
  return m === null ? 'not valid JSON' : `not valid JSON (at character ${m[1]})`
}

/** JSON.parse of UTF-8 bytes, or the problem. */
export function parseJson(bytes: Buffer, start = 0, end = bytes.length): Parsed {
  try {
    return { value: JSON.parse(bytes.toString('utf8', start, end)) }
  } catch (err) {
    return { problem: jsonProblem(err) }
  }
}
