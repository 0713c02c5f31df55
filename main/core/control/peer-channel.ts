// This device's side of the control channel to other devices: every call is pinned to the device
// id it is meant for (peer-client.ts); a key that does not match becomes a warning a person sees,
// and a key that does is remembered in known-devices.json.
import { rawPublicKey } from '../identity/identity.js'
import type { KnownDevices } from '../identity/known-devices.js'
import { ok, type Result } from '../../../common/result.js'
import type { DeviceCredentials } from '../tls/device-certificate.js'
import type { JsonResponse } from './http-client.js'
import { connectPeer, requestPeer, type PeerEndpoint, type PeerRequestOptions } from './peer-client.js'

export class PeerChannel {
  constructor (
    readonly credentials: DeviceCredentials,
    private readonly known: KnownDevices,
    private readonly warn: (message: string) => void
  ) {}

  /** Proves that `target` holds its device key (a TLS handshake, no request) and remembers it. */
  async verify (target: PeerEndpoint, timeoutMs = 5_000): Promise<Result<void>> {
    const connected = await connectPeer(this.credentials, target, timeoutMs)
    if (!connected.ok) {
      if (connected.error.code === 'key-mismatch') this.warn(connected.error.message)
      return connected
    }
    connected.value.socket.destroy()
    const remembered = await this.known.remember(rawPublicKey(connected.value.publicKey), target.name)
    return remembered.ok ? ok(undefined) : remembered
  }

  async request (target: PeerEndpoint, method: 'GET' | 'POST', path: string, body?: unknown, opts?: PeerRequestOptions): Promise<Result<JsonResponse>> {
    const r = await requestPeer(this.credentials, target, method, path, body, opts)
    if (!r.ok && r.error.code === 'key-mismatch') this.warn(r.error.message)
    return r
  }
}
