// One device on the LAN: identity, settings, engine, discovery, control port, and the origin and
// recipient halves, started in order and stopped cleanly (mDNS goodbye, journals folded). The
// headless agent and the desktop app are two shells over exactly this.
import { EventEmitter } from 'node:events'
import { platform } from 'node:os'
import { ControlServer } from '../control/control-server.js'
import { PeerChannel } from '../control/peer-channel.js'
import { Discovery } from '../discovery/discovery.js'
import type { Peer } from '../discovery/peer-info.js'
import type { DistributionRecord } from '../distributions/records.js'
import { DistributionRegistry } from '../distributions/registry.js'
import { Engine, type TransferStats } from '../engine/engine.js'
import { HistoryLog } from '../history/history-log.js'
import { HistoryRecorder } from '../history/history-recorder.js'
import { loadOrCreateIdentity, type Identity } from '../identity/identity.js'
import { KnownDevices, nameClashWarning } from '../identity/known-devices.js'
import { PairedStore } from '../pairing/paired-store.js'
import { pairingRoutes } from '../pairing/pairing-routes.js'
import { Pairings } from '../pairing/pairings.js'
import { PROTOCOL, type DeviceInfo } from '../protocol/messages.js'
import { errorMessage, fail, ok, type Result } from '../../../common/result.js'
import { loadSettings, mergeSettings, saveSettings, type Settings } from '../settings/settings.js'
import { TrustStore } from '../settings/trust-store.js'
import { GroupsStore } from '../settings/groups-store.js'
import { Channels } from '../channels/channels.js'
import type { ChannelHost } from '../channels/channel.js'
import type { ChannelRemovals } from '../protocol/channel-removals.js'
import { errorBodyMessage } from '../control/http-client.js'
import type { AbsentTarget } from '../distributions/waiting.js'
import { shortFingerprint } from '../identity/device-id.js'
import { tightenPrivateDir } from '../store/private-files.js'
import { deviceCredentials } from '../tls/device-certificate.js'
import { APP_VERSION } from '../version.js'
import type { RemoveReply } from '../../../common/api.js'
import type { WithdrawalAnswer } from '../protocol/withdrawal.js'
import type { NodeContext } from './context.js'
import type { HashingEvent, NodeEvents, OfferSummary } from './events.js'
import { DeviceMoves } from './device-moves.js'
import { LocalAddresses } from './local-addresses.js'
import { Origin } from './origin.js'
import { peerRoutes } from './peer-routes.js'
import { Recipient } from './recipient.js'
import { folderProblem } from './folder-access.js'

export interface NodeOptions {
  readonly dataDir: string
  /** Settings for this run only (CLI flags), over settings.json. */
  readonly overrides?: Partial<Settings>
  /** Ask the LAN who is there every second for this long after the start (a one-shot command's device) (ms). */
  readonly discoveryEagerForMs?: number
  /**
   * When the configured BitTorrent or control port is taken (an agent already runs on this
   * machine), listen on any free port instead of failing: peers learn ports from mDNS anyway.
   */
  readonly anyPortIfTaken?: boolean
  /** Called once the device exists, before it resumes its distributions: attach listeners here. */
  readonly beforeResume?: (node: SwarmNode) => void
}

/**
 * How long a graceful stop waits for the pieces a download has begun (at most 16 MiB of them, well
 * under a second on a LAN); a SIGKILL loses them instead.
 */
const DRAIN_MS = 2_000

export interface PeerView extends Peer { readonly trusted: boolean }

export interface DistributionStatus {
  readonly record: DistributionRecord
  readonly transfer?: TransferStats
}

export interface NodeStatus {
  readonly device: DeviceInfo
  readonly distributions: readonly DistributionStatus[]
  readonly hashing: readonly HashingEvent[]
  readonly offers: readonly OfferSummary[]
  readonly rates: { readonly upload: number; readonly download: number }
}

