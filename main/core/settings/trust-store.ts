// Devices this device accepts offers from without asking (`--accept trusted`, "Always accept
// from this device"). Keyed by device id, never by name: names are chosen freely by anyone.
import { MAX_DEVICE_NAME, storedName } from '../../../common/network-text.js'
import { isDeviceId } from '../identity/device-id.js'
import { fail, ok, type Result } from '../../../common/result.js'
import { readJson, writeJson } from '../store/json-file.js'
import { dataPaths } from './data-dir.js'

export interface TrustedDevice { readonly id: string; readonly name: string; readonly addedAt: string }

export class TrustStore {
  private constructor (private readonly path: string, private devices: TrustedDevice[]) {}

  static async load (dataDir: string): Promise<Result<TrustStore>> {
    const path = dataPaths(dataDir).trust
    const stored = await readJson(path)
    if (!stored.ok) return stored
    const raw = stored.value ?? []
    if (!Array.isArray(raw)) return fail('corrupt', `${path} must hold a list`)
    const devices: TrustedDevice[] = []
    for (const d of raw) {
      const r = d as Partial<TrustedDevice>
      if (!isDeviceId(r.id)) return fail('corrupt', `${path} lists an invalid device id`)
      // Names written by older versions may predate the text rule (common/network-text.ts).
      devices.push({ id: r.id, name: storedName(r.name, MAX_DEVICE_NAME), addedAt: typeof r.addedAt === 'string' ? r.addedAt : '' })
    }
    return ok(new TrustStore(path, devices))
  }

  list (): readonly TrustedDevice[] { return this.devices }

  has (id: string): boolean { return this.devices.some(d => d.id === id) }

  async trust (id: string, name: string): Promise<Result<TrustedDevice>> {
    if (!isDeviceId(id)) return fail('bad-id', `"${id}" is not a full device id (32 hex digits)`)
    const existing = this.devices.find(d => d.id === id)
    if (existing) return ok(existing)
    const device = { id, name, addedAt: new Date().toISOString() }
    this.devices = [...this.devices, device]
    await writeJson(this.path, this.devices)
    return ok(device)
  }

  async untrust (id: string): Promise<boolean> {
    const before = this.devices.length
    this.devices = this.devices.filter(d => d.id !== id)
    if (this.devices.length === before) return false
    await writeJson(this.path, this.devices)
    return true
  }
}
