// Structural comparison of an observed shape with a documented schema. The walk follows the shape
// (bounded in depth by the shape lattice), so recursive schemas cannot make it loop.
import { itemPath, mapValuePath, propertyPath } from '../finding/index.js'
import type { Shape } from '../infer/index.js'
import { typesOf } from '../infer/index.js'
import type { JsonSchema } from '../spec/index.js'
import { escapeToken } from '../spec/index.js'
import { acceptsType, anyOfList, type SchemaView, type TypeName, typesText, viewOf } from './schema-view.js'

export type SchemaIssueKind = 'undocumented-property' | 'missing-required' | 'type-mismatch'

export interface SchemaIssue {
  kind: SchemaIssueKind
  /** JSON pointer inside the media type's schema, e.g. /properties/user/properties/email or /items */
  schemaPath: string
  /** the place in the body, readable: user.email, items[].id ('' for the body itself) */
  bodyPath: string
  /** body path tokens, for pulling a value out of an example */
  bodyTokens: string[]
  /** observations showing the problem */
  count: number
  observed: string
  documented: string
  /** the documented schema object the issue is about (the parent object for property issues) */
  node: JsonSchema
  /** the schema forbids extra properties (additionalProperties: false) */
  forbidden?: boolean
  /** sensitive-data tags the shape carries for that value (from the capture's classifier) */
  tags?: string[]
}

export interface CompareOptions {
  /** false for form bodies, whose values are all strings on the wire */
  checkTypes: boolean
  maxIssues: number
}

function countOf(s: Shape, t: TypeName): number {
  switch (t) {
    case 'null':
      return s.nul ?? 0
    case 'boolean':
      return s.bool ?? 0
    case 'integer':
      return s.int ?? 0
    case 'number':
      return (s.num ?? 0) + (s.num !== undefined ? (s.int ?? 0) : 0)
    case 'string':
      return s.str?.n ?? 0
    case 'object':
      return s.obj?.n ?? 0
    case 'array':
      return s.arr?.n ?? 0
  }
}

function tagsOf(s: Shape): string[] | undefined {
  const tags = new Set<string>()
  const visit = (x: Shape | undefined, depth: number) => {
    if (x === undefined || depth > 4) return
    for (const t of Object.keys(x.str?.tag ?? {})) tags.add(t)
    if (x.arr?.items !== undefined) visit(x.arr.items, depth + 1)
  }
  visit(s, 0)
  return tags.size > 0 ? [...tags].sort() : undefined
}

const join = propertyPath

/** Compares an observed shape with a documented schema; issues come in a deterministic order. */
export function compareShape(shape: Shape, schema: JsonSchema, options: CompareOptions): SchemaIssue[] {
  const issues: SchemaIssue[] = []
  const walk = (s: Shape, sch: JsonSchema, schemaPath: string, bodyPath: string, tokens: string[]) => {
    if (issues.length >= options.maxIssues) return
    const view: SchemaView = viewOf(sch)
    const observed = typesOf(s)
    if (options.checkTypes) {
      const bad = observed.filter((t) => !acceptsType(view, t))
      if (bad.length > 0) {
        issues.push({
          kind: 'type-mismatch',
          schemaPath,
          bodyPath,
          bodyTokens: tokens,
          // Mixed integers and fractions read as 'number'; integers alone still fit an integer schema.
          count: bad.reduce(
            (n, t) => n + (t === 'number' && acceptsType(view, 'integer') ? (s.num ?? 0) : countOf(s, t)),
            0,
          ),
          observed: observed.join('|'),
          documented: typesText(view),
          node: view.node,
        })
      }
    }
    if (s.obj !== undefined && acceptsType(view, 'object')) walkObject(s, view, schemaPath, bodyPath, tokens)
    if (s.arr?.items !== undefined && acceptsType(view, 'array') && view.items !== undefined) {
      walk(s.arr.items, anyOfList(view.items), `${schemaPath}/items`, itemPath(bodyPath), [...tokens, '0'])
    }
  }
  const walkObject = (s: Shape, view: SchemaView, schemaPath: string, bodyPath: string, tokens: string[]) => {
    const obj = s.obj
    if (obj === undefined) return
    const listed = view.properties.size > 0
    const isMap = (obj.idKeys ?? 0) > 0
    for (const key of Object.keys(obj.props)) {
      if (issues.length >= options.maxIssues) return
      const child = obj.props[key] as Shape
      const childPath = `${schemaPath}/properties/${escapeToken(key)}`
      const documented = view.properties.get(key)
      if (documented !== undefined) {
        walk(child, anyOfList(documented), childPath, join(bodyPath, key), [...tokens, key])
      } else if (Array.isArray(view.additional)) {
        walk(child, anyOfList(view.additional), `${schemaPath}/additionalProperties`, join(bodyPath, key), [
          ...tokens,
          key,
        ])
      } else if (!view.freeForm && (listed || view.additional === 'forbidden')) {
        const issue: SchemaIssue = {
          kind: 'undocumented-property',
          schemaPath: childPath,
          bodyPath: join(bodyPath, key),
          bodyTokens: [...tokens, key],
          count: child.n,
          observed: typesOf(child).join('|') || 'unknown',
          documented: 'not documented',
          node: view.node,
        }
        if (view.additional === 'forbidden') issue.forbidden = true
        const tags = tagsOf(child)
        if (tags !== undefined) issue.tags = tags
        issues.push(issue)
      }
    }
    // Map-like objects (identifier keys) and keys beyond the property cap are merged into `rest`.
    if (obj.rest !== undefined && Array.isArray(view.additional)) {
      walk(obj.rest, anyOfList(view.additional), `${schemaPath}/additionalProperties`, mapValuePath(bodyPath), [
        ...tokens,
        '*',
      ])
    } else if (obj.rest !== undefined && isMap && view.additional === 'forbidden' && !view.freeForm) {
      issues.push({
        kind: 'undocumented-property',
        schemaPath: `${schemaPath}/additionalProperties`,
        bodyPath: mapValuePath(bodyPath),
        bodyTokens: [...tokens, '*'],
        count: obj.idKeys ?? obj.rest.n,
        observed: 'identifier-keyed map',
        documented: 'additionalProperties: false',
        node: view.node,
        forbidden: true,
      })
    }
    // Objects cut at the property cap may hold a required property in `rest`: no verdict there.
    if ((obj.restKeys ?? 0) > 0 || isMap) return
    for (const key of [...view.required].sort()) {
      if (issues.length >= options.maxIssues) return
      const present = Object.hasOwn(obj.props, key) ? (obj.props[key] as Shape).n : 0
      const missing = obj.n - present
      if (missing <= 0) continue
      issues.push({
        kind: 'missing-required',
        schemaPath: `${schemaPath}/properties/${escapeToken(key)}`,
        bodyPath: join(bodyPath, key),
        bodyTokens: [...tokens, key],
        count: missing,
        observed: `absent from ${missing} of ${obj.n} ${tokens.length === 0 ? 'bodies' : 'objects'}`,
        documented: 'required',
        node: view.node,
      })
    }
  }
  walk(shape, schema, '', '', [])
  return issues
}