export class SwarmNode extends EventEmitter<NodeEvents> {
  private readonly origin: Origin
  private readonly recipient: Recipient
  private readonly moves: DeviceMoves
  private readonly progressTimer: NodeJS.Timeout
  private stopped = false
  /** Distributions a person paused: they serve nothing and fetch nothing until resumed. */
  private readonly paused = new Set<string>()
  private pausedAll = false
  /** Who received what, kept for reports (history-recorder.ts). */
  readonly history: HistoryRecorder
  /** Requests to other devices' control ports, pinned to their keys. */
  private readonly peerChannel: PeerChannel
  /** Set once the device has started (Channels.start needs the device). */
  private channelsNow: Channels | undefined
  /** Distributions being taken off this device now: a second remove meanwhile is refused. */
  private readonly removing = new Set<string>()
  /** This machine's own addresses: connections from one it lost are closed and made again. */
  private readonly localAddresses = new LocalAddresses()

  private constructor (
    readonly dataDir: string,
    readonly identity: Identity,
    private settingsNow: Settings,
    readonly engine: Engine,
    readonly discovery: Discovery,
    readonly registry: DistributionRegistry,
    readonly trust: TrustStore,
    private readonly control: ControlServer,
    readonly known: KnownDevices,
    readonly groups: GroupsStore,
    history: { readonly log: HistoryLog; readonly fresh: boolean },
    /** Machines added by address (beyond mDNS): discovery lists them while they answer. */
    readonly pairings: Pairings
  ) {
    super()
    // A connection with a device, its key proven, ended abruptly (a BitTorrent wire, a kept control
    // connection either way): a killed process sends no mDNS goodbye, but its sockets close at once.
    // Discovery asks the LAN and drops the device within seconds if it does not answer.
    const suspect = (id: string): void => { discovery.suspect(id) }
    engine.on('member-disconnected', (_infoHash, id) => { suspect(id) })
    control.onPeerLost(suspect)
    this.peerChannel = new PeerChannel(deviceCredentials(identity), known, m => this.emit('warning', m), suspect)
    const ctx: NodeContext = {
      dataDir,
      identity,
      settings: () => this.settingsNow,
      engine,
      discovery,
      registry,
      trust,
      controlPort: () => control.port,
      channel: this.peerChannel,
      events: this
    }
    this.origin = new Origin(ctx)
    this.recipient = new Recipient(ctx)
    this.moves = new DeviceMoves(ctx, ih => { this.recipient.dialMembers(ih) })
    this.history = new HistoryRecorder(history.log, { identity, name: () => this.settingsNow.name, record: ih => registry.get(ih), records: () => registry.list(), stats: ih => engine.stats(ih), events: this }, history.fresh)
    discovery.on('up', p => {
      // Adverts are unauthenticated: a familiar name under a new id is worth a warning.
      const clash = known.nameClash(p.id, p.name)
      if (clash) this.emit('warning', nameClashWarning(clash, p.id))
      this.emit('peer-up', p)
      // A machine that was away when a file was sent to it gets it now.
      this.origin.offerWaiting(p.id)
      // One whose verified copy was marked offline is back.
      this.origin.deviceBack(p.id)
      this.moves.seen(p).catch((err: unknown) => { this.emit('warning', errorMessage(err)) })
    })
    // Back at another place (other ports, a new address): the records follow it.
    discovery.on('update', p => { this.moves.seen(p).catch((err: unknown) => { this.emit('warning', errorMessage(err)) }) })
    discovery.on('down', p => {
      this.origin.deviceGone(p.id)
      this.emit('peer-down', p)
    })
    engine.on('hash-failure', (infoHash, piece) => this.emit('hash-failure', { infoHash, piece }))
    engine.on('non-member', (infoHash, address) => this.emit('non-member-refused', { infoHash, address }))
    engine.on('peer-banned', (infoHash, address, badPieces) => this.emit('peer-banned', { infoHash, address, badPieces }))
    engine.on('impostor', (infoHash, address, claimedId, reason) => this.emit('impostor-refused', { infoHash, address, claimedId, reason }))
    this.localAddresses.on('changed', ({ gone, added }) => { this.renumbered(gone, added) })
    this.progressTimer = setInterval(() => this.emitProgress(), 1_000)
    this.progressTimer.unref()
    // Gone from the list (withdrawn, cancelled, removed): nothing of it is paused any more.
    this.on('removed', e => { this.paused.delete(e.infoHash) })
    // A download paused in an earlier run stays paused (the recipient restarts it paused).
    for (const r of registry.list()) if (r.state === 'paused') this.paused.add(r.infoHash)
  }

