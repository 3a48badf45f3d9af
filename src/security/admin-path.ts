// Paths that name administrative, internal or diagnostic surfaces: exposing them is riskier
// than exposing an ordinary resource (Spring Boot actuator, debug and profiling endpoints, ...).

const ADMIN_SEGMENTS: ReadonlySet<string> = new Set([
  'admin',
  'admins',
  'administrator',
  'internal',
  'private',
  'debug',
  'actuator',
  'management',
  'manage',
  'console',
  'backoffice',
  'ops',
  'sys',
  'system',
  'superuser',
  'sudo',
  'staff',
  'env',
  'heapdump',
  'threaddump',
  'pprof',
  'metrics',
  'config',
  'configs',
  'graphiql',
  'phpmyadmin',
  'wp-admin',
  '_internal',
  '_admin',
  '_debug',
])

/** The first admin-like segment of a path key (`/api/admin/users` -> 'admin'), or undefined. */
export function adminSegmentOf(pathKey: string): string | undefined {
  for (const seg of pathKey.split('/')) {
    if (seg.length === 0 || seg.length > 32) continue
    const s = seg.toLowerCase()
    if (ADMIN_SEGMENTS.has(s)) return s
  }
  return undefined
}
