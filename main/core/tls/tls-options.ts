// TLS settings of the control channel, shared by its server and client: TLS 1.3 only (Ed25519
// certificates, and CertificateVerify on both sides), each side presenting its device certificate.
// Chain verification is off on purpose: there is no CA; the peer's key is checked against the
// device id the caller expects (peer-client.ts) or recorded as who is calling (control-server.ts).
import { createSecureContext, type ConnectionOptions, type SecureContext, type TlsOptions } from 'node:tls'
import type { DeviceCredentials } from './device-certificate.js'

const VERSION = { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' } as const

/** The server builds its SecureContext once, when it is created (https.createServer). */
export function serverTlsOptions (c: DeviceCredentials): TlsOptions {
  return { ...VERSION, key: c.keyPem, cert: c.certPem, requestCert: true, rejectUnauthorized: false, handshakeTimeout: 10_000 }
}

/**
 * One client SecureContext per credentials, built at first use: given key and certificate instead,
 * tls.connect parsed both and built a context for every connection (a profile put that among an
 * agent's top costs). New credentials (a new object) get a context of their own.
 */
const clientContexts = new WeakMap<DeviceCredentials, SecureContext>()

export function clientTlsOptions (c: DeviceCredentials): ConnectionOptions {
  let secureContext = clientContexts.get(c)
  if (secureContext === undefined) {
    secureContext = createSecureContext({ ...VERSION, key: c.keyPem, cert: c.certPem })
    clientContexts.set(c, secureContext)
  }
  return { secureContext, rejectUnauthorized: false }
}