  static async start (opts: NodeOptions): Promise<Result<SwarmNode>> {
    const secured = await tightenPrivateDir(opts.dataDir)
    if (!secured.ok) return secured
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
    const known = await KnownDevices.load(opts.dataDir, { keep: id => trust.value.has(id) })
    if (!known.ok) return known
    const paired = await PairedStore.load(opts.dataDir)
    if (!paired.ok) return paired
    const history = await HistoryLog.open(opts.dataDir)
    if (!history.ok) return history
    const groups = await GroupsStore.load(opts.dataDir)
    if (!groups.ok) return groups
    const s = settings.value
    const taken = (r: Result<unknown>): boolean => opts.anyPortIfTaken === true && !r.ok && r.error.code === 'port-in-use'
    const startEngine = async (btPort: number): ReturnType<typeof Engine.start> => await Engine.start({ btPort, uploadLimit: s.uploadLimit, downloadLimit: s.downloadLimit, identity: identity.value })
    let engine = await startEngine(s.btPort)
    if (taken(engine)) engine = await startEngine(0)
    if (!engine.ok) return engine
    const listenControl = async (port: number): ReturnType<typeof ControlServer.listen> => await ControlServer.listen({ port, tls: deviceCredentials(identity.value) })
    let control = await listenControl(s.controlPort)
    if (taken(control)) control = await listenControl(0)
    if (!control.ok) {
      await engine.value.stop()
      return control
    }
    const discovery = new Discovery({
      advert: { id: identity.value.id, name: s.name, platform: platform(), version: APP_VERSION, controlPort: control.value.port, btPort: engine.value.port },
      ...(opts.discoveryEagerForMs ? { eagerForMs: opts.discoveryEagerForMs } : {})
    })
    const pairings = new Pairings({ store: paired.value, credentials: deviceCredentials(identity.value), known: known.value, discovery, controlPort: control.value.port, announce: s.controlPort !== 0 && control.value.port === s.controlPort })
    const node = new SwarmNode(opts.dataDir, identity.value, s, engine.value, discovery, registry.value, trust.value, control.value, known.value, groups.value, history.value, pairings)
    pairings.onWarning(m => node.emit('warning', m))
    control.value.setRoutes([...peerRoutes(node), ...pairingRoutes(pairings)])
    if (history.value.skipped > 0) node.emit('warning', `history: skipped ${history.value.skipped} unreadable line(s) of ${history.value.log.path}`)
    control.value.onWarning(m => node.emit('warning', m))
    opts.beforeResume?.(node)
    await node.checkDownloads()
    await node.resumeAll()
    node.origin.offerWaiting()
    pairings.start()
    // Watched folders start last: their batches are made and offered by the device as it is now.
    const channels = await Channels.start(opts.dataDir, channelHostOf(node))
    if (!channels.ok) {
      await node.stop()
      return channels
    }
    node.channelsNow = channels.value
    return ok(node)
  }

  get settings (): Settings { return this.settingsNow }

  /** The watched folders (channels/); there are none before the device has started. */
  get channels (): Channels | undefined { return this.channelsNow }

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

