// This device's side of the control channel to other devices: every call is pinned to the device
// id it is meant for (peer-client.ts) and goes over a kept connection to that device when there is
// one (peer-connections.ts); a key that does not match becomes a warning a person sees, and a key
// that does is remembered in known-devices.json.
import { rawPublicKey } from '../identity/identity.js'
import type { KnownDevices } from '../identity/known-devices.js'
import { ok, type Result } from '../../../common/result.js'
import type { DeviceCredentials } from '../tls/device-certificate.js'
import type { JsonResponse } from './http-client.js'
import type { PeerEndpoint, PeerRequestOptions } from './peer-client.js'
import { PeerConnections } from './peer-connections.js'

export class PeerChannel {
  private readonly connections: PeerConnections

  constructor (
    readonly credentials: DeviceCredentials,
    private readonly known: KnownDevices,
    private readonly warn: (message: string) => void,
    /** Told the device id of a kept connection that device ended (peer-connections.ts): it may have died. */
    lost: (id: string) => void = () => {}
  ) {
    this.connections = new PeerConnections(credentials, undefined, lost)
  }

  /** Proves that `target` holds its device key (and is there now) and remembers it. */
  async verify (target: PeerEndpoint, timeoutMs = 5_000): Promise<Result<void>> {
    const proven = await this.connections.prove(target, timeoutMs)
    if (!proven.ok) {
      if (proven.error.code === 'key-mismatch') this.warn(proven.error.message)
      return proven
    }
    const remembered = await this.known.remember(rawPublicKey(proven.value), target.name)
    return remembered.ok ? ok(undefined) : remembered
  }

  async request (target: PeerEndpoint, method: 'GET' | 'POST', path: string, body?: unknown, opts?: PeerRequestOptions): Promise<Result<JsonResponse>> {
    const r = await this.connections.request(target, method, path, body, opts)
    if (!r.ok && r.error.code === 'key-mismatch') this.warn(r.error.message)
    return r
  }

  /** Closes the kept connections made from addresses this machine no longer has. */
  dropLocal (gone: ReadonlySet<string>): void { this.connections.dropLocal(gone) }

  /** Closes the kept connections (the device is stopping). */
  close (): void { this.connections.close() }
}
