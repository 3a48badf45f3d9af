// A JSON text cut short (the copy hit the capture limit) is closed at its last complete
// member so that the part that arrived still yields a shape. One linear pass, no recursion.

import { BACKSLASH, CLOSE_ARRAY, CLOSE_OBJECT, COMMA, OPEN_ARRAY, OPEN_OBJECT, QUOTE } from './json-chars.js'

/**
 * Returns a parseable prefix of a truncated JSON text, closed with the brackets still open,
 * or undefined when nothing complete arrived (e.g. a cut top-level string).
 */
export function closeTruncatedJson(text: string): string | undefined {
  const stack: number[] = []
  let inString = false
  // Cut point: everything before it is kept; the stack never changes after the last cut point.
  let cut = -1
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === BACKSLASH) i++
      else if (c === QUOTE) inString = false
      continue
    }
    switch (c) {
      case QUOTE:
        inString = true
        break
      case OPEN_OBJECT:
      case OPEN_ARRAY:
        stack.push(c === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY)
        cut = i + 1
        break
      case CLOSE_OBJECT:
      case CLOSE_ARRAY:
        stack.pop()
        cut = stack.length > 0 ? i + 1 : -1
        break
      case COMMA:
        if (stack.length > 0) cut = i
        break
    }
  }
  if (cut === -1 || stack.length === 0) return undefined
  let closers = ''
  for (let i = stack.length - 1; i >= 0; i--) closers += String.fromCharCode(stack[i] as number)
  return text.slice(0, cut) + closers
}