  createDistribution (path: string, jobId?: string): ReturnType<Origin['create']> { return this.origin.create(path, jobId) }
  /** A watched folder's batch (channels/): some files of a folder, as one distribution of that channel. */
  createBatch (...args: Parameters<Origin['createBatch']>): ReturnType<Origin['createBatch']> { return this.origin.createBatch(...args) }
  /** Serves a stale batch again whose files are back as they were hashed (origin.ts). */
  reviveBatch (infoHash: string): ReturnType<Origin['revive']> { return this.origin.revive(infoHash) }

  /** Pause all was pressed and not yet undone by Resume all. */
  get seedingPaused (): boolean { return this.pausedAll }

  isPaused (infoHash: string): boolean { return this.paused.has(infoHash) }

  /** Pauses one distribution, or every one without an infoHash; each resumes where it was. */
  async pause (infoHash?: string): Promise<Result<void>> {
    const records = infoHash === undefined ? this.registry.list() : [this.registry.get(infoHash)]
    if (infoHash !== undefined && records[0] === undefined) return fail('unknown-distribution', `no distribution ${infoHash} here`)
    if (infoHash === undefined) this.pausedAll = true
    for (const r of records) {
      if (!r) continue
      this.paused.add(r.infoHash)
      this.engine.pause(r.infoHash)
      // A download's record says so, for its reports and so a restart keeps it paused (and so the
      // wait for free space does not resume what a person paused).
      if (r.role === 'recipient' && (r.state === 'downloading' || r.state === 'no-space')) await this.registry.update(r.infoHash, x => ({ ...x, state: 'paused' }))
    }
    return ok(undefined)
  }

  async resume (infoHash?: string): Promise<Result<void>> {
    const records = infoHash === undefined ? this.registry.list() : [this.registry.get(infoHash)]
    if (infoHash !== undefined && records[0] === undefined) return fail('unknown-distribution', `no distribution ${infoHash} here`)
    if (infoHash === undefined) this.pausedAll = false
    for (const r of records) {
      if (!r) continue
      const wasPaused = this.paused.delete(r.infoHash)
      // One waiting for disk space resumes by itself when space is freed, not here.
      if (r.role === 'recipient' && r.state === 'no-space') continue
      if (r.role === 'recipient' && r.state === 'paused') await this.registry.update(r.infoHash, x => ({ ...x, state: 'downloading' }))
      if (wasPaused || infoHash !== undefined) this.engine.resume(r.infoHash)
    }
    return ok(undefined)
  }

  /**
   * Changes settings for this run and in settings.json. The file gets the change over what it
   * holds, so this run's command-line overrides are not written into it. Rate limits apply at
   * once; the name reaches offers at once and the mDNS advert at the next start.
   */
  async updateSettings (patch: Record<string, unknown>): Promise<Result<Settings>> {
    const live = mergeSettings(this.settingsNow, patch, 'settings')
    if (!live.ok) return live
    const stored = await loadSettings(this.dataDir)
    if (!stored.ok) return stored
    const toStore = mergeSettings(stored.value, patch, 'settings')
    if (!toStore.ok) return toStore
    try {
      await saveSettings(this.dataDir, toStore.value)
    } catch (err) {
      return fail('write-failed', `cannot save settings: ${errorMessage(err)}`)
    }
    const renamed = live.value.name !== this.settingsNow.name
    this.settingsNow = live.value
    this.engine.setLimits(live.value.uploadLimit, live.value.downloadLimit)
    if (renamed) {
      const i = this.info()
      await this.discovery.readvertise({ id: i.id, name: i.name, platform: i.platform, version: i.version, controlPort: i.controlPort, btPort: i.btPort })
    }
    return ok(live.value)
  }

