// A path router for templates (`/users/{userId}`, `/files/{name}.json`): maps a raw path or a
// path key to the most specific template with bounded work, for templating (published specs,
// pins) and for runtime use (metrics labels). No regular expressions on the input.

export interface TemplateMatch {
  template: string
  /** parameter name -> the segment text it matched (a raw value or a class placeholder) */
  params: Record<string, string>
}

export interface PathRouter {
  readonly templates: readonly string[]
  /** The most specific template for a path (query string ignored), or undefined. */
  match: (path: string) => TemplateMatch | undefined
}

type Part = string | { name: string }
type Segment = { kind: 'literal'; text: string } | { kind: 'param'; name: string } | { kind: 'mixed'; parts: Part[] }

interface Node {
  literal: Map<string, Node>
  mixed: Array<{ parts: Part[]; node: Node }>
  param?: Node
  /** templates ending here, in input order */
  ends: number[]
}

interface Compiled {
  template: string
  segments: Segment[]
  paramCount: number
}

const MAX_SEGMENTS = 64
const MAX_PATH_LENGTH = 8192
/** Node visits per match: the cost bound of one lookup, whatever the templates. */
const VISIT_BUDGET = 512

/** Splits one template segment into literal text and `{name}` parameters. */
export function parseTemplateSegment(segment: string): Segment {
  const parts: Part[] = []
  let i = 0
  while (i < segment.length) {
    const open = segment.indexOf('{', i)
    const close = open === -1 ? -1 : segment.indexOf('}', open + 1)
    if (open === -1 || close === -1) {
      parts.push(segment.slice(i))
      break
    }
    if (open > i) parts.push(segment.slice(i, open))
    parts.push({ name: segment.slice(open + 1, close) })
    i = close + 1
  }
  if (parts.length === 1 && typeof parts[0] === 'object') return { kind: 'param', name: parts[0].name }
  if (parts.every((p) => typeof p === 'string')) return { kind: 'literal', text: parts.join('') }
  return { kind: 'mixed', parts }
}

function splitPath(path: string): string[] | undefined {
  if (path.length > MAX_PATH_LENGTH) return undefined
  const q = path.indexOf('?')
  const clean = q === -1 ? path : path.slice(0, q)
  const segments = clean.split('/').slice(1)
  return segments.length > MAX_SEGMENTS ? undefined : segments
}

/** Matches mixed parts (`{name}.json`, `{a}-{b}`) left to right; undefined when they do not fit. */
function matchMixed(parts: Part[], value: string): string[] | undefined {
  const values: string[] = []
  let pos = 0
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as Part
    if (typeof part === 'string') {
      if (!value.startsWith(part, pos)) return undefined
      pos += part.length
      continue
    }
    const next = parts[i + 1]
    let end: number
    if (next === undefined) end = value.length
    else if (typeof next === 'string') {
      // The last occurrence for the final literal (so `a.b.json` gives `a.b`), else the first.
      end = i + 2 === parts.length ? value.lastIndexOf(next) : value.indexOf(next, pos + 1)
    } else return undefined // two adjacent parameters cannot be told apart
    if (end <= pos) return undefined
    values.push(value.slice(pos, end))
    pos = end
  }
  return pos === value.length ? values : undefined
}

function newNode(): Node {
  return { literal: new Map(), mixed: [], ends: [] }
}

/** Builds a router over path templates; duplicates keep their first occurrence. */
export function createRouter(templates: readonly string[]): PathRouter {
  const compiled: Compiled[] = []
  const root = newNode()
  const seen = new Set<string>()
  for (const template of templates) {
    if (seen.has(template)) continue
    const segments = splitPath(template)
    if (segments === undefined) continue
    seen.add(template)
    const parsed = segments.map(parseTemplateSegment)
    let node = root
    let paramCount = 0
    for (const seg of parsed) {
      if (seg.kind === 'literal') {
        let next = node.literal.get(seg.text)
        if (next === undefined) {
          next = newNode()
          node.literal.set(seg.text, next)
        }
        node = next
      } else if (seg.kind === 'param') {
        paramCount++
        node.param ??= newNode()
        node = node.param
      } else {
        paramCount += seg.parts.filter((p) => typeof p !== 'string').length
        const key = seg.parts.map((p) => (typeof p === 'string' ? p : '{}')).join('')
        let entry = node.mixed.find((m) => m.parts.map((p) => (typeof p === 'string' ? p : '{}')).join('') === key)
        if (entry === undefined) {
          entry = { parts: seg.parts, node: newNode() }
          node.mixed.push(entry)
        }
        node = entry.node
      }
    }
    node.ends.push(compiled.length)
    compiled.push({ template, segments: parsed, paramCount })
  }

  function match(path: string): TemplateMatch | undefined {
    const segments = splitPath(path)
    if (segments === undefined) return undefined
    let best: number | undefined
    let visits = 0
    // Depth-first, literal before mixed before parameter: the first complete match is the most
    // specific left to right; a later one only wins with fewer parameters.
    const walk = (node: Node, depth: number): void => {
      if (++visits > VISIT_BUDGET) return
      if (depth === segments.length) {
        for (const t of node.ends) {
          if (best === undefined || (compiled[t] as Compiled).paramCount < (compiled[best] as Compiled).paramCount)
            best = t
        }
        return
      }
      const seg = segments[depth] as string
      const lit = node.literal.get(seg)
      if (lit !== undefined) walk(lit, depth + 1)
      for (const m of node.mixed) if (matchMixed(m.parts, seg) !== undefined) walk(m.node, depth + 1)
      if (node.param !== undefined && seg.length > 0) walk(node.param, depth + 1)
    }
    walk(root, 0)
    if (best === undefined) return undefined
    const c = compiled[best] as Compiled
    const params: Record<string, string> = Object.create(null) as Record<string, string>
    c.segments.forEach((seg, i) => {
      const value = segments[i] as string
      if (seg.kind === 'param') params[seg.name] = value
      else if (seg.kind === 'mixed') {
        const values = matchMixed(seg.parts, value) ?? []
        let k = 0
        for (const p of seg.parts) if (typeof p !== 'string') params[p.name] = values[k++] ?? ''
      }
    })
    return { template: c.template, params }
  }

  return { templates: compiled.map((c) => c.template), match }
}

/** Matches one path against one template: the parameters, or undefined. */
export function matchTemplate(template: string, path: string): Record<string, string> | undefined {
  return createRouter([template]).match(path)?.params
}
