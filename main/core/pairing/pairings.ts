// Machines added by address, kept in touch: each is dialled at start and then every few seconds
// (its key checked every time), listed with the machines mDNS finds while it answers, and dialled
// less and less often (up to a bound) while it does not. A different key at a paired address is
// refused and reported, never taken: the pin is the device id seen at the first contact.
import type { PairReply } from '../../../common/api.js'
import { fail, ok, type Result } from '../../../common/result.js'
import type { Discovery } from '../discovery/discovery.js'
import type { Peer } from '../discovery/peer-info.js'
import { shortFingerprint } from '../identity/device-id.js'
import type { KnownDevices } from '../identity/known-devices.js'
import type { DeviceCredentials } from '../tls/device-certificate.js'
import { errorBodyMessage } from '../control/http-client.js'
import { requestPeer } from '../control/peer-client.js'
import { dialAddress, type Answered, type DialTarget } from './dial-address.js'
import { endpointText, type PairedDevice, type PairedStore } from './paired-store.js'

export interface PairingsOptions {
  readonly store: PairedStore
  readonly credentials: DeviceCredentials
  readonly known: KnownDevices
  readonly discovery: Discovery
  /** This device's control port: told to a machine paired here, so it can dial back. */
  readonly controlPort: number
  /**
   * Whether to tell it at all: not from a device on a passing port (a CLI command's own short-lived
   * device), which the other machine would keep dialling in vain.
   */
  readonly announce: boolean
  /** While a machine answers, how often it is dialled again (ms). */
  readonly recheckMs?: number
  /** While it does not: the first retry, doubled each time up to maxBackoffMs. */
  readonly firstRetryMs?: number
  readonly maxBackoffMs?: number
}

/** A paired machine as the machines list shows it. */
export interface PairingStatus {
  readonly device: PairedDevice
  /** Its last answer (address, ports, platform); absent before one in this run. */
  readonly peer?: Peer
  readonly online: boolean
  /** Why it is not online (one sentence), after a failed dial. */
  readonly problem?: string
}

interface Tracked {
  device: PairedDevice
  peer?: Peer
  online: boolean
  problem?: string
  failures: number
  timer?: NodeJS.Timeout
  dialling: boolean
}

export class Pairings {
  private readonly tracked = new Map<string, Tracked>()
  /** Ids being learned now (one dial-back at a time per device). */
  private readonly learning = new Set<string>()
  private readonly recheckMs: number
  private readonly firstRetryMs: number
  private readonly maxBackoffMs: number
  private stopped = false
  private warn: (message: string) => void = () => {}

  constructor (private readonly opts: PairingsOptions) {
    this.recheckMs = opts.recheckMs ?? 10_000
    this.firstRetryMs = opts.firstRetryMs ?? 2_000
    this.maxBackoffMs = opts.maxBackoffMs ?? 60_000
  }

  /** Where a refused key goes (the device's warnings). */
  onWarning (warn: (message: string) => void): void { this.warn = warn }

  /** Dials every remembered machine now (after a start), then keeps dialling. */
  start (): void {
    for (const device of this.opts.store.list()) {
      const t: Tracked = { device, online: false, failures: 0, dialling: false }
      this.tracked.set(device.id, t)
      this.schedule(t, 0)
    }
  }

  list (): PairingStatus[] {
    return [...this.tracked.values()].map(t => ({
      device: t.device,
      online: t.online,
      ...(t.peer ? { peer: t.peer } : {}),
      ...(t.problem !== undefined ? { problem: t.problem } : {})
    }))
  }

  /**
   * Adds the machine answering at host:port: its key is pinned now. The same address paired before
   * must answer with the same key (`key-changed` otherwise); the same device at a new address moves.
   */
  async pair (host: string, port: number, selfId: string): Promise<Result<PairReply>> {
    if (this.stopped) return fail('closed', 'the device is stopping')
    const before = this.opts.store.at(host, port)
    const target: DialTarget = { host, port, ...(before ? { expectId: before.id } : {}) }
    // A refusal is the answer to the person asking; the re-dial warns in the log on its own.
    const answered = await dialAddress(this.opts.credentials, target)
    if (!answered.ok) return answered
    const { info } = answered.value
    if (info.id === selfId) return fail('self', `${endpointText(target)} is this device itself`)
    const existing = this.opts.store.get(info.id)
    const device: PairedDevice = { id: info.id, host, port, name: info.name, pairedAt: existing?.pairedAt ?? new Date().toISOString() }
    const remembered = await this.opts.known.remember(answered.value.rawKey, info.name)
    if (!remembered.ok) return remembered
    const saved = await this.opts.store.put(device)
    if (!saved.ok) return saved
    let t = this.tracked.get(info.id)
    if (!t) {
      t = { device, online: false, failures: 0, dialling: false }
      this.tracked.set(info.id, t)
    }
    t.device = device
    this.answered(t, answered.value)
    this.schedule(t, this.recheckMs)
    this.announce(t)
    return ok({ id: info.id, fingerprint: shortFingerprint(info.id), name: info.name, pairedAddress: endpointText(device), address: answered.value.address, added: existing === undefined })
  }

