// One device on the LAN: identity, settings, engine, discovery, control port, and the origin and
// recipient halves, started in order and stopped cleanly (mDNS goodbye, journals folded). The
// headless agent and the desktop app are two shells over exactly this.
import { EventEmitter } from 'node:events'
import { platform } from 'node:os'
import { ControlServer } from '../control/control-server.js'
import type { Route } from '../control/http-json.js'
import { Discovery } from '../discovery/discovery.js'
import type { Peer } from '../discovery/peer-info.js'
import type { DistributionRecord } from '../distributions/records.js'
import { DistributionRegistry } from '../distributions/registry.js'
import { Engine, type TransferStats } from '../engine/engine.js'
import { loadOrCreateIdentity, type Identity } from '../identity/identity.js'
import { PROTOCOL, type DeviceInfo } from '../protocol/messages.js'
import { fail, ok, type Result } from '../result.js'
import { loadSettings, mergeSettings, type Settings } from '../settings/settings.js'
import { TrustStore } from '../settings/trust-store.js'
import { APP_VERSION } from '../version.js'
import type { NodeContext } from './context.js'
import type { HashingEvent, NodeEvents, OfferSummary } from './events.js'
import { Origin } from './origin.js'
import { peerRoutes } from './peer-routes.js'
import { Recipient } from './recipient.js'

export interface NodeOptions {
  readonly dataDir: string
  /** Settings for this run only (CLI flags), over settings.json. */
  readonly overrides?: Partial<Settings>
  /** Extra routes on the control port (the agent's local API). */
  readonly extraRoutes?: (node: SwarmNode) => readonly Route[]
  readonly discoveryQueryIntervalMs?: number
  /** Called once the device exists, before it resumes its distributions: attach listeners here. */
  readonly beforeResume?: (node: SwarmNode) => void
}

export interface PeerView extends Peer { readonly trusted: boolean }

export interface DistributionView {
  readonly record: DistributionRecord
  readonly transfer?: TransferStats
}

export interface NodeStatus {
  readonly device: DeviceInfo
  readonly distributions: readonly DistributionView[]
  readonly hashing: readonly HashingEvent[]
  readonly offers: readonly OfferSummary[]
  readonly rates: { readonly upload: number; readonly download: number }
}

export class SwarmNode extends EventEmitter<NodeEvents> {
  private readonly origin: Origin
  private readonly recipient: Recipient
  private readonly progressTimer: NodeJS.Timeout
  private stopped = false

  private constructor (
    readonly dataDir: string,
    readonly identity: Identity,
    private settingsNow: Settings,
    readonly engine: Engine,
    readonly discovery: Discovery,
    readonly registry: DistributionRegistry,
    readonly trust: TrustStore,
    private readonly control: ControlServer
  ) {
    super()
    const ctx: NodeContext = {
      dataDir,
      identity,
      settings: () => this.settingsNow,
      engine,
      discovery,
      registry,
      trust,
      controlPort: () => control.port,
      events: this
    }
    this.origin = new Origin(ctx)
    this.recipient = new Recipient(ctx)
    discovery.on('up', p => this.emit('peer-up', p))
    discovery.on('down', p => this.emit('peer-down', p))
    engine.on('hash-failure', (infoHash, piece) => this.emit('hash-failure', { infoHash, piece }))
    engine.on('non-member', (infoHash, address) => this.emit('non-member-refused', { infoHash, address }))
    engine.on('peer-banned', (infoHash, address, badPieces) => this.emit('peer-banned', { infoHash, address, badPieces }))
    this.progressTimer = setInterval(() => this.emitProgress(), 1_000)
    this.progressTimer.unref()
  }

  static async start (opts: NodeOptions): Promise<Result<SwarmNode>> {
    const identity = await loadOrCreateIdentity(opts.dataDir)
    if (!identity.ok) return identity
    const stored = await loadSettings(opts.dataDir)
    if (!stored.ok) return stored
    const settings = mergeSettings(stored.value, (opts.overrides ?? {}) as Record<string, unknown>, 'command line')
    if (!settings.ok) return settings
    const registry = await DistributionRegistry.load(opts.dataDir)
    if (!registry.ok) return registry
    const trust = await TrustStore.load(opts.dataDir)
    if (!trust.ok) return trust
    const s = settings.value
    const engine = await Engine.start({ btPort: s.btPort, uploadLimit: s.uploadLimit, downloadLimit: s.downloadLimit })
    if (!engine.ok) return engine
    const control = await ControlServer.listen(s.controlPort)
    if (!control.ok) {
      await engine.value.stop()
      return control
    }
    const discovery = new Discovery({
      advert: { id: identity.value.id, name: s.name, platform: platform(), version: APP_VERSION, controlPort: control.value.port, btPort: engine.value.port },
      ...(opts.discoveryQueryIntervalMs ? { queryIntervalMs: opts.discoveryQueryIntervalMs } : {})
    })
    const node = new SwarmNode(opts.dataDir, identity.value, s, engine.value, discovery, registry.value, trust.value, control.value)
    control.value.setRoutes([...peerRoutes(node), ...(opts.extraRoutes?.(node) ?? [])])
    opts.beforeResume?.(node)
    await node.resumeAll()
    return ok(node)
  }

