// Maps SQLite failures to Specter's coded errors. Unavailability (disk full, read-only, locked,
// I/O) is transient from the caller's point of view: the capture pipeline keeps its batch and
// retries. Corruption is not.
import { storeCorrupt, storeUnavailable } from '../errors.js'

const UNAVAILABLE = /^SQLITE_(FULL|READONLY|BUSY|LOCKED|IOERR|CANTOPEN|NOMEM|PROTOCOL|PERM|AUTH)/
const CORRUPT = /^SQLITE_(CORRUPT|NOTADB)/

function sqliteCode(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined
  const code: unknown = (err as Error & { code?: unknown }).code
  return typeof code === 'string' ? code : undefined
}

/** True for the SQLite errors after which a later retry may succeed. */
export const isUnavailable = (err: unknown): boolean => UNAVAILABLE.test(sqliteCode(err) ?? '')

/** The coded error for a SQLite failure on `file`, or `err` itself when it is not a known SQLite condition. */
export function toStoreError(err: unknown, file: string): unknown {
  const code = sqliteCode(err) ?? ''
  if (UNAVAILABLE.test(code)) return storeUnavailable(file, err)
  if (CORRUPT.test(code)) return storeCorrupt(file, err)
  // fs errors while opening (EACCES, ENOENT of the directory, EROFS, ENOSPC)
  if (/^(EACCES|EPERM|EROFS|ENOSPC|EIO|ENOENT)$/.test(code)) return storeUnavailable(file, err)
  return err
}