  /**
   * `id` paired with this device from `address` (POST /v1/paired) and listens on `controlPort`
   * there: dialled back, pinned to that id, and remembered as learned, so this device lists it and
   * can send to it too. A machine paired here already is only dialled again now.
   */
  async learn (id: string, address: string, controlPort: number): Promise<Result<void>> {
    if (this.stopped) return fail('closed', 'the device is stopping')
    const existing = this.opts.store.get(id)
    const known = this.tracked.get(id)
    if (existing && existing.learned !== true) {
      if (known) this.schedule(known, 0)
      return ok(undefined)
    }
    if (this.learning.has(id)) return ok(undefined)
    this.learning.add(id)
    try {
      const answered = await dialAddress(this.opts.credentials, { host: address, port: controlPort, expectId: id })
      if (!answered.ok) return answered
      const device: PairedDevice = { id, host: address, port: controlPort, name: answered.value.info.name, pairedAt: existing?.pairedAt ?? new Date().toISOString(), learned: true }
      const remembered = await this.opts.known.remember(answered.value.rawKey, device.name)
      if (!remembered.ok) return remembered
      const saved = await this.opts.store.put(device)
      if (!saved.ok) return saved
      // A learned pairing may have pushed out the oldest learned one.
      for (const gone of [...this.tracked.keys()].filter(x => this.opts.store.get(x) === undefined)) this.forget(gone)
      let t = this.tracked.get(id)
      if (!t) {
        t = { device, online: false, failures: 0, dialling: false }
        this.tracked.set(id, t)
      }
      t.device = device
      this.answered(t, answered.value)
      this.schedule(t, this.recheckMs)
      return ok(undefined)
    } finally {
      this.learning.delete(id)
    }
  }

  async unpair (id: string): Promise<Result<void>> {
    const removed = await this.opts.store.remove(id)
    if (!removed.ok) return removed
    const t = this.tracked.get(id)
    if (!removed.value && !t) return fail('not-found', 'that machine was not added by address')
    this.forget(id)
    return ok(undefined)
  }

  private forget (id: string): void {
    const t = this.tracked.get(id)
    if (t?.timer) clearTimeout(t.timer)
    this.tracked.delete(id)
    this.opts.discovery.dropDirect(id)
  }

  /**
   * Tells the machine just paired here where this device listens, so it lists this one and can
   * send to it too (POST /v1/paired). Best effort: a device without the route just does not learn.
   */
  private announce (t: Tracked): void {
    const peer = t.peer
    if (!peer || !this.opts.announce) return
    const target = { id: peer.id, name: peer.name, address: peer.address, controlPort: peer.controlPort }
    requestPeer(this.opts.credentials, target, 'POST', '/v1/paired', { controlPort: this.opts.controlPort }, { timeoutMs: 15_000, maxResponseBytes: 16 * 1024 })
      .then(r => {
        if (r.ok && r.value.status !== 200 && r.value.status !== 404) this.warn(`${peer.name} (${endpointText(t.device)}) could not dial this device back: ${errorBodyMessage(r.value)}`)
      }, () => {})
  }

  stop (): void {
    this.stopped = true
    for (const t of this.tracked.values()) if (t.timer) clearTimeout(t.timer)
  }

  private schedule (t: Tracked, ms: number): void {
    if (this.stopped) return
    if (t.timer) clearTimeout(t.timer)
    t.timer = setTimeout(() => { void this.dial(t) }, ms)
    t.timer.unref()
  }

  private async dial (t: Tracked): Promise<void> {
    if (this.stopped || t.dialling || this.tracked.get(t.device.id) !== t) return
    t.dialling = true
    const answered = await dialAddress(this.opts.credentials, { host: t.device.host, port: t.device.port, expectId: t.device.id })
    t.dialling = false
    if (this.stopped || this.tracked.get(t.device.id) !== t) return
    if (answered.ok) {
      const renamed = answered.value.info.name !== t.device.name
      this.answered(t, answered.value)
      if (renamed) await this.opts.store.put(t.device)
      this.schedule(t, this.recheckMs)
      return
    }
    // The key-changed warning is given once per episode, not at every retry.
    if (answered.error.code === 'key-changed' && t.problem !== answered.error.message) this.warn(answered.error.message)
    t.problem = answered.error.message
    t.failures++
    // One missed answer may be a slow moment: gone after two in a row (about as long as mDNS waits),
    // at once when another key answers.
    if (t.online && (t.failures >= 2 || answered.error.code === 'key-changed')) {
      t.online = false
      this.opts.discovery.dropDirect(t.device.id)
    }
    this.schedule(t, Math.min(this.maxBackoffMs, this.firstRetryMs * 2 ** Math.min(t.failures - 1, 16)))
  }

  private answered (t: Tracked, a: Answered): void {
    const { info } = a
    t.device = { ...t.device, name: info.name }
    t.peer = { id: info.id, name: info.name, platform: info.platform, version: info.version, controlPort: t.device.port, btPort: info.btPort, address: a.address, lastSeen: Date.now(), pairedAddress: endpointText(t.device) }
    t.online = true
    t.failures = 0
    delete t.problem
    this.opts.discovery.setDirect(t.peer)
  }
}
