// Dials a machine known only by address (another subnet, where mDNS does not reach): a TLS
// handshake on its control port shows which device key it holds (nothing is sent before that),
// then GET /v1/info over a connection pinned to that key says what it is. When an id is expected
// (a machine paired before), any other key is refused as `key-changed`. Failures are one sentence:
// unreachable, not a Swarmdrop device, key changed.
import { createPublicKey } from 'node:crypto'
import { connect } from 'node:tls'
import { errnoCode, errorMessage, fail, ok, type Result } from '../../../common/result.js'
import { requestPeer } from '../control/peer-client.js'
import { deviceIdFromPublicKey, shortFingerprint } from '../identity/device-id.js'
import { rawPublicKey } from '../identity/identity.js'
import { parseDeviceInfo, type DeviceInfo } from '../protocol/messages.js'
import { deviceIdOfCertificate, type DeviceCredentials } from '../tls/device-certificate.js'
import { clientTlsOptions } from '../tls/tls-options.js'

export interface DialTarget {
  readonly host: string
  readonly port: number
  /** The id pinned at the first contact; absent for a first contact. */
  readonly expectId?: string
}

/** What an address answered as, its key proven in the handshake. */
export interface Answered {
  readonly info: DeviceInfo
  /** The IPv4 address the connection reached (a host name resolved). */
  readonly address: string
  /** Raw Ed25519 public key, as the handshake proved it. */
  readonly rawKey: Buffer
}

export type DialFailure = 'unreachable' | 'not-swarmdrop' | 'key-changed'

const DIAL_TIMEOUT_MS = 8_000

const where = (t: DialTarget): string => `${t.host}:${t.port}`

function notSwarmdrop (t: DialTarget, why: string): Result<never, DialFailure> {
  return fail('not-swarmdrop', `${where(t)} answered, but it is not a Swarmdrop device (${why})`)
}

function unreachable (t: DialTarget, why: string): Result<never, DialFailure> {
  return fail('unreachable', `cannot reach ${where(t)} (${why}); check the address and that Swarmdrop runs there`)
}

export function keyChangedMessage (t: DialTarget, was: string, now: string): string {
  return `${where(t)} now answers with a different device key (${shortFingerprint(now)} instead of ${shortFingerprint(was)}), so it was refused; if that machine was reinstalled, unpair it and pair again`
}

interface Handshake { readonly id: string; readonly address: string; readonly rawKey: Buffer }

/** The key the address proves in a TLS handshake (then the connection is closed, nothing sent). */
function handshake (creds: DeviceCredentials, t: DialTarget): Promise<Result<Handshake, DialFailure>> {
  return new Promise(resolve => {
    let tcpUp = false
    let settled = false
    const settle = (r: Result<Handshake, DialFailure>): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      resolve(r)
    }
    const socket = connect({ ...clientTlsOptions(creds), host: t.host, port: t.port })
    socket.once('connect', () => { tcpUp = true })
    const timer = setTimeout(() => {
      settle(tcpUp ? notSwarmdrop(t, 'no TLS answer in time') : unreachable(t, 'no answer in time'))
    }, DIAL_TIMEOUT_MS)
    socket.once('secureConnect', () => {
      const cert = socket.getPeerX509Certificate()
      const id = deviceIdOfCertificate(cert)
      if (cert === undefined || id === undefined) return settle(notSwarmdrop(t, 'its TLS certificate holds no Ed25519 device key'))
      const address = (socket.remoteAddress ?? '').replace(/^::ffff:/, '')
      settle(ok({ id, address, rawKey: rawPublicKey(cert.publicKey) }))
    })
    socket.on('error', err => {
      if (tcpUp) return settle(notSwarmdrop(t, `its TLS handshake failed: ${errnoCode(err) ?? errorMessage(err)}`))
      const code = errnoCode(err)
      const why = code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' ? 'no such host' : code ?? errorMessage(err)
      settle(unreachable(t, why))
    })
  })
}

export async function dialAddress (creds: DeviceCredentials, t: DialTarget): Promise<Result<Answered, DialFailure>> {
  const shook = await handshake(creds, t)
  if (!shook.ok) return shook
  const { id, address, rawKey } = shook.value
  if (t.expectId !== undefined && id !== t.expectId) return fail('key-changed', keyChangedMessage(t, t.expectId, id))
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(address)) return unreachable(t, `it answered from ${address}, and swarms need an IPv4 address`)
  // A second connection, pinned to the key just seen: the answer comes from that device.
  const asked = await requestPeer(creds, { id, name: where(t), address, controlPort: t.port }, 'GET', '/v1/info', undefined, { timeoutMs: DIAL_TIMEOUT_MS, maxResponseBytes: 64 * 1024 })
  if (!asked.ok) {
    if (asked.error.code === 'key-mismatch') return fail('key-changed', keyChangedMessage(t, id, 'unknown'))
    return asked.error.code === 'unreachable' ? unreachable(t, asked.error.message) : notSwarmdrop(t, asked.error.message)
  }
  if (asked.value.status !== 200) return notSwarmdrop(t, `GET /v1/info answered HTTP ${asked.value.status}`)
  const info = parseDeviceInfo(asked.value.body)
  if (!info.ok) return notSwarmdrop(t, info.error.message)
  if (info.value.id !== id) return notSwarmdrop(t, `it calls itself ${shortFingerprint(info.value.id)} but holds the key of ${shortFingerprint(id)}`)
  let claimed: string | undefined
  try {
    claimed = deviceIdFromPublicKey(rawPublicKey(createPublicKey(info.value.publicKey)))
  } catch {
    claimed = undefined
  }
  if (claimed !== id) return notSwarmdrop(t, 'the key in its device info is not the key of its handshake')
  return ok({ info: info.value, address, rawKey })
}
