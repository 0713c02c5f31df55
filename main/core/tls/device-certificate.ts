// The control channel's certificate: self-signed X.509 v3 whose key IS the device's Ed25519 key,
// so a TLS 1.3 handshake (CertificateVerify) proves the peer holds the key its device id is
// derived from. Nobody verifies a chain or the dates: the id pins the key, like an SSH host key.
import { randomBytes, sign, type X509Certificate } from 'node:crypto'
import { deviceIdFromPublicKey } from '../identity/device-id.js'
import { rawPublicKey, type Identity } from '../identity/identity.js'
import { bitString, explicit, objectIdentifier, sequence, set, time, unsignedInteger, utf8String } from './der.js'

/** The key and certificate a TLS endpoint presents, and the device id they prove. */
export interface DeviceCredentials {
  readonly id: string
  readonly keyPem: string
  readonly certPem: string
}

const ED25519 = '1.3.101.112'
const COMMON_NAME = '2.5.4.3'
const NO_EXPIRY = new Date(Date.UTC(9999, 11, 31, 23, 59, 59))
// Tolerates clocks that are behind, for any verifier that does look at the dates.
const BACKDATE_MS = 24 * 3600_000

function pem (der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? []
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`
}

/** DER of a self-signed certificate for the identity: subject = issuer = CN=<device id>. */
export function deviceCertificateDer (identity: Identity, now = new Date()): Buffer {
  const algorithm = sequence(objectIdentifier(ED25519))
  const name = sequence(set(sequence(objectIdentifier(COMMON_NAME), utf8String(identity.id))))
  const serial = randomBytes(16)
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40 // positive, and no leading zero byte to strip
  const tbs = sequence(
    explicit(0, unsignedInteger(Buffer.from([2]))), // v3
    unsignedInteger(serial),
    algorithm,
    name,
    sequence(time(new Date(now.getTime() - BACKDATE_MS)), time(NO_EXPIRY)),
    name,
    identity.publicKey.export({ type: 'spki', format: 'der' })
  )
  // Ed25519 signs the message itself (no prehash): the algorithm argument is null.
  return sequence(tbs, algorithm, bitString(sign(null, tbs, identity.privateKey)))
}

export function deviceCredentials (identity: Identity, now = new Date()): DeviceCredentials {
  return {
    id: identity.id,
    keyPem: identity.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certPem: pem(deviceCertificateDer(identity, now))
  }
}

/** The device id a peer certificate proves, or undefined when there is none or its key is not Ed25519. */
export function deviceIdOfCertificate (cert: X509Certificate | undefined): string | undefined {
  if (cert === undefined) return undefined
  const key = cert.publicKey
  if (key.asymmetricKeyType !== 'ed25519') return undefined
  return deviceIdFromPublicKey(rawPublicKey(key))
}