  /**
   * Offers to devices by id. One that discovery does not see now but this device knows (met
   * before, trusted, or in a group) waits for the file and is offered it when it is seen again.
   */
  async offer (infoHash: string, deviceIds: readonly string[]): ReturnType<Origin['offer']> {
    const peers: Peer[] = []
    const away: AbsentTarget[] = []
    for (const id of deviceIds) {
      const p = this.discovery.get(id)
      if (p) peers.push(p)
      else if (this.knows(id)) away.push({ id, name: this.lastName(id) })
      else return fail('unknown-device', `device ${id} is not on the network now and was never seen here`)
    }
    if (peers.length === 0 && away.length === 0) return fail('bad-request', 'choose at least one machine to send to')
    const waiting = away.length > 0 ? await this.origin.keepWaiting(infoHash, away) : ok([])
    if (!waiting.ok || peers.length === 0) return waiting
    const offered = await this.origin.offer(infoHash, peers)
    return offered.ok ? ok([...offered.value, ...waiting.value]) : offered
  }

  /** Tells a device on the network now which files of a watched folder were removed (channels/). */
  async sendRemovals (id: string, msg: ChannelRemovals): Promise<Result<void>> {
    const p = this.discovery.get(id)
    if (!p) return fail('unreachable', `device ${id} is not on the network now`)
    const r = await this.peerChannel.request(p, 'POST', '/v1/channel-removals', msg, { timeoutMs: 30_000 })
    if (!r.ok) return r
    return r.value.status === 200 ? ok(undefined) : fail('bad-response', `${p.name} refused the removals: ${errorBodyMessage(r.value)}`)
  }

  /** A device this one has heard or met (its key proven), trusts, or keeps in a group. */
  knows (id: string): boolean {
    return this.discovery.departedPeer(id) !== undefined || this.known.get(id) !== undefined || this.trust.has(id) || this.groups.holds(id)
  }

  /** The name a device last used here, else its fingerprint. */
  private lastName (id: string): string {
    const name = this.discovery.departedPeer(id)?.name ?? this.known.get(id)?.name ?? this.trust.list().find(t => t.id === id)?.name ?? ''
    return name === '' ? shortFingerprint(id) : name
  }

  /**
   * Takes a distribution off this device: withdrawn on its origin (every machine that has not
   * finished told to stop), cancelled when a download here is not finished (partial data deleted,
   * the sender told), or removed when the copy here is verified (its files deleted only with
   * `deleteFiles`). The origin's source files are never touched.
   */
  async remove (infoHash: string, opts: { readonly deleteFiles?: boolean } = {}): Promise<Result<RemoveReply>> {
    const record = this.registry.get(infoHash)
    if (record === undefined) return fail('unknown-distribution', `no distribution ${infoHash} here`)
    if (this.removing.has(infoHash)) return fail('conflict', `${record.name} is being removed already`)
    // Its watched folder would send the batch's files again in a new batch (channel.ts, resendSuperseded).
    if (record.role === 'origin' && record.channel !== undefined && this.channelsNow?.find(record.channel) !== undefined) {
      return fail('conflict', `${record.name} is a batch of a watched folder: stop watching the folder first (swarmdrop unwatch)`)
    }
    this.removing.add(infoHash)
    try {
      const done: Result<RemoveReply> = record.role === 'origin'
        ? await this.origin.withdraw(infoHash).then(w => w.ok ? ok({ name: w.value.name, outcome: 'withdrawn', told: w.value.told, unreached: w.value.unreached, deletedBytes: 0 }) : w)
        : await this.recipient.remove(record, opts.deleteFiles === true).then(r => r.ok ? ok({ name: record.name, unreached: 0, ...r.value }) : r)
      if (done.ok || this.registry.get(infoHash) === undefined) this.emit('removed', { infoHash, name: record.name, why: done.ok ? done.value.outcome : 'removed' })
      return done
    } finally {
      this.removing.delete(infoHash)
    }
  }

  /** POST /v1/withdraw: `peer`, the TLS caller, withdraws a distribution this device receives. */
  async receiveWithdrawal (infoHash: string, peer: string): Promise<Result<WithdrawalAnswer>> {
    if (this.removing.has(infoHash)) return fail('conflict', `${infoHash.slice(0, 8)} is being removed here already`)
    this.removing.add(infoHash)
    try {
      return await this.recipient.withdrawnBy(infoHash, peer)
    } finally {
      this.removing.delete(infoHash)
    }
  }

