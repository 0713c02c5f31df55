// Devices this device has met with their key proven (trust on first use, like SSH's known_hosts):
// known-devices.json maps each device id to its public key, the name it used, when it was first
// and last seen. An id is a hash of its key, so a pinned id can never be answered by another key;
// what the list adds is memory of names, so that a familiar name showing up under a new id is flagged.
// Anyone on the LAN can make keys, so the list is bounded (the least recently seen go first, a
// trusted device never) and written at most once per few seconds, whole and atomically.
import { join } from 'node:path'
import { MAX_DEVICE_NAME, storedName } from '../../../common/network-text.js'
import { errorMessage, fail, ok, type Result } from '../../../common/result.js'
import { isRecord, readJson, writeJson } from '../store/json-file.js'
import { deviceIdFromPublicKey, isDeviceId, shortFingerprint } from './device-id.js'

export interface KnownDevice {
  readonly id: string
  /** Raw 32-byte Ed25519 public key, base64. */
  readonly publicKey: string
  readonly name: string
  readonly firstSeen: string
  readonly lastSeen: string
}

export interface KnownDevicesOptions {
  /** Devices never dropped to make room (the trusted ones: the trust store keeps its own list). */
  readonly keep?: (id: string) => boolean
  readonly maxDevices?: number
  /** Changes within this long are written together. */
  readonly writeDelayMs?: number
}

export const KNOWN_DEVICES_FILE = 'known-devices.json'
export const MAX_KNOWN_DEVICES = 1_000
const WRITE_DELAY_MS = 3_000

export class KnownDevices {
  /** In order of last sighting, oldest first (a Map keeps insertion order). */
  private readonly devices = new Map<string, KnownDevice>()
  private timer: NodeJS.Timeout | undefined
  private dirty = false
  private writing: Promise<Result<void>> = Promise.resolve(ok(undefined))
  private readonly keep: (id: string) => boolean
  private readonly maxDevices: number
  private readonly writeDelayMs: number

  private constructor (private readonly path: string, devices: readonly KnownDevice[], opts: KnownDevicesOptions) {
    this.keep = opts.keep ?? (() => false)
    this.maxDevices = opts.maxDevices ?? MAX_KNOWN_DEVICES
    this.writeDelayMs = opts.writeDelayMs ?? WRITE_DELAY_MS
    for (const d of [...devices].sort((a, b) => a.lastSeen.localeCompare(b.lastSeen))) this.devices.set(d.id, d)
  }

  static async load (dataDir: string, opts: KnownDevicesOptions = {}): Promise<Result<KnownDevices>> {
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
      const firstSeen = typeof d.firstSeen === 'string' ? d.firstSeen : ''
      // Files of older versions have no lastSeen: their first sighting stands in.
      const lastSeen = typeof d.lastSeen === 'string' ? d.lastSeen : firstSeen
      devices.push({ id: d.id, publicKey: d.publicKey, name: storedName(d.name, MAX_DEVICE_NAME), firstSeen, lastSeen })
    }
    const known = new KnownDevices(path, devices, opts)
    // A list longer than the bound (a hand edit, or a smaller bound) is trimmed at the next write.
    if (known.evict()) known.schedule()
    return ok(known)
  }

  list (): readonly KnownDevice[] { return [...this.devices.values()] }

  get (id: string): KnownDevice | undefined { return this.devices.get(id) }

  /**
   * Another device already known under `name` (case-insensitive), when `id` is not it: the sign
   * of an impostor, or of a machine that was reinstalled (new key) — a person must judge.
   */
  nameClash (id: string, name: string): KnownDevice | undefined {
    const n = name.toLowerCase()
    for (const d of this.devices.values()) if (d.id !== id && d.name.toLowerCase() === n) return d
    return undefined
  }

  /**
   * Records a device whose key a TLS handshake or a signature just proved; keeps its latest name
   * and when it was last seen. Written to disk within a few seconds (flush() to write now).
   */
  async remember (rawPublicKey: Uint8Array, name: string): Promise<Result<KnownDevice>> {
    const id = deviceIdFromPublicKey(rawPublicKey)
    const publicKey = Buffer.from(rawPublicKey).toString('base64')
    const existing = this.get(id)
    if (existing && existing.publicKey !== publicKey) return fail('key-mismatch', `device ${shortFingerprint(id)} presented a different key`)
    const now = new Date().toISOString()
    const device: KnownDevice = existing ? { ...existing, name, lastSeen: now } : { id, publicKey, name, firstSeen: now, lastSeen: now }
    // Delete, then set: the device moves to the most recently seen end.
    this.devices.delete(id)
    this.devices.set(id, device)
    this.evict()
    this.schedule()
    return ok(device)
  }

  /** Writes pending changes now (and waits for a write under way); at a stop, and in tests. */
  async flush (): Promise<Result<void>> {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    if (this.dirty) this.write()
    return await this.writing
  }

  /** Drops the least recently seen devices beyond the bound, never a kept one; whether any went. */
  private evict (): boolean {
    let excess = this.devices.size - this.maxDevices
    if (excess <= 0) return false
    for (const id of this.devices.keys()) {
      if (excess <= 0) break
      if (this.keep(id)) continue
      this.devices.delete(id)
      excess--
    }
    return true
  }

  private schedule (): void {
    this.dirty = true
    if (this.timer !== undefined) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.write()
    }, this.writeDelayMs)
    this.timer.unref()
  }

  /** One whole, atomic write of the list as it is now; writes never overlap. */
  private write (): void {
    this.dirty = false
    this.writing = this.writing.then(async () => {
      try {
        await writeJson(this.path, this.list())
        return ok(undefined)
      } catch (err) {
        this.dirty = true // kept for the next write
        return fail('write-failed', `cannot save ${this.path}: ${errorMessage(err)}`)
      }
    })
  }
}

/** The warning shown when a familiar name appears under an unfamiliar id. */
export function nameClashWarning (known: KnownDevice, id: string): string {
  return `a device named "${known.name}" appeared as ${shortFingerprint(id)}, but "${known.name}" was known as ${shortFingerprint(known.id)} since ${known.firstSeen} — it may be an impostor (or that machine was reinstalled); trust is by id, not name`
}
