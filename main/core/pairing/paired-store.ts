// Machines added by address (`swarmdrop pair HOST[:PORT]`), kept in paired-devices.json (owner-only,
// written whole and atomically): where to dial each, and the device id its key was pinned to on
// first contact. Bounded: a pairing is a person's act, so a full list refuses a new one rather than
// dropping an old one.
import { join } from 'node:path'
import { isHostName } from '../../../common/commands.js'
import { MAX_DEVICE_NAME, storedName } from '../../../common/network-text.js'
import { errorMessage, fail, ok, type Result } from '../../../common/result.js'
import { isDeviceId } from '../identity/device-id.js'
import { isRecord, readJson, writeJson } from '../store/json-file.js'

export interface PairedDevice {
  /** Pinned at the first contact: the address must answer with this device's key from then on. */
  readonly id: string
  /** As the person gave it (a name is resolved again at each dial). */
  readonly host: string
  /** Its control port. */
  readonly port: number
  /** The name it gave at its last answer. */
  readonly name: string
  readonly pairedAt: string
  /** It paired with this device (learned, not added here): bounded apart, the oldest goes first. */
  readonly learned?: boolean
}

export const PAIRED_DEVICES_FILE = 'paired-devices.json'
export const MAX_PAIRED_DEVICES = 256
/** Machines that paired with this one: anyone who can reach the control port can, so fewer, and evicted. */
export const MAX_LEARNED_DEVICES = 64

export function endpointText (d: { readonly host: string; readonly port: number }): string {
  return `${d.host}:${d.port}`
}

export class PairedStore {
  private constructor (private readonly path: string, private devices: readonly PairedDevice[], private readonly max: number) {}

  static async load (dataDir: string, max = MAX_PAIRED_DEVICES): Promise<Result<PairedStore>> {
    const path = join(dataDir, PAIRED_DEVICES_FILE)
    const stored = await readJson(path)
    if (!stored.ok) return stored
    const raw = stored.value ?? []
    if (!Array.isArray(raw)) return fail('corrupt', `${path} must hold a list`)
    const devices: PairedDevice[] = []
    for (const d of raw) {
      if (!isRecord(d) || !isDeviceId(d.id) || !isHostName(d.host) || typeof d.port !== 'number' || !Number.isInteger(d.port) || d.port < 1 || d.port > 65535) {
        return fail('corrupt', `${path} lists an invalid machine`)
      }
      devices.push({ id: d.id, host: d.host, port: d.port, name: storedName(d.name, MAX_DEVICE_NAME), pairedAt: typeof d.pairedAt === 'string' ? d.pairedAt : '', ...(d.learned === true ? { learned: true } : {}) })
    }
    const added = devices.filter(d => d.learned !== true).slice(0, max)
    const learned = devices.filter(d => d.learned === true).slice(-MAX_LEARNED_DEVICES)
    return ok(new PairedStore(path, [...added, ...learned], max))
  }

  list (): readonly PairedDevice[] { return this.devices }

  get (id: string): PairedDevice | undefined { return this.devices.find(d => d.id === id) }

  /** The pairing dialled at this host and port (host names compare case-insensitively). */
  at (host: string, port: number): PairedDevice | undefined {
    const h = host.toLowerCase()
    return this.devices.find(d => d.host.toLowerCase() === h && d.port === port)
  }

  /**
   * Adds or replaces (by id) a pairing, and saves the list. A full list refuses a pairing made here;
   * a learned one takes the place of the oldest learned.
   */
  async put (device: PairedDevice): Promise<Result<PairedDevice>> {
    let others = this.devices.filter(d => d.id !== device.id)
    const learned = device.learned === true
    const sameKind = others.filter(d => (d.learned === true) === learned)
    if (learned && sameKind.length >= MAX_LEARNED_DEVICES) {
      const oldest = new Set(sameKind.slice(0, sameKind.length - MAX_LEARNED_DEVICES + 1).map(d => d.id))
      others = others.filter(d => !oldest.has(d.id))
    } else if (!learned && sameKind.length >= this.max) {
      return fail('too-many', `this device already has ${this.max} machines added by address; unpair one first`)
    }
    return await this.save([...others, device], device)
  }

  async remove (id: string): Promise<Result<boolean>> {
    const left = this.devices.filter(d => d.id !== id)
    if (left.length === this.devices.length) return ok(false)
    const saved = await this.save(left, true)
    return saved.ok ? ok(true) : saved
  }

  private async save<T> (devices: readonly PairedDevice[], answer: T): Promise<Result<T>> {
    try {
      await writeJson(this.path, devices)
    } catch (err) {
      return fail('write-failed', `cannot save ${this.path}: ${errorMessage(err)}`)
    }
    this.devices = devices
    return ok(answer)
  }
}