  get settings (): Settings { return this.settingsNow }

  get controlPort (): number { return this.control.port }

  info (): DeviceInfo {
    return {
      protocol: PROTOCOL,
      id: this.identity.id,
      name: this.settingsNow.name,
      platform: platform(),
      version: APP_VERSION,
      controlPort: this.control.port,
      btPort: this.engine.port,
      publicKey: this.identity.publicKeyPem
    }
  }

  peers (): PeerView[] {
    return this.discovery.list().map(p => ({ ...p, trusted: this.trust.has(p.id) }))
  }

  status (): NodeStatus {
    return {
      device: this.info(),
      distributions: this.registry.list().map(record => {
        const transfer = this.engine.stats(record.infoHash)
        return transfer ? { record, transfer } : { record }
      }),
      hashing: this.origin.hashingJobs(),
      offers: this.recipient.pendingOffers(),
      rates: this.engine.rates
    }
  }

  createDistribution (path: string): ReturnType<Origin['create']> { return this.origin.create(path) }

  /** Offers to devices by id; every id must be a machine discovery sees now. */
  async offer (infoHash: string, deviceIds: readonly string[]): ReturnType<Origin['offer']> {
    const peers: Peer[] = []
    for (const id of deviceIds) {
      const p = this.discovery.get(id)
      if (!p) return fail('unknown-device', `device ${id} is not on the network now`)
      peers.push(p)
    }
    if (peers.length === 0) return fail('bad-request', 'choose at least one machine to send to')
    return this.origin.offer(infoHash, peers)
  }

  receiveOffer (...args: Parameters<Recipient['receive']>): ReturnType<Recipient['receive']> { return this.recipient.receive(...args) }
  receiveReport (...args: Parameters<Origin['report']>): ReturnType<Origin['report']> { return this.origin.report(...args) }
  acceptOffer (...args: Parameters<Recipient['accept']>): ReturnType<Recipient['accept']> { return this.recipient.accept(...args) }
  declineOffer (...args: Parameters<Recipient['decline']>): ReturnType<Recipient['decline']> { return this.recipient.decline(...args) }

  async stop (): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    clearInterval(this.progressTimer)
    await this.discovery.stop()
    await this.recipient.stop()
    await this.control.close()
    await this.engine.stop()
  }

  private async resumeAll (): Promise<void> {
    for (const record of this.registry.list()) {
      if (record.state === 'failed' || record.state === 'stale') continue
      const torrent = await this.registry.loadTorrent(record.infoHash)
      if (!torrent.ok) {
        this.emit('warning', `${record.name}: ${torrent.error.message}`)
        continue
      }
      const resumed = record.role === 'origin'
        ? await this.origin.resume(record, torrent.value)
        : await this.recipient.resume(record, torrent.value)
      if (!resumed.ok) this.emit('warning', `${record.name}: ${resumed.error.message}`)
    }
  }

  private emitProgress (): void {
    for (const record of this.registry.list()) {
      const t = this.engine.stats(record.infoHash)
      if (!t) continue
      const active = record.role === 'recipient' ? record.state === 'downloading' || record.state === 'verifying' : t.uploadSpeed > 0 || record.recipients.some(r => r.state === 'downloading' || r.state === 'accepted')
      if (!active) continue
      this.emit('progress', {
        infoHash: record.infoHash,
        name: record.name,
        role: record.role,
        state: record.state,
        verifiedPieces: t.verifiedPieces,
        pieceCount: t.pieceCount,
        verifiedBytes: t.verifiedBytes,
        totalLength: record.totalLength,
        downloadSpeed: Math.round(t.downloadSpeed),
        uploadSpeed: Math.round(t.uploadSpeed),
        uploadedBytes: t.uploadedBytes,
        peers: t.peers.length
      })
    }
  }
}