  receiveOffer (...args: Parameters<Recipient['receive']>): ReturnType<Recipient['receive']> { return this.recipient.receive(...args) }
  async receiveReport (...args: Parameters<Origin['report']>): ReturnType<Origin['report']> {
    const [report, address] = args
    const answer = await this.origin.report(report, address)
    // A report is a contact proven by the device's key (TLS): the device is there, even if its mDNS
    // advert has not been heard again yet (it just restarted).
    if (answer.ok) this.discovery.seenAt(report.from, address)
    return answer
  }

  /** What this device heard from the sender of a distribution it receives, about every member. */
  heardSwarm (infoHash: string): ReturnType<Recipient['heardSwarm']> { return this.recipient.heardSwarm(infoHash) }
  acceptOffer (...args: Parameters<Recipient['accept']>): ReturnType<Recipient['accept']> { return this.recipient.accept(...args) }
  declineOffer (...args: Parameters<Recipient['decline']>): ReturnType<Recipient['decline']> { return this.recipient.decline(...args) }

  /**
   * This machine's addresses changed: the connections made from those it lost are dead (nobody
   * answers there) and closed now, and the LAN hears where it is at once.
   */
  private renumbered (gone: ReadonlySet<string>, added: ReadonlySet<string>): void {
    if (this.stopped) return
    this.discovery.renumbered()
    if (gone.size === 0) return
    const closed = this.engine.dropLocal(gone)
    this.peerChannel.dropLocal(gone)
    // Said only where it changed something: an address unused by any transfer goes quietly.
    if (closed === 0) return
    const now = added.size > 0 ? ` (it has ${[...added].join(', ')} now)` : ''
    this.emit('warning', `this machine no longer has the address ${[...gone].join(', ')}${now}: ${closed === 1 ? 'the transfer connection' : `the ${closed} transfer connections`} made from it ${closed === 1 ? 'was' : 'were'} closed, to be made again from where it is`)
  }

  async stop (): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    this.localAddresses.stop()
    await this.channelsNow?.stop()
    clearInterval(this.progressTimer)
    this.origin.stop()
    this.pairings.stop()
    await this.discovery.stop()
    await this.engine.drain(DRAIN_MS)
    await this.recipient.stop()
    this.peerChannel.close()
    await this.control.close()
    const saved = await this.known.flush()
    if (!saved.ok) this.emit('warning', saved.error.message)
    await this.history.close()
    await this.engine.stop()
  }

  /**
   * Said once at start, where a server's operator reads it (the agent's log): a downloads folder
   * nothing can be saved in makes every offer fail, and an agent accepting by policy would decline
   * each one with no person to see why.
   */
  private async checkDownloads (): Promise<void> {
    const problem = await folderProblem(this.settings.downloadsDir)
    if (problem !== undefined) this.emit('warning', `nothing can be saved in the downloads folder: ${problem}; offers cannot be accepted there (choose another with --downloads or in Settings)`)
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

/** The node as its watched folders' host (channels.ts). */
function channelHostOf (node: SwarmNode): ChannelHost {
  return {
    createBatch: async (source, channel) => await node.createBatch(source, channel),
    reviveBatch: async infoHash => await node.reviveBatch(infoHash),
    offer: async (infoHash, ids) => await node.offer(infoHash, ids),
    record: infoHash => node.registry.get(infoHash),
    loadTorrent: async infoHash => await node.registry.loadTorrent(infoHash),
    groupMembers: name => node.groups.get(name)?.members,
    knows: id => node.knows(id),
    selfId: node.identity.id,
    warn: message => { node.emit('warning', message) },
    sendRemovals: async (id, msg) => await node.sendRemovals(id, msg),
    online: id => node.discovery.get(id) !== undefined
  }
}
