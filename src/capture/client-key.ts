// The client key: who sent a request, as a keyed hash. HMAC-SHA256 with a per-store salt of
// the credential (so one API key is one client across addresses), else of the client address;
// cut to 16 hex characters (64 bits). The salt keeps the key from being brute-forced back
// into a short credential or an address by anyone holding the database but not the salt.
import { createHmac } from 'node:crypto'

/** The client key of a request from its credential (tagged by origin) or its address. */
export function clientKeyOf(salt: string | Buffer, credential: string | undefined, clientAddress: string): string {
  const input = credential ?? `address:${clientAddress}`
  return createHmac('sha256', salt).update(input).digest('hex').slice(0, 16)
}
