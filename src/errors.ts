// Every error Specter raises carries a stable code; the README's error table lists them all
// (test/errors.test.ts keeps the two in step). Assert codes in tests, not messages.

export type ErrorCode =
  | 'SPECTER_ERR_CONFIG_INVALID'
  | 'SPECTER_ERR_USAGE'
  | 'SPECTER_ERR_UPSTREAM_UNREACHABLE'
  | 'SPECTER_ERR_UPSTREAM_TIMEOUT'
  | 'SPECTER_ERR_UPSTREAM_RESET'
  | 'SPECTER_ERR_REQUEST_REJECTED'
  | 'SPECTER_ERR_STORE_SCHEMA_AHEAD'
  | 'SPECTER_ERR_STORE_CORRUPT'
  | 'SPECTER_ERR_STORE_UNAVAILABLE'
  | 'SPECTER_ERR_SPEC_UNREADABLE'
  | 'SPECTER_ERR_SPEC_INVALID'
  | 'SPECTER_ERR_HAR_INVALID'
  | 'SPECTER_ERR_NOT_FOUND'
  | 'SPECTER_ERR_UNAUTHORIZED'
  | 'SPECTER_ERR_BAD_REQUEST'
  | 'SPECTER_ERR_ADMIN_UNAVAILABLE'
  | 'SPECTER_ERR_INTERNAL'
  | 'SPECTER_ERR_DELTA_INVALID'
  | 'SPECTER_ERR_NATS_AUTH'
  | 'SPECTER_ERR_NATS_TLS'
  | 'SPECTER_ERR_NATS_UNREACHABLE'

export class SpecterError extends Error {
  override name = 'SpecterError'
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}

export const isSpecterError = (err: unknown): err is SpecterError => err instanceof SpecterError

export const usageError = (message: string) => new SpecterError('SPECTER_ERR_USAGE', message)

export const storeSchemaAhead = (file: string, found: number, known: number) =>
  new SpecterError(
    'SPECTER_ERR_STORE_SCHEMA_AHEAD',
    `the database ${file} has schema version ${found}, newer than this Specter knows (${known}); upgrade Specter or use another --db`,
  )

export const storeCorrupt = (file: string, cause: unknown) =>
  new SpecterError(
    'SPECTER_ERR_STORE_CORRUPT',
    `the database ${file} is not a readable Specter store; it was left untouched`,
    {
      cause,
    },
  )

export const storeUnavailable = (file: string, cause: unknown) =>
  new SpecterError(
    'SPECTER_ERR_STORE_UNAVAILABLE',
    `cannot write to the database ${file} (disk full, read-only or locked); nothing of the batch was written, retry later`,
    { cause },
  )

export const specUnreadable = (source: string, cause: unknown) =>
  new SpecterError('SPECTER_ERR_SPEC_UNREADABLE', `cannot read the published spec at ${source}`, { cause })

export const specInvalid = (source: string, where: string, problem: string) =>
  new SpecterError('SPECTER_ERR_SPEC_INVALID', `the published spec ${source} is invalid at ${where}: ${problem}`)

export const harInvalid = (source: string, problem: string, cause?: unknown) =>
  new SpecterError('SPECTER_ERR_HAR_INVALID', `${source} is not importable: ${problem}`, { cause })

export const unauthorized = (what: string) =>
  new SpecterError(
    'SPECTER_ERR_UNAUTHORIZED',
    `${what} needs the admin token: send Authorization: Bearer <admin.token>`,
  )

export const badRequest = (where: string, problem: string) =>
  new SpecterError('SPECTER_ERR_BAD_REQUEST', `bad request at ${where}: ${problem}`)

export const notFound = (what: string) => new SpecterError('SPECTER_ERR_NOT_FOUND', `${what} was not found`)

export const adminUnavailable = (what: string, why: string) =>
  new SpecterError('SPECTER_ERR_ADMIN_UNAVAILABLE', `${what} is not available: ${why}`)

export const internalError = (where: string, cause: unknown) =>
  new SpecterError('SPECTER_ERR_INTERNAL', `unexpected failure in ${where}; see the Specter log`, { cause })

export const securityOptionInvalid = (option: string, value: unknown, expected: string) =>
  new SpecterError('SPECTER_ERR_CONFIG_INVALID', `${option} is ${String(value)}; expected ${expected}`)

export const deltaInvalid = (where: string, problem: string, cause?: unknown) =>
  new SpecterError('SPECTER_ERR_DELTA_INVALID', `pipeline delta ${where} is invalid: ${problem}`, { cause })

/** NATS connection failures of the pipeline, logged with their code (proxies keep serving traffic). */
export const natsError = (
  code: 'SPECTER_ERR_NATS_AUTH' | 'SPECTER_ERR_NATS_TLS' | 'SPECTER_ERR_NATS_UNREACHABLE',
  message: string,
  cause?: unknown,
) => new SpecterError(code, message, { cause })
