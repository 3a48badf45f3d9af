// Where a finding sits in the published spec, resolved once for the report document so that every
// format shows the same lines: the operation's path item (`paths:` for undocumented paths), and
// the line of the finding's specPointer (the documented schema, response, parameter) when it has one.
import type { Finding } from '../diff/index.js'
import type { SpecModel } from '../spec/index.js'

export interface SpecLocation {
  /** 1-based line of the operation's path item, or of `paths` when the path is undocumented */
  specLine: number
  /** 1-based line of specPointer, when the finding has one and it is found in the published spec */
  specPointerLine?: number
}

/** The line in the published spec a finding points at: its path item when documented, else `paths`. */
export function specLineOf(spec: SpecModel, f: Finding): number {
  const op =
    spec.operations.find((o) => o.method === f.method && o.template === f.path) ??
    spec.operations.find((o) => o.template === f.path)
  if (op !== undefined && op.pathLocation.line > 0) return op.pathLocation.line
  return spec.lineOf('/paths') || 1
}

/** Both lines of a finding in the published spec. */
export function specLocationOf(spec: SpecModel, f: Finding): SpecLocation {
  const out: SpecLocation = { specLine: specLineOf(spec, f) }
  // A pointer into the root document (not an external file's) has a line there.
  const line = f.specPointer?.startsWith('/') === true ? spec.lineOf(f.specPointer) : 0
  if (line > 0) out.specPointerLine = line
  return out
}
