// TLS settings of the control channel, shared by its server and client: TLS 1.3 only (Ed25519
// certificates, and CertificateVerify on both sides), each side presenting its device certificate.
// Chain verification is off on purpose: there is no CA; the peer's key is checked against the
// device id the caller expects (peer-client.ts) or recorded as who is calling (control-server.ts).
import type { ConnectionOptions, TlsOptions } from 'node:tls'
import type { DeviceCredentials } from './device-certificate.js'

const VERSION = { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' } as const

export function serverTlsOptions (c: DeviceCredentials): TlsOptions {
  return { ...VERSION, key: c.keyPem, cert: c.certPem, requestCert: true, rejectUnauthorized: false, handshakeTimeout: 10_000 }
}

export function clientTlsOptions (c: DeviceCredentials): ConnectionOptions {
  return { ...VERSION, key: c.keyPem, cert: c.certPem, rejectUnauthorized: false }
}
