// admin: the admin listener (health, readiness, /metrics, the admin API and the HTML report).
export { type AdminServer, type AdminServerOptions, startAdminServer } from './admin-server.js'
export { bearerToken, isLoopbackHost, tokenMatches } from './auth.js'
export type { AdminSources, FindingFilter, FindingsSource, OperationSummary, StoredFinding } from './sources.js'
export { createOps, type Ops, type OpsOptions, type OpsParts, type OpsStore } from './ops.js'
