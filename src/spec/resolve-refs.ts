// `$ref` resolution across the root document and the files (or same-origin URLs) it refers to.
// Resolution builds a graph: every reference to one target yields the same object, so recursive
// schemas become cycles instead of infinite trees. Every object built remembers where it came from.
import { specInvalid } from '../errors.js'
import type { SourceLocation } from './model.js'
import { type ParsedDocument, parseSpecText, pointerTokens } from './parse-document.js'
import { type ReadSourceOptions, readSource } from './read-source.js'

export interface LoadedDocument extends ParsedDocument {
  /** what to call it in messages: the path or URL as given (root) or relative to it */
  display: string
}

export interface DocumentSet {
  rootUri: string
  docs: Map<string, LoadedDocument>
}

export interface LoadDocumentsOptions extends ReadSourceOptions {
  /** at most this many documents (root included) are read through external references */
  maxDocuments: number
}

type Json = Record<string, unknown>

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v)

function splitRef(ref: string, baseUri: string): { docUri: string; pointer: string } {
  const hash = ref.indexOf('#')
  const file = hash === -1 ? ref : ref.slice(0, hash)
  const fragment = hash === -1 ? '' : ref.slice(hash + 1)
  const docUri = file === '' ? baseUri : new URL(file, baseUri).href.replace(/#.*$/, '')
  return { docUri, pointer: decodeURIComponent(fragment) }
}

// Keys whose values are data, not spec structure: a `$ref` inside an example is just a string.
const isDataKey = (key: string): boolean => key === 'example' || key === 'examples' || key.startsWith('x-')

/** Every `$ref` string in a document, with the pointer of the object holding it. */
function refsOf(value: unknown): Array<{ ref: string; pointer: string }> {
  const out: Array<{ ref: string; pointer: string }> = []
  const stack: Array<[unknown, string]> = [[value, '']]
  while (stack.length > 0) {
    const [node, ptr] = stack.pop() as [unknown, string]
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        stack.push([item, `${ptr}/${i}`])
      })
    } else if (isObject(node)) {
      for (const key of Object.keys(node)) {
        const child = node[key]
        if (key === '$ref' && typeof child === 'string') out.push({ ref: child, pointer: ptr })
        else if (!isDataKey(key)) stack.push([child, `${ptr}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`])
      }
    }
  }
  return out
}

function displayOf(uri: string, rootUri: string, rootDisplay: string): string {
  if (uri === rootUri) return rootDisplay
  const root = new URL(rootUri)
  const target = new URL(uri)
  if (root.protocol === 'file:' && target.protocol === 'file:') {
    const base = root.pathname.slice(0, root.pathname.lastIndexOf('/') + 1)
    if (target.pathname.startsWith(base)) return decodeURIComponent(target.pathname.slice(base.length))
  }
  return uri
}

/**
 * Reads the root document and, transitively, every document its `$ref`s name. A local file may
 * refer to local files only; a URL to the same origin only (a fetched spec must not read local files).
 */
