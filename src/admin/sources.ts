// What the admin API reads and changes, passed in by whoever wires Specter together (the proxy
// command): each source is optional, and an endpoint whose source is missing answers 503 with
// SPECTER_ERR_ADMIN_UNAVAILABLE instead of pretending there is nothing.
import type { Finding, Severity } from '../diff/index.js'

/** One operation in the inventory, observed and/or documented. */
export interface OperationSummary {
  method: string
  /** the documented template when matched, else the inferred path key */
  path: string
  /** in the published spec */
  documented: boolean
  /** requests observed (0 for documented operations never seen) */
  count: number
  /** epoch milliseconds; absent when never observed */
  firstSeenMs?: number
  lastSeenMs?: number
}

/** A finding as stored, with its id and acknowledgement state. */
export interface StoredFinding extends Finding {
  id: number
  acknowledged: boolean
}

export interface FindingFilter {
  rule?: string
  severity?: Severity
  acknowledged?: boolean
}

export interface FindingsSource {
  list: (filter: FindingFilter) => StoredFinding[] | Promise<StoredFinding[]>
  /** marks a finding acknowledged; resolves to false when there is no finding with this id */
  acknowledge: (id: number) => boolean | Promise<boolean>
}

export interface AdminSources {
  /** readiness: the proxy listens and the store is open */
  ready?: () => boolean | Promise<boolean>
  operations?: () => OperationSummary[] | Promise<OperationSummary[]>
  findings?: FindingsSource
  /** the inferred OpenAPI document (infer's buildOpenApi over the current inventory) */
  openApi?: () => unknown
  /** the HTML report (the report module's renderer over the latest diff) */
  reportHtml?: () => string | Promise<string>
}
