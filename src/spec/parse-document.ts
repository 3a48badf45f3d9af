// Parses one JSON or YAML spec document, keeping what is needed to find the line of a JSON pointer.
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml'
import { specInvalid } from '../errors.js'

export interface ParsedDocument {
  value: unknown
  /** 1-based line of the node (or of the key naming it) at a JSON pointer; 0 when unknown */
  lineOf: (pointer: string) => number
}

/** Splits a JSON pointer (RFC 6901) into unescaped tokens. */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return pointer === '/' ? [''] : []
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'))
}

/** Escapes one token for a JSON pointer (RFC 6901 §3). */
export const escapeToken = (token: string): string => token.replaceAll('~', '~0').replaceAll('/', '~1')

/** Joins tokens into a JSON pointer. */
export const toPointer = (tokens: readonly string[]): string => tokens.map((t) => `/${escapeToken(t)}`).join('')

const YAML_OPTIONS = { version: '1.2', uniqueKeys: true, prettyErrors: false } as const

/** Parses text as JSON (when it looks like JSON) or YAML. Throws SPECTER_ERR_SPEC_INVALID with the line. */
export function parseSpecText(text: string, source: string): ParsedDocument {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const lineCounter = new LineCounter()
  let ast: ReturnType<typeof parseDocument> | undefined
  // JSON is parsed natively; the YAML AST (a superset reader) is built only when a line is asked for.
  const astOf = () => {
    ast ??= parseDocument(body, { ...YAML_OPTIONS, lineCounter })
    return ast
  }
  let value: unknown
  const trimmed = body.trimStart()
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      value = JSON.parse(body)
    } catch {
      value = undefined
    }
  }
  if (value === undefined) {
    const doc = astOf()
    const first = doc.errors[0]
    if (first !== undefined) {
      const line = first.linePos?.[0]?.line ?? lineCounter.linePos(first.pos[0]).line
      throw specInvalid(
        source,
        `line ${line}`,
        `not valid JSON or YAML (${first.code}: ${first.message.split('\n')[0]})`,
      )
    }
    try {
      value = doc.toJS({ maxAliasCount: 100 })
    } catch (err) {
      throw specInvalid(source, 'line 1', `YAML could not be read: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  const lineOf = (pointer: string): number => {
    try {
      const doc = astOf()
      let node: unknown = doc.contents
      let line = 1
      for (const token of pointerTokens(pointer)) {
        if (isAlias(node)) node = node.resolve(doc)
        if (isMap(node)) {
          const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === token)
          if (pair === undefined) return line
          const key = pair.key as Node
          if (key.range !== undefined && key.range !== null) line = lineCounter.linePos(key.range[0]).line
          node = pair.value
        } else if (isSeq(node)) {
          const item = node.items[Number(token)] as Node | undefined
          if (item === undefined) return line
          if (item.range !== undefined && item.range !== null) line = lineCounter.linePos(item.range[0]).line
          node = item
        } else {
          return line
        }
      }
      return line
    } catch {
      return 0
    }
  }
  return { value, lineOf }
}
