// What matching observed endpoints to documented operations produces; rules read it from the context.
import type { SpecOperation } from '../spec/index.js'
import type { ObservedEndpoint } from '../store/inventory.js'

export type MatchKind =
  /** method and path template documented */
  | 'documented'
  /** the path is documented but not this method */
  | 'method-undocumented'
  /** no documented template matches the path */
  | 'path-undocumented'

export interface EndpointMatch {
  endpoint: ObservedEndpoint
  kind: MatchKind
  /** the documented operation (kind 'documented') */
  operation?: SpecOperation
  /** the operations documented on the matched path (kind 'method-undocumented': the other methods) */
  pathOperations: SpecOperation[]
  /** the server prefix stripped before matching ('' when none) */
  prefix: string
  /** the observed path key with the prefix stripped */
  relativePath: string
  /**
   * Undocumented endpoints under a wholly undocumented prefix (e.g. '/admin'): the prefix.
   * shadow-service reports them as one finding; shadow-operation skips them.
   */
  service?: string
  /**
   * The observed path uses an older version prefix (/v1) of a documented newer operation (/v2):
   * that newer operation. zombie-operation reports it; shadow-operation skips it.
   */
  supersededBy?: SpecOperation
  /**
   * An undocumented path (kind 'path-undocumented'): the path template `specter infer` writes for
   * it (`/admin/users/{userId}` for the observed `/admin/users/{int}`). Findings name it so.
   */
  inferredPath?: string
  /** the store's overflow bucket (endpoints beyond its cap): not an endpoint, no rule reports it */
  overflow?: boolean
  /**
   * An undocumented endpoint that only ever answered 404: a path that does not exist (a scanner's
   * probe, a stale client), not API surface. diff() keeps it out of `matches`; only probed-paths
   * reports such endpoints, as one summary.
   */
  notFound?: boolean
}