export async function loadDocuments(
  rootUrl: URL,
  rootDisplay: string,
  options: LoadDocumentsOptions,
): Promise<DocumentSet> {
  const rootUri = rootUrl.href.replace(/#.*$/, '')
  const docs = new Map<string, LoadedDocument>()
  const root = parseSpecText(await readSource(rootUrl, rootDisplay, options), rootDisplay)
  docs.set(rootUri, { ...root, display: rootDisplay })
  const queue = [rootUri]
  while (queue.length > 0) {
    const uri = queue.shift() as string
    const doc = docs.get(uri) as LoadedDocument
    for (const { ref, pointer } of refsOf(doc.value)) {
      if (ref.startsWith('#')) continue
      const where = `${doc.display}#${pointer} (line ${doc.lineOf(pointer)})`
      let target: string
      try {
        target = splitRef(ref, uri).docUri
      } catch {
        throw specInvalid(rootDisplay, where, `the $ref "${ref.slice(0, 200)}" is not a valid reference`)
      }
      if (docs.has(target)) continue
      const from = new URL(uri)
      const to = new URL(target)
      const allowed = from.protocol === 'file:' ? to.protocol === 'file:' : to.origin === from.origin
      if (!allowed) {
        throw specInvalid(
          rootDisplay,
          where,
          `the $ref "${ref.slice(0, 200)}" leaves the spec's ${from.protocol === 'file:' ? 'file system' : 'origin'}`,
        )
      }
      if (docs.size >= options.maxDocuments) {
        throw specInvalid(rootDisplay, where, `more than ${options.maxDocuments} referenced documents`)
      }
      const display = displayOf(target, rootUri, rootDisplay)
      const parsed = parseSpecText(await readSource(to, display, options), display)
      docs.set(target, { ...parsed, display })
      queue.push(target)
    }
  }
  return { rootUri, docs }
}

// Annotation keywords that may sit beside a `$ref` without changing what it means.
const ANNOTATIONS = new Set(['description', 'summary', 'title', '$comment', 'example', 'examples', 'deprecated'])

/** Resolves `$ref`s into a graph of null-prototype objects, remembering each object's origin. */
export class RefResolver {
  readonly origins = new WeakMap<object, { docUri: string; pointer: string }>()
  readonly #memo = new Map<string, unknown>()
  readonly #following = new Set<string>()

  constructor(
    readonly set: DocumentSet,
    readonly rootDisplay: string,
    /** 3.1 allows keywords beside a `$ref` in a schema; 3.0 and 2.0 ignore them */
    readonly siblingsApply: boolean,
  ) {}

  /** The resolved root document. */
  root(): Json {
    const doc = this.set.docs.get(this.set.rootUri) as LoadedDocument
    const out = this.#resolve(doc.value, this.set.rootUri, '')
    return isObject(out) ? out : Object.create(null)
  }

  /** Where an object built by the resolver came from, with its line. */
  location(value: unknown, fallbackPointer: string): SourceLocation {
    const origin = isObject(value) || Array.isArray(value) ? this.origins.get(value) : undefined
    const docUri = origin?.docUri ?? this.set.rootUri
    const pointer = origin?.pointer ?? fallbackPointer
    const doc = this.set.docs.get(docUri) as LoadedDocument
    return { source: doc.display, pointer, line: doc.lineOf(pointer) }
  }

  /** A location in the root document. */
  rootLocation(pointer: string): SourceLocation {
    const doc = this.set.docs.get(this.set.rootUri) as LoadedDocument
    return { source: doc.display, pointer, line: doc.lineOf(pointer) }
  }

  #where(docUri: string, pointer: string): string {
    const doc = this.set.docs.get(docUri) as LoadedDocument
    const file = docUri === this.set.rootUri ? '' : doc.display
    return `${file}#${pointer} (line ${doc.lineOf(pointer)})`
  }

  #follow(ref: string, baseUri: string, refPointer: string): unknown {
    let target: { docUri: string; pointer: string }
    try {
      target = splitRef(ref, baseUri)
    } catch {
      throw specInvalid(
        this.rootDisplay,
        this.#where(baseUri, refPointer),
        `the $ref "${ref.slice(0, 200)}" is invalid`,
      )
    }
    const key = `${target.docUri}#${target.pointer}`
    if (this.#memo.has(key)) return this.#memo.get(key)
    const doc = this.set.docs.get(target.docUri)
    let node: unknown = doc?.value
    for (const token of pointerTokens(target.pointer)) {
      if (Array.isArray(node)) node = node[Number(token)]
      else if (isObject(node) && Object.hasOwn(node, token)) node = node[token]
      else node = undefined
      if (node === undefined) break
    }
    if (node === undefined) {
      throw specInvalid(
        this.rootDisplay,
        this.#where(baseUri, refPointer),
        `the $ref "${ref.slice(0, 200)}" points at nothing`,
      )
    }
    if (isObject(node) && typeof node['$ref'] === 'string' && Object.keys(node).length === 1) {
      // A reference to a reference: follow the chain, refusing loops that never reach a value.
      if (this.#following.has(key)) {
        throw specInvalid(this.rootDisplay, this.#where(baseUri, refPointer), `the $ref "${ref}" loops on itself`)
      }
      this.#following.add(key)
      const out = this.#follow(node['$ref'], target.docUri, target.pointer)
      this.#following.delete(key)
      this.#memo.set(key, out)
      return out
    }
    if (!isObject(node) && !Array.isArray(node)) {
      this.#memo.set(key, node)
      return node
    }
    const out: Json | unknown[] = Array.isArray(node) ? [] : Object.create(null)
    // Registered before filling, so a reference back to this target finds it: a cycle, not a loop.
    this.#memo.set(key, out)
    this.#fill(out, node, target.docUri, target.pointer)
    return out
  }

  #resolve(node: unknown, docUri: string, pointer: string): unknown {
    if (isObject(node) && typeof node['$ref'] === 'string') {
      const target = this.#follow(node['$ref'], docUri, pointer)
      const siblings = Object.keys(node).filter((k) => k !== '$ref' && !ANNOTATIONS.has(k) && !k.startsWith('x-'))
      if (!this.siblingsApply || siblings.length === 0) return target
      const out: Json = Object.create(null)
      this.origins.set(out, { docUri, pointer })
      for (const k of Object.keys(node)) {
        if (k !== '$ref') out[k] = this.#resolve(node[k], docUri, `${pointer}/${esc(k)}`)
      }
      out['allOf'] = [target, ...(Array.isArray(out['allOf']) ? out['allOf'] : [])]
      return out
    }
    if (!isObject(node) && !Array.isArray(node)) return node
    const out: Json | unknown[] = Array.isArray(node) ? [] : Object.create(null)
    this.#fill(out, node, docUri, pointer)
    return out
  }

  #fill(out: Json | unknown[], node: Json | unknown[], docUri: string, pointer: string): void {
    this.origins.set(out, { docUri, pointer })
    if (Array.isArray(node)) {
      const arr = out as unknown[]
      node.forEach((item, i) => {
        arr.push(this.#resolve(item, docUri, `${pointer}/${i}`))
      })
      return
    }
    const obj = out as Json
    for (const key of Object.keys(node)) {
      obj[key] = isDataKey(key) ? node[key] : this.#resolve(node[key], docUri, `${pointer}/${esc(key)}`)
    }
  }
}

const esc = (k: string) => k.replaceAll('~', '~0').replaceAll('/', '~1')

/** A JSON tree copy of a resolved graph: cycles cut to `{}`, at most maxNodes nodes (the rest cut too). */
export function toTree(value: unknown, maxNodes = 500_000): unknown {
  let budget = maxNodes
  const onPath = new Set<object>()
  const copy = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v
    if (onPath.has(v) || budget <= 0) return {}
    budget--
    onPath.add(v)
    let out: unknown
    if (Array.isArray(v)) {
      out = v.map(copy)
    } else {
      const o: Json = {}
      for (const k of Object.keys(v)) {
        Object.defineProperty(o, k, {
          value: copy((v as Json)[k]),
          enumerable: true,
          writable: true,
          configurable: true,
        })
      }
      out = o
    }
    onPath.delete(v)
    return out
  }
  return copy(value)
}
