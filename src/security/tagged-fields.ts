// Where in a body shape the classifier tagged values: a walk over the counted shape lattice that
// yields every string node with tag counts, with its operation-relative schema pointer
// (`/properties/email`, `/items`, `/additionalProperties`) and its body path tokens.
import { itemPath, mapValuePath, propertyPath } from '../finding/index.js'
import type { Shape } from '../infer/index.js'
import { escapeToken } from '../spec/index.js'

export interface TaggedField {
  /** schema pointer relative to the body schema, e.g. /properties/users/items/properties/email */
  schemaPath: string
  /** property names down to the field ('*' for array items and map values) */
  tokens: string[]
  /** the field in the notation every rule writes (`data[].email`, '' for the body itself) */
  bodyPath: string
  /** category -> values that matched */
  tags: Record<string, number>
  /** string values observed at the field */
  strings: number
}

const MAX_DEPTH = 32
const MAX_FIELDS = 500

/** Every tagged string field of a body shape, depth-first in property order (bounded). */
export function taggedFields(shape: Shape): TaggedField[] {
  const out: TaggedField[] = []
  const walk = (s: Shape, schemaPath: string, tokens: string[], bodyPath: string, depth: number): void => {
    if (depth > MAX_DEPTH || out.length >= MAX_FIELDS) return
    const tags = s.str?.tag
    if (s.str !== undefined && tags !== undefined && Object.keys(tags).length > 0) {
      out.push({ schemaPath, tokens, bodyPath, tags, strings: s.str.n })
    }
    if (s.obj !== undefined) {
      for (const [name, child] of Object.entries(s.obj.props)) {
        const at = `${schemaPath}/properties/${escapeToken(name)}`
        walk(child, at, [...tokens, name], propertyPath(bodyPath, name), depth + 1)
      }
      if (s.obj.rest !== undefined) {
        walk(s.obj.rest, `${schemaPath}/additionalProperties`, [...tokens, '*'], mapValuePath(bodyPath), depth + 1)
      }
    }
    if (s.arr?.items !== undefined) {
      walk(s.arr.items, `${schemaPath}/items`, [...tokens, '*'], itemPath(bodyPath), depth + 1)
    }
  }
  walk(shape, '', [], '', 0)
  return out
}
