// Devices this device has met with their key proven (trust on first use, like SSH's known_hosts):
// known-devices.json maps each device id to its public key, the name it used and when it was first
// seen. An id is a hash of its key, so a pinned id can never be answered by another key; what the
// list adds is memory of names, so that a familiar name showing up under a new id is flagged.
import { join } from 'node:path'
import { fail, ok, type Result } from '../result.js'
import { isRecord, readJson, writeJson } from '../store/json-file.js'
import { deviceIdFromPublicKey, isDeviceId, shortFingerprint } from './device-id.js'

export interface KnownDevice {
  readonly id: string
  /** Raw 32-byte Ed25519 public key, base64. */
  readonly publicKey: string
  readonly name: string
  readonly firstSeen: string
}

export const KNOWN_DEVICES_FILE = 'known-devices.json'

export class KnownDevices {
  private constructor (private readonly path: string, private devices: KnownDevice[]) {}

  static async load (dataDir: string): Promise<Result<KnownDevices>> {
    const path = join(dataDir, KNOWN_DEVICES_FILE)
    const stored = await readJson(path)
    if (!stored.ok) return stored
    const raw = stored.value ?? []
    if (!Array.isArray(raw)) return fail('corrupt', `${path} must hold a list`)
    const devices: KnownDevice[] = []
    for (const d of raw) {
      if (!isRecord(d) || !isDeviceId(d.id) || typeof d.publicKey !== 'string') return fail('corrupt', `${path} lists an invalid device`)
      // A hand-edited entry whose key is not its id's would pin nothing: refuse the file.
      if (deviceIdFromPublicKey(Buffer.from(d.publicKey, 'base64')) !== d.id) return fail('corrupt', `${path}: the key listed for ${d.id} is not that device's`)
      devices.push({ id: d.id, publicKey: d.publicKey, name: typeof d.name === 'string' ? d.name : '', firstSeen: typeof d.firstSeen === 'string' ? d.firstSeen : '' })
    }
    return ok(new KnownDevices(path, devices))
  }

  list (): readonly KnownDevice[] { return this.devices }

  get (id: string): KnownDevice | undefined { return this.devices.find(d => d.id === id) }

  /**
   * Another device already known under `name` (case-insensitive), when `id` is not it: the sign
   * of an impostor, or of a machine that was reinstalled (new key) — a person must judge.
   */
  nameClash (id: string, name: string): KnownDevice | undefined {
    const n = name.toLowerCase()
    return this.devices.find(d => d.id !== id && d.name.toLowerCase() === n)
  }

  /** Records a device whose key a TLS handshake or a signature just proved; keeps its latest name. */
  async remember (rawPublicKey: Uint8Array, name: string): Promise<Result<KnownDevice>> {
    const id = deviceIdFromPublicKey(rawPublicKey)
    const publicKey = Buffer.from(rawPublicKey).toString('base64')
    const existing = this.get(id)
    if (existing && existing.publicKey !== publicKey) return fail('key-mismatch', `device ${shortFingerprint(id)} presented a different key`)
    if (existing && existing.name === name) return ok(existing)
    const device: KnownDevice = existing ? { ...existing, name } : { id, publicKey, name, firstSeen: new Date().toISOString() }
    this.devices = [...this.devices.filter(d => d.id !== id), device]
    await writeJson(this.path, this.devices)
    return ok(device)
  }
}

/** The warning shown when a familiar name appears under an unfamiliar id. */
export function nameClashWarning (known: KnownDevice, id: string): string {
  return `a device named "${known.name}" appeared as ${shortFingerprint(id)}, but "${known.name}" was known as ${shortFingerprint(known.id)} since ${known.firstSeen} — it may be an impostor (or that machine was reinstalled); trust is by id, not name`
}
