// The client key: who sent a request, as a keyed hash. HMAC-SHA256 (RFC 2104) with a
// per-store salt of the credential (so one API key is one client across addresses), else of
// the client address; cut to 16 hex characters (64 bits). The salt keeps the key from being
// brute-forced back into a short credential or an address by anyone holding the database.
// HMAC is computed from two one-shot digests over precomputed pads: createHmac's object set-up
// costs more than the hashing itself at this size, and this runs once per exchange.
import { hash } from 'node:crypto'

const BLOCK_BYTES = 64

export type ClientKeyer = (credential: string | undefined, clientAddress: string) => string

/** A client keyer for one salt. */
export function clientKeyer(salt: string | Buffer): ClientKeyer {
  let key = typeof salt === 'string' ? Buffer.from(salt, 'utf8') : salt
  if (key.length > BLOCK_BYTES) key = hash('sha256', key, 'buffer')
  const ipad = Buffer.alloc(BLOCK_BYTES, 0x36)
  const opad = Buffer.alloc(BLOCK_BYTES, 0x5c)
  for (let i = 0; i < key.length; i++) {
    ipad[i] = (ipad[i] as number) ^ (key[i] as number)
    opad[i] = (opad[i] as number) ^ (key[i] as number)
  }
  return (credential, clientAddress) => {
    const message = Buffer.from(credential ?? `address:${clientAddress}`, 'utf8')
    const inner = hash('sha256', Buffer.concat([ipad, message], BLOCK_BYTES + message.length), 'buffer')
    const outer = hash('sha256', Buffer.concat([opad, inner], BLOCK_BYTES + inner.length), 'hex')
    return outer.slice(0, 16)
  }
}

const keyers = new WeakMap<Buffer, ClientKeyer>()
const stringKeyers = new Map<string, ClientKeyer>()

/** The client key of a request from its credential (tagged by origin) or its address. */
export function clientKeyOf(salt: string | Buffer, credential: string | undefined, clientAddress: string): string {
  let keyer: ClientKeyer | undefined
  if (typeof salt === 'string') {
    keyer = stringKeyers.get(salt)
    if (keyer === undefined) {
      if (stringKeyers.size >= 16) stringKeyers.clear()
      keyer = clientKeyer(salt)
      stringKeyers.set(salt, keyer)
    }
  } else {
    keyer = keyers.get(salt)
    if (keyer === undefined) {
      keyer = clientKeyer(salt)
      keyers.set(salt, keyer)
    }
  }
  return keyer(credential, clientAddress)
}
