// Throwaway TLS material for the NATS TLS tests, made with openssl in a temp dir removed when the
// test finishes: a CA, a server certificate for 127.0.0.1 and localhost signed by it, a client
// certificate signed by it (mTLS), and a second CA that signed nothing here (an untrusted CA).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'

export interface TestPki {
  dir: string
  caFile: string
  otherCaFile: string
  serverCert: string
  serverKey: string
  clientCert: string
  clientKey: string
}

const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] })

function selfSigned(dir: string, name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.pem`)
  const key = join(dir, `${name}-key.pem`)
  openssl([
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-keyout',
    key,
    '-out',
    cert,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ])
  return { cert, key }
}

function signed(
  dir: string,
  name: string,
  issuer: { cert: string; key: string },
  ext: string,
): { cert: string; key: string } {
  const cert = join(dir, `${name}.pem`)
  const key = join(dir, `${name}-key.pem`)
  const csr = join(dir, `${name}.csr`)
  const extFile = join(dir, `${name}.ext`)
  writeFileSync(extFile, ext)
  openssl([
    'req',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-subj',
    `/CN=${name}`,
    '-keyout',
    key,
    '-out',
    csr,
  ])
  openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    issuer.cert,
    '-CAkey',
    issuer.key,
    '-CAcreateserial',
    '-days',
    '2',
    '-out',
    cert,
    '-extfile',
    extFile,
  ])
  return { cert, key }
}

/** Makes the CA, server and client certificates; all files live until the test finishes. */
export function makePki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'specter-pki-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  const root = selfSigned(dir, 'ca')
  const other = selfSigned(dir, 'other-ca')
  const server = signed(dir, 'server', root, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n')
  const client = signed(dir, 'client', root, 'extendedKeyUsage=clientAuth\n')
  return {
    dir,
    caFile: root.cert,
    otherCaFile: other.cert,
    serverCert: server.cert,
    serverKey: server.key,
    clientCert: client.cert,
    clientKey: client.key,
  }
}
