// Entry point for reading the published spec: source string -> documents -> resolved refs -> model.
import { isAbsolute, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { SpecModel } from './model.js'
import { normalize } from './normalize.js'
import { loadDocuments, RefResolver, toTree } from './resolve-refs.js'
import { detectVersion } from './normalize.js'

export interface LoadSpecOptions {
  /** a URL source must answer completely within this time */
  timeoutMs?: number
  /** each document (root and referenced) may be at most this large */
  maxBytes?: number
  /** at most this many documents through external `$ref`s */
  maxDocuments?: number
  /** relative file paths resolve against this directory (default: process.cwd()) */
  cwd?: string
}

export const DEFAULT_SPEC_TIMEOUT_MS = 10_000
export const DEFAULT_SPEC_MAX_BYTES = 20 * 1024 * 1024
export const DEFAULT_SPEC_MAX_DOCUMENTS = 64

/** True when the source names an http(s) URL rather than a file. */
export const isUrlSource = (source: string): boolean => /^https?:\/\//i.test(source)

/**
 * Loads a published OpenAPI 3.0/3.1 or Swagger 2.0 spec (JSON or YAML) from a file path or an
 * http(s) URL, following `$ref`s into other files. Throws SPECTER_ERR_SPEC_UNREADABLE when it cannot
 * be read and SPECTER_ERR_SPEC_INVALID (with JSON pointer and line) when it is not a usable spec.
 */
export async function loadSpec(source: string, options: LoadSpecOptions = {}): Promise<SpecModel> {
  const url = isUrlSource(source)
    ? new URL(source)
    : pathToFileURL(isAbsolute(source) ? source : resolve(options.cwd ?? process.cwd(), source))
  const set = await loadDocuments(url, source, {
    timeoutMs: options.timeoutMs ?? DEFAULT_SPEC_TIMEOUT_MS,
    maxBytes: options.maxBytes ?? DEFAULT_SPEC_MAX_BYTES,
    maxDocuments: options.maxDocuments ?? DEFAULT_SPEC_MAX_DOCUMENTS,
  })
  const rootValue = set.docs.get(set.rootUri)?.value
  const resolver = new RefResolver(set, source, detectVersion(rootValue)?.version === '3.1')
  let tree: Record<string, unknown> | undefined
  const bundle = () => {
    tree ??= toTree(new RefResolver(set, source, false).root()) as Record<string, unknown>
    return tree
  }
  const localFile = url.protocol === 'file:' ? decodeURIComponent(url.pathname) : undefined
  return normalize(resolver, source, localFile, bundle)
}
