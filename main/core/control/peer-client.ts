// Calls to another device's control port over mutual TLS, pinned to the device id the caller
// meant to reach (from the mDNS advert or the offer's member list): the TLS handshake proves which
// key the other end holds, and unless that key hashes to the expected id not one byte of the
// request is sent. Bounded in time and in the size of the answer; failures say which device and why.
import { request as httpRequest } from 'node:http'
import type { KeyObject } from 'node:crypto'
import { connect, type TLSSocket } from 'node:tls'
import { shortFingerprint } from '../identity/device-id.js'
import { errorMessage, errnoCode, fail, ok, type Result } from '../../../common/result.js'
import { deviceIdOfCertificate, type DeviceCredentials } from '../tls/device-certificate.js'
import { clientTlsOptions } from '../tls/tls-options.js'
import type { JsonResponse } from './http-client.js'

/** Who the caller means to reach, and where it was told that device listens. */
export interface PeerEndpoint {
  readonly id: string
  readonly name: string
  readonly address: string
  readonly controlPort: number
}

export interface PeerRequestOptions {
  readonly timeoutMs?: number
  /** Larger answers are cut off as `bad-response` (default 8 MiB). */
  readonly maxResponseBytes?: number
}

export const DEFAULT_TIMEOUT_MS = 10_000
const DEFAULT_MAX_RESPONSE = 8 * 1024 * 1024

function where (t: PeerEndpoint): string { return `${t.address}:${t.controlPort}` }

export function keyMismatchMessage (t: PeerEndpoint, presented: string | undefined): string {
  const answered = presented === undefined ? 'without a device key' : `as ${shortFingerprint(presented)}`
  return `device ${t.name} (${shortFingerprint(t.id)}) presented a different key — it may be an impostor; not sending (${where(t)} answered ${answered})`
}

function unreachable (t: PeerEndpoint, err: unknown): Result<never> {
  const code = errnoCode(err)
  const why = code === 'ECONNREFUSED' ? 'connection refused' : code ?? errorMessage(err)
  return fail('unreachable', `${where(t)}: ${why}`)
}

/** A connection whose peer proved `key` in the handshake. */
export interface PinnedConnection {
  readonly socket: TLSSocket
  /** Read at the handshake: OpenSSL may drop the peer certificate once a session ticket arrives. */
  readonly publicKey: KeyObject
  /** The device id that key proved (= the target's id: connectPeer refuses any other). */
  readonly id: string
}

/**
 * A TLS connection to `target` whose peer proved, in the handshake, the key of `target.id`;
 * `key-mismatch` (connection closed, nothing sent) when it holds another key or none.
 */
export function connectPeer (creds: DeviceCredentials, target: PeerEndpoint, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Result<PinnedConnection>> {
  return new Promise(resolve => {
    const socket = connect({ ...clientTlsOptions(creds), host: target.address, port: target.controlPort })
    const timer = setTimeout(() => {
      socket.destroy()
      resolve(fail('unreachable', `${where(target)}: no answer in time`))
    }, timeoutMs)
    socket.once('secureConnect', () => {
      clearTimeout(timer)
      const cert = socket.getPeerX509Certificate()
      const presented = deviceIdOfCertificate(cert)
      if (cert === undefined || presented !== target.id) {
        socket.destroy()
        resolve(fail('key-mismatch', keyMismatchMessage(target, presented)))
        return
      }
      resolve(ok({ socket, publicKey: cert.publicKey, id: target.id }))
    })
    socket.on('error', err => {
      clearTimeout(timer)
      resolve(unreachable(target, err))
    })
  })
}

/** One JSON request to `target` on a fresh pinned connection (see connectPeer), closed after the answer. */
export async function requestPeer (
  creds: DeviceCredentials,
  target: PeerEndpoint,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  opts: PeerRequestOptions = {}
): Promise<Result<JsonResponse>> {
  const deadline = Date.now() + (opts.timeoutMs ?? DEFAULT_TIMEOUT_MS)
  const connected = await connectPeer(creds, target, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS)
  if (!connected.ok) return connected
  const x: Exchange = { method, path, body, deadline, keepAlive: false, ...(opts.maxResponseBytes !== undefined ? { maxResponseBytes: opts.maxResponseBytes } : {}) }
  return (await exchange(connected.value.socket, target, x)).result
}

export interface Exchange {
  readonly method: 'GET' | 'POST'
  readonly path: string
  readonly body?: unknown
  /** Date.now() by which the answer must be in. */
  readonly deadline: number
  /** Ask the server to keep the connection open after the answer (peer-connections.ts keeps it). */
  readonly keepAlive: boolean
  readonly maxResponseBytes?: number
}

export interface ExchangeOutcome {
  readonly result: Result<JsonResponse>
  /** The connection failed before any answer came (closed, reset): the request may be sent again on a fresh one. */
  readonly lostBeforeAnswer: boolean
}

/** One JSON request on `socket`, a connection already pinned to `target` (connectPeer). */
export function exchange (socket: TLSSocket, target: PeerEndpoint, x: Exchange): Promise<ExchangeOutcome> {
  const maxBytes = x.maxResponseBytes ?? DEFAULT_MAX_RESPONSE
  const text = x.body === undefined ? undefined : JSON.stringify(x.body)
  return new Promise(resolve => {
    let settled = false
    let answered = false
    const settle = (result: Result<JsonResponse>, lostBeforeAnswer = false): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve({ result, lostBeforeAnswer })
    }
    const req = httpRequest({
      method: x.method,
      path: x.path,
      host: target.address,
      port: target.controlPort,
      // The already verified socket: no agent, no second handshake with someone else.
      createConnection: () => socket,
      headers: {
        connection: x.keepAlive ? 'keep-alive' : 'close',
        ...(text === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
      }
    })
    const timer = setTimeout(() => {
      settle(fail('unreachable', `${where(target)}: no answer in time`))
      req.destroy()
    }, Math.max(1, x.deadline - Date.now()))
    req.on('error', err => settle(unreachable(target, err), !answered))
    req.on('response', res => {
      answered = true
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > maxBytes) {
          settle(fail('bad-response', `${where(target)} answered with more than ${maxBytes} bytes`))
          req.destroy()
          return
        }
        chunks.push(chunk)
      })
      res.on('error', err => settle(unreachable(target, err)))
      res.on('end', () => {
        const status = res.statusCode ?? 0
        if (size === 0) return settle(ok({ status, body: undefined }))
        try {
          settle(ok({ status, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown }))
        } catch {
          settle(fail('bad-response', `${where(target)} answered with something that is not JSON (HTTP ${status})`))
        }
      })
    })
    req.end(text)
  })
}
