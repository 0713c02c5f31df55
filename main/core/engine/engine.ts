// The swarm engine: WebTorrent set up for a LAN (plain TCP on one port, no DHT, trackers, LSD,
// UPnP, NAT-PMP or WebRTC), with our own chunk store, rarest-first picking, every interested
// member unchoked, and events that tell piece verification at start-up apart from live transfer.
import { EventEmitter } from 'node:events'
import Wire from 'bittorrent-protocol'
import Piece from 'torrent-piece'
import WebTorrent from 'webtorrent'
import Torrent from 'webtorrent/lib/torrent.js'
import Peer from 'webtorrent/lib/peer.js'
import type { Identity } from '../identity/identity.js'
import { errorMessage, fail, ok, type Result } from '../../../common/result.js'
import { parseTorrentFile, type Metainfo } from '../torrent/metainfo.js'
import { FileStore, type FileStoreOptions, type FileStoreTarget } from './file-store.js'
import { memberExtension, type ExtensionClass, type ProofOutcome } from './member-extension.js'
import { MAX_MEMBER_BLOCK_BYTES, wireIdentity, type MemberEndpoint, type WireIdentity } from './member-proof.js'
import { OncePerInterval } from './once-per-interval.js'
import { diskFailure } from './disk-errors.js'
import { isOutOfSpace } from './out-of-space.js'
import { peerAddress } from './peer-address.js'
import { checkPatches } from './patch-check.js'
import { PieceAudit } from './piece-audit.js'
import { PieceBuffers, SHARED_PIECE_BYTES } from './piece-buffers.js'
import { parsedTorrentOf, type ParsedTorrent } from './parsed-torrent.js'
import { PieceChecker } from '../hashing/piece-checker.js'
import { keepHeapFloor } from './heap-floor.js'
import { guardOf, type GuardStamps } from './source-guard.js'
import { MemberRates } from './member-rates.js'
import { OriginPolicy, RecipientPolicy, type SwarmPolicy } from './swarm-policy.js'
import type { ClientLike, TorrentLike, WireLike } from './webtorrent-types.js'

export interface EngineOptions {
  readonly btPort: number
  /** Bytes per second; undefined or <= 0 means unlimited. */
  readonly uploadLimit?: number
  readonly downloadLimit?: number
  /**
   * This device's key, with which it proves its membership on BitTorrent wires (sd_member). Needed
   * for swarms with members; plain seed/get runs without one.
   */
  readonly identity?: Identity
  /**
   * The largest request offered to proven members (sd_member `bs`), in bytes; default
   * MAX_MEMBER_BLOCK_BYTES (1 MiB: a piece up to that size is one request and one message).
   * 16 KiB, the standard size, turns larger requests off. Other peers always get 16 KiB.
   */
  readonly memberBlockBytes?: number
  /** Hash received pieces of MIN_THREAD_BYTES (1 MiB) or more on a thread (default true); false: all on the main loop. */
  readonly pieceCheckThread?: boolean
}

export interface PeerStats {
  readonly address: string
  readonly downloadSpeed: number
  readonly uploadSpeed: number
  readonly downloaded: number
  readonly uploaded: number
  /** The member's device id, once the peer proved its key on this wire (swarms with members). */
  readonly member?: string
}

export interface TransferStats {
  readonly infoHash: string
  readonly ready: boolean
  readonly done: boolean
  readonly paused: boolean
  readonly verifiedPieces: number
  readonly pieceCount: number
  readonly verifiedBytes: number
  readonly receivedBytes: number
  readonly uploadedBytes: number
  readonly downloadSpeed: number
  readonly uploadSpeed: number
  readonly hashFailures: number
  /** Addresses banned from this torrent for sending data that failed its hash. */
  readonly bannedPeers: readonly string[]
  readonly peers: readonly PeerStats[]
}

export interface EngineEvents {
  /** A piece passed its hash during transfer (not at start-up). */
  verified: [infoHash: string, index: number]
  /**
   * A piece that passed its hash is being written (synchronously, before its writes are issued);
   * 'verified' follows once they return.
   */
  writing: [infoHash: string, index: number]
  /** Start-up check finished; `bitfield` holds what is already present. */
  ready: [infoHash: string]
  done: [infoHash: string]
  'hash-failure': [infoHash: string, index: number]
  /** A connection from or to an address outside the swarm's members was dropped. */
  'non-member': [infoHash: string, address: string]
  /**
   * A connection from a member's address did not prove that member's key (sd_member) and was
   * closed. `claimedId` is the device id it claimed, if it claimed one. Once per address and
   * swarm per IMPOSTOR_REPORT_INTERVAL_MS, however often it redials.
   */
  impostor: [infoHash: string, address: string, claimedId: string | null, reason: string]
  /** A peer sent bad data in `badPieces` pieces and was disconnected and banned from the torrent. */
  'peer-banned': [infoHash: string, address: string, badPieces: number]
  /** The torrent was stopped by an error (disk, store); the message is for people. */
  'torrent-error': [infoHash: string, message: string]
  /**
   * A write failed for lack of space: the torrent is paused with its verified pieces kept, and the
   * piece that failed is missing again. Once per episode; resume() ends it.
   */
  'no-space': [infoHash: string, message: string]
  /** A guarded source changed while served: the torrent was removed; the reason is for people. */
  'source-changed': [infoHash: string, reason: string]
  /**
   * The last connection of a proven member closed (its process may have died: the kernel closes a
   * killed process's sockets at once). A sign to ask, not proof: a member may redial.
   */
  'member-disconnected': [infoHash: string, id: string]
}

export interface AddSpec {
  readonly metainfo: Metainfo
  readonly targets: readonly FileStoreTarget[]
  /** Verified pieces from an earlier run (download only). */
  readonly bitfield?: Uint8Array
  /**
   * One-to-many schedule: as the origin, hand each piece out once ('origin'); as a recipient,
   * spare the origin (address of the origin). Absent for plain BitTorrent (seed/get).
   */
  readonly schedule?: { readonly role: 'origin' } | { readonly role: 'recipient'; readonly originAddress: string }
  /**
   * The swarm's members (device id and IP address): connections from or to any other address are
   * dropped, and one from a member's address exchanges pieces only once it has proven that
   * member's key (sd_member, see member-extension.ts). Absent = open to anyone (seed/get).
   */
  readonly members?: readonly MemberEndpoint[]
  /**
   * Seeding a person's own files: watch them while serving, and stop at the first change (size,
   * mtime, or a piece that no longer hashes right). The files' mtimes when hashed, in `targets` order.
   */
  readonly guard?: SourceWatch
}

/** Files to watch while they are served: their stamps when hashed or verified, and how to word a change. */
export type SourceWatch = GuardStamps

interface Entry {
  readonly torrent: TorrentLike
  readonly store: { current?: FileStore }
  /** Undefined for a magnet link until its metadata arrived and was accepted. */
  metainfo: Metainfo | undefined
  readonly audit: PieceAudit
  /** The members, or undefined for an open swarm. */
  members: readonly MemberEndpoint[] | undefined
  /** Wires whose peer proved a member's key, with that member's device id. */
  readonly proven: WeakMap<WireLike, string>
  hashFailures: number
  ready: boolean
  /** How fast each member receives (one-to-many schedule only). */
  rates?: MemberRates
}

interface Addition {
  readonly source: ParsedTorrent | string
  readonly infoHash: string
  readonly label: string
  readonly metainfo?: Metainfo
  readonly targets: FileStoreOptions['targets']
  readonly complete: boolean
  readonly bitfield?: Uint8Array
  readonly schedule?: AddSpec['schedule']
  readonly members?: readonly MemberEndpoint[]
  readonly guard?: AddSpec['guard']
}

const MAGNET_BTIH = /[?&]xt=urn:btih:([0-9a-fA-F]{40})(?:&|$)/

const PIECE_FAILED = /^Piece (\d+) failed verification/

const DRAIN_POLL_MS = 25
/**
 * After this machine lost an address, how long a member's connection without the proof is not
 * reported as an impostor (ms): the others admit its new address once they have proven it there.
 */
const RENUMBER_GRACE_MS = 10_000
/** How long a member found lost must stay silent on a connection before dropMember closes it. */
const SILENT_DROP_MS = 2_000
/** Share of the file the origin may send a second time because only slow members held it (issue 12: origin ≤ 1.15 × F). */
const EXTRA_COPY_SHARE = 0.1

/** An address that keeps failing the member proof is reported at most this often per swarm. */
export const IMPOSTOR_REPORT_INTERVAL_MS = 60_000

export class Engine extends EventEmitter<EngineEvents> {
  private readonly entries = new Map<string, Entry>()
  private readonly scheduler: NodeJS.Timeout
  /** Torrents paused because their disk is full (until resume()). */
  private readonly outOfSpace = new Set<string>()
  private readonly impostorReports = new OncePerInterval(IMPOSTOR_REPORT_INTERVAL_MS)
  /** When this machine last lost an address of its own (dropLocal), ms. */
  private renumberedAt = 0
  /** When each wire last brought a message other than a block (see heardFrom, dropMember). */
  private readonly lastHeard = new WeakMap<WireLike, number>()
  /** SHA-1 of large received pieces on a thread of its own (patch hook pieceHasher). */
  private readonly pieceChecker = new PieceChecker()
  private readonly memberBlockBytes: number
  private readonly checkOnThread: boolean

  private constructor (private readonly client: ClientLike, private readonly me: WireIdentity | undefined, opts: EngineOptions) {
    super()
    this.memberBlockBytes = opts.memberBlockBytes ?? MAX_MEMBER_BLOCK_BYTES
    this.checkOnThread = opts.pieceCheckThread ?? true
    // WebTorrent schedules requests only on wire events; if a swarm goes quiet with pieces still
    // missing (every holder refused or slow at that moment), nothing would ask again. Re-run it.
    this.scheduler = setInterval(() => {
      for (const { torrent } of this.entries.values()) if (torrent.ready && !torrent.done && !torrent.destroyed && !torrent.paused) torrent._update()
    }, 1_000)
    this.scheduler.unref()
    // Torrent errors without their own listener arrive here; they are reported per torrent.
    client.on('error', () => {})
  }

  static async start (opts: EngineOptions): Promise<Result<Engine>> {
    // Without its hooks the engine would run, but unguarded: no policy, audit or gate (patch-check.ts).
    const patched = checkPatches({ torrent: Torrent, wire: Wire, piece: Piece, peer: Peer })
    if (!patched.ok) return patched
    keepHeapFloor()
    const client = new WebTorrent({
      torrentPort: opts.btPort,
      dht: false,
      tracker: false,
      lsd: false,
      natUpnp: false,
      natPmp: false,
      utPex: true,
      utp: false,
      webSeeds: false,
      maxConns: 250,
      // Handshake obfuscation buys nothing on a LAN and costs CPU on every byte.
      secure: 0,
      ...(opts.downloadLimit && opts.downloadLimit > 0 ? { downloadLimit: opts.downloadLimit } : {}),
      ...(opts.uploadLimit && opts.uploadLimit > 0 ? { uploadLimit: opts.uploadLimit } : {})
    })
    const listening = await new Promise<Result<void>>(resolve => {
      const onError = (err: unknown): void => {
        const code = (err as { code?: string }).code
        resolve(code === 'EADDRINUSE'
          ? fail('port-in-use', `BitTorrent port ${opts.btPort} is already in use (choose another with --bt-port)`)
          : fail('listen', `cannot listen for peers on port ${opts.btPort}: ${errorMessage(err)}`))
      }
      client.once('error', onError)
      client.once('listening', () => { client.removeListener('error', onError); resolve(ok(undefined)) })
    })
    if (!listening.ok) {
      if (!client.destroyed) client.destroy()
      return listening
    }
    return ok(new Engine(client, opts.identity ? wireIdentity(opts.identity) : undefined, opts))
  }

  get port (): number {
    return this.client.address()?.port ?? 0
  }

  has (infoHash: string): boolean { return this.entries.has(infoHash) }

  /** Serves data that is already complete (the origin, or a finished recipient). */
  seed (spec: AddSpec): Result<void> {
    return this.add(this.additionOf(spec, true))
  }

  /** Downloads into `targets`, keeping the pieces in `bitfield` unless they fail a spot check. */
  download (spec: AddSpec): Result<void> {
    return this.add(this.additionOf(spec, false))
  }

  /**
   * Downloads a magnet link: the metadata comes from the peers (ut_metadata), is checked like any
   * .torrent before a single path is created, and `place` decides where its files go.
   */
  downloadMagnet (magnet: string, place: (m: Metainfo) => readonly FileStoreTarget[]): Result<{ infoHash: string }> {
    const m = MAGNET_BTIH.exec(magnet)
    const infoHash = m?.[1]?.toLowerCase()
    if (infoHash === undefined) return fail('invalid', 'the magnet link has no hex BitTorrent infohash (xt=urn:btih:…)')
    const added = this.add({
      source: magnet,
      infoHash,
      label: infoHash,
      complete: false,
      targets: torrentFile => {
        const parsed = parseTorrentFile(torrentFile)
        if (!parsed.ok) return fail(parsed.error.code, `metadata from the peer refused: ${parsed.error.message}`)
        if (parsed.value.infoHash !== infoHash) return fail('mismatch', 'metadata from the peer does not match the magnet link')
        const entry = this.entries.get(infoHash)
        if (entry) entry.metainfo = parsed.value
        return ok(place(parsed.value))
      }
    })
    return added.ok ? ok({ infoHash }) : added
  }

  /** The metadata of a torrent (for a magnet link: once it arrived). */
  metainfo (infoHash: string): Metainfo | undefined { return this.entries.get(infoHash)?.metainfo }

  private additionOf (spec: AddSpec, complete: boolean): Addition {
    const m = spec.metainfo
    return {
      source: parsedTorrentOf(m),
      infoHash: m.infoHash,
      label: m.name,
      metainfo: m,
      targets: spec.targets,
      complete,
      ...(spec.bitfield ? { bitfield: spec.bitfield } : {}),
      ...(spec.schedule ? { schedule: spec.schedule } : {}),
      ...(spec.members ? { members: spec.members } : {}),
      ...(spec.guard ? { guard: spec.guard } : {})
    }
  }

  private add (spec: Addition): Result<void> {
    const { infoHash: ih, complete } = spec
    if (this.entries.has(ih)) return fail('duplicate', `${spec.label} is already in the engine`)
    const me = this.me
    if (spec.members && !me) return fail('no-identity', `${spec.label} has members, and this engine has no device key to prove membership with`)
    const store: { current?: FileStore } = {}
    const guarded = spec.guard !== undefined && spec.metainfo !== undefined && complete && Array.isArray(spec.targets)
    let torrent: TorrentLike
    try {
      torrent = this.client.add(spec.source, {
        path: '/nonexistent-swarmdrop-uses-explicit-targets',
        store: class extends FileStore {
          constructor (...args: ConstructorParameters<typeof FileStore>) {
            super(...args)
            store.current = this
          }
        },
        storeOpts: {
          fileStore: {
            targets: spec.targets,
            readOnly: complete,
            onRefused: (message: string) => {
              void this.remove(ih)
              this.emit('torrent-error', ih, message)
            },
            onWriting: (index: number) => { this.emit('writing', ih, index) },
            ...(guarded && spec.guard && spec.metainfo
              ? {
                  guard: guardOf(spec.metainfo, spec.targets as readonly FileStoreTarget[], spec.guard, reason => this.sourceChanged(ih, reason))
                }
              : {})
          } satisfies FileStoreOptions
        },
        // A guarded store keeps the pieces it serves itself, in reused buffers (served-pieces.ts).
        storeCacheSlots: guarded ? 0 : 8,
        skipVerify: complete,
        ...(spec.bitfield && !complete ? { bitfield: spec.bitfield } : {}),
        strategy: 'rarest',
        // Members cooperate: unchoke every interested member instead of tit-for-tat's 10 slots.
        uploads: 10_000
      })
    } catch (err) {
      return fail('add', `cannot start ${spec.label}: ${errorMessage(err)}`)
    }
    let rates: MemberRates | undefined
    if (spec.schedule) {
      const wires = (): readonly WireLike[] => torrent.wires
      const pieces = spec.metainfo?.pieceCount ?? 0
      const policy = spec.schedule.role === 'origin'
        ? new OriginPolicy(wires, Date.now, new MemberRates(), Math.floor(pieces * EXTRA_COPY_SHARE))
        : new RecipientPolicy(spec.schedule.originAddress, wires)
      rates = policy.rates
      ;(torrent as TorrentLike & { swarmPolicy?: SwarmPolicy }).swarmPolicy = policy
    }
    const audit = new PieceAudit((address, badPieces) => {
      for (const w of [...torrent.wires]) if (peerAddress(w) === address) w.destroy()
      this.emit('peer-banned', ih, address, badPieces)
    })
    ;(torrent as TorrentLike & { pieceAudit?: PieceAudit }).pieceAudit = audit
    // Received pieces are assembled in reused buffers (patch hook; see piece-buffers.ts), from
    // SHARED_PIECE_BYTES in page-aligned shared memory: the disk thread writes them from there and
    // the check thread hashes those of MIN_THREAD_BYTES or more there.
    if (!complete) (torrent as TorrentLike & { pieceBuffers?: PieceBuffers }).pieceBuffers = new PieceBuffers(SHARED_PIECE_BYTES)
    // ... and checked off the main loop (patch hook: WebTorrent hashed them on it).
    if (!complete && this.checkOnThread) (torrent as TorrentLike & { pieceHasher?: (buf: Uint8Array) => Promise<string> }).pieceHasher = buf => this.pieceChecker.sha1Hex(buf)
    // A full disk must not destroy the torrent (WebTorrent's default): the piece stays missing, the
    // torrent pauses with what it verified, and the owner waits for space (patch hook).
    ;(torrent as TorrentLike & { onStoreWriteError?: (index: number, err: unknown) => boolean }).onStoreWriteError = (_index, err) => {
      if (!isOutOfSpace(err)) return false
      if (!this.outOfSpace.has(ih)) {
        this.outOfSpace.add(ih)
        this.pause(ih)
        this.emit('no-space', ih, errorMessage(err))
      }
      return true
    }
    // A piece is written while it is hashed: one that failed leaves no digest behind (patch hook).
    ;(torrent as TorrentLike & { onFailedPieceWritten?: (index: number) => void }).onFailedPieceWritten = index => { store.current?.discard(index) }
    const entry: Entry = { torrent, store, metainfo: spec.metainfo, audit, members: spec.members, proven: new WeakMap(), hashFailures: 0, ready: false, ...(rates ? { rates } : {}) }
    // A swarm with members holds every wire back (patch hook) until its peer proves a member's key.
    if (me && entry.members) (torrent as TorrentLike & { wireGate?: (wire: WireLike) => Promise<boolean> }).wireGate = wire => this.gate(ih, entry, me, wire)
    // WebTorrent emits 'wire' right after the handshake and sends its bitfield a microtask later:
    // a banned peer or a non-member is dropped here, before any piece is exchanged.
    torrent.on('wire', (wire: WireLike) => {
      if (audit.isBanned(wire)) return wire.destroy()
      if (entry.members && !isMemberAddress(entry.members, peerAddress(wire))) {
        this.emit('non-member', ih, peerAddress(wire))
        return wire.destroy()
      }
      // What a live peer sends besides blocks: a sign of life for heardFrom and dropMember.
      const heard = (): void => { this.lastHeard.set(wire, Date.now()) }
      for (const name of ['have', 'bitfield', 'request', 'cancel', 'interested', 'uninterested', 'keep-alive', 'extended']) wire.on(name, heard)
    })
    this.entries.set(ih, entry)
    torrent.on('ready', () => { entry.ready = true; this.emit('ready', ih) })
    torrent.on('verified', (index: number) => { if (entry.ready) this.emit('verified', ih, index) })
    torrent.on('done', () => this.emit('done', ih))
    torrent.on('warning', (err: unknown) => {
      const m = PIECE_FAILED.exec(errorMessage(err))
      if (m?.[1] !== undefined) {
        entry.hashFailures++
        this.emit('hash-failure', ih, Number(m[1]))
      }
    })
    torrent.on('error', (err: unknown) => {
      this.entries.delete(ih)
      this.emit('torrent-error', ih, diskFailure(err) ?? errorMessage(err))
    })
    return ok(undefined)
  }

  /** The member at `address` receives `bytesPerSecond` now (from its reports): the schedule spares slow members. */
  setMemberRate (infoHash: string, address: string, bytesPerSecond: number): void {
    this.entries.get(infoHash)?.rates?.set(address, bytesPerSecond)
  }

  /**
   * The member at `address` stopped answering its sender (the origin's liveness check says it is
   * lost): its connections that stay silent for SILENT_DROP_MS more are closed. A frozen machine
   * keeps its sockets open, and while they are open the schedule counts the pieces it holds as
   * held and the blocks asked of it stay asked, so the others would wait for it (WebTorrent drops
   * a silent peer only after 30 s). A machine merely too busy to report in time (20 agents on two
   * cores) still sends HAVEs, requests or blocks on them, and is left alone. It dials again when
   * it wakes.
   */
  dropMember (infoHash: string, address: string): void {
    const entry = this.entries.get(infoHash)
    if (!entry) return
    const asked = Date.now()
    const before = entry.torrent.wires.filter(w => !w.destroyed && peerAddress(w) === address).map(w => ({ w, downloaded: w.downloaded }))
    if (before.length === 0) return
    const timer = setTimeout(() => {
      for (const { w, downloaded } of before) if (!w.destroyed && w.downloaded === downloaded && (this.lastHeard.get(w) ?? 0) < asked) w.destroy()
    }, SILENT_DROP_MS)
    timer.unref()
  }

  /**
   * Whether the peer at `address` sent a message (a HAVE, a request, a keep-alive…) on one of its
   * connections within the last `withinMs`: a machine too busy to report to its sender in time
   * still does, a frozen one does not.
   */
  heardFrom (infoHash: string, address: string, withinMs: number): boolean {
    const entry = this.entries.get(infoHash)
    if (!entry) return false
    const since = Date.now() - withinMs
    return entry.torrent.wires.some(w => !w.destroyed && peerAddress(w) === address && (this.lastHeard.get(w) ?? 0) >= since)
  }

  /**
   * This machine no longer has the addresses `gone` (local-addresses.ts): every connection made
   * from one is closed now rather than when its timeout finds it dead. WebTorrent dials a peer it
   * dialled again a second after its connection closes, from the address the machine has now.
   * Returns how many were closed.
   */
  dropLocal (gone: ReadonlySet<string>): number {
    this.renumberedAt = Date.now()
    let closed = 0
    for (const entry of this.entries.values()) {
      for (const peer of entry.torrent._peers?.values() ?? []) {
        const from = peer.conn?.localAddress
        if (from === undefined || !gone.has(from)) continue
        peer.conn?.destroy()
        closed++
      }
    }
    return closed
  }

  /** The swarm's origin is now at `address` (device-moves.ts): the schedule spares it there. */
  moveOrigin (infoHash: string, address: string): void {
    const policy = (this.entries.get(infoHash)?.torrent as (TorrentLike & { swarmPolicy?: SwarmPolicy }) | undefined)?.swarmPolicy
    if (policy instanceof RecipientPolicy) policy.moveOrigin(address)
  }

  /** Replaces a swarm's members (a later offer may add recipients). */
  setMembers (infoHash: string, members: readonly MemberEndpoint[]): void {
    const entry = this.entries.get(infoHash)
    if (entry?.members) entry.members = members
  }

  /**
   * Whether a new wire may join the torrent: a wire from a member's address runs the member proof
   * and joins once proven; anything else is refused here and dropped by the 'wire' listener.
   */
  private gate (ih: string, entry: Entry, me: WireIdentity, wire: WireLike): Promise<boolean> {
    const address = peerAddress(wire)
    if (!entry.members || entry.audit.isBanned(wire) || !isMemberAddress(entry.members, address)) return Promise.resolve(false)
    return new Promise(resolve => {
      const settle = (outcome: ProofOutcome): void => {
        if (outcome.proven) {
          entry.proven.set(wire, outcome.id)
          const id = outcome.id
          wire.once('close', () => {
            if (!entry.torrent.wires.some(w => w !== wire && !w.destroyed && entry.proven.get(w) === id)) this.emit('member-disconnected', ih, id)
          })
          // Both sides agreed on this size before either asks for a block (patch hook: requests
          // of that many bytes are made and served on this wire only).
          ;(wire as WireLike & { agreedBlockLength?: number }).agreedBlockLength = outcome.blockSize
          return resolve(true)
        }
        resolve(false)
        // Just after this machine moved, a member that has not yet admitted its new address
        // answers without the proof, as it does a stranger: not an impostor, and the next dial is let in.
        const moving = outcome.error.code === 'no-proof' && Date.now() - this.renumberedAt < RENUMBER_GRACE_MS
        if (!moving && this.impostorReports.allow(`${ih} ${address}`)) this.emit('impostor', ih, address, outcome.claimedId, outcome.error.message)
        wire.destroy()
      }
      const extension: ExtensionClass = memberExtension({ me, infoHash: ih, members: () => entry.members ?? [], address, blockSize: this.memberBlockBytes, settle })
      ;(wire as WireLike & { use: (ext: ExtensionClass) => void }).use(extension)
    })
  }

  /** Dials members that are not connected yet; safe to call repeatedly. */
  connect (infoHash: string, addresses: readonly string[]): void {
    const entry = this.entries.get(infoHash)
    if (!entry || entry.torrent.destroyed || entry.torrent.paused) return
    if (entry.torrent.infoHash === undefined) {
      entry.torrent.once('infoHash', () => this.connect(infoHash, addresses))
      return
    }
    const connected = new Set(entry.torrent.wires.map(peerAddress))
    for (const addr of addresses) {
      const host = addr.slice(0, addr.lastIndexOf(':'))
      if (!connected.has(host) && !entry.audit.banned.has(host)) entry.torrent.addPeer(addr)
    }
  }

  /** Starts guarding a torrent's files while they are served (see AddSpec.guard). */
  watchSource (infoHash: string, targets: readonly FileStoreTarget[], watch: SourceWatch): void {
    const entry = this.entries.get(infoHash)
    if (!entry?.metainfo) return
    entry.store.current?.watchSource(guardOf(entry.metainfo, targets, watch, reason => this.sourceChanged(infoHash, reason)))
  }

  /** A guarded file changed: stop serving at once (the torrent and its wires go; the store already refuses reads). */
  private sourceChanged (infoHash: string, reason: string): void {
    void this.remove(infoHash)
    this.emit('source-changed', infoHash, reason)
  }

  /** Points a running torrent at new file paths (after NAME.part was renamed to NAME). */
  retarget (infoHash: string, targets: readonly FileStoreTarget[]): void {
    this.entries.get(infoHash)?.store.current?.retarget(targets)
  }

  bitfield (infoHash: string): Uint8Array | undefined {
    return this.entries.get(infoHash)?.torrent.bitfield?.buffer
  }

  /** What each connected peer holds, by IP address (recipients use it to draw the swarm). */
  peerBitfields (infoHash: string): Array<{ readonly address: string; readonly bits: Uint8Array }> {
    const t = this.entries.get(infoHash)?.torrent
    if (!t) return []
    return t.wires.filter(w => !w.destroyed).map(w => ({ address: peerAddress(w), bits: w.peerPieces.buffer }))
  }

  /** Pieces with a block requested from some peer right now (WebTorrent's reservations). */
  piecesInFlight (infoHash: string): number[] {
    const t = this.entries.get(infoHash)?.torrent as (TorrentLike & { _reservations?: ReadonlyArray<ReadonlyArray<WireLike | null> | null> }) | undefined
    const reservations = t?._reservations
    if (!reservations) return []
    const out: number[] = []
    reservations.forEach((r, i) => { if (r?.some(w => w !== null)) out.push(i) })
    return out
  }

  stats (infoHash: string): TransferStats | undefined {
    const entry = this.entries.get(infoHash)
    if (!entry) return undefined
    const t = entry.torrent
    const m = entry.metainfo
    if (!m) return undefined
    let verifiedPieces = 0
    let verifiedBytes = 0
    const bf = t.bitfield
    if (bf) {
      for (let i = 0; i < m.pieceCount; i++) {
        if (bf.get(i)) {
          verifiedPieces++
          verifiedBytes += i === m.pieceCount - 1 ? m.totalLength - m.pieceLength * (m.pieceCount - 1) : m.pieceLength
        }
      }
    }
    return {
      infoHash,
      ready: entry.ready,
      done: t.done,
      paused: t.paused,
      verifiedPieces,
      pieceCount: m.pieceCount,
      verifiedBytes,
      receivedBytes: t.received,
      uploadedBytes: t.uploaded,
      downloadSpeed: liveRate(t.wires, w => w.downloadSpeed()),
      uploadSpeed: liveRate(t.wires, w => w.uploadSpeed()),
      hashFailures: entry.hashFailures,
      bannedPeers: [...entry.audit.banned],
      peers: t.wires.map(w => peerStats(w, entry.proven.get(w)))
    }
  }

  pause (infoHash: string): void {
    const t = this.entries.get(infoHash)?.torrent
    if (!t) return
    t.pause()
    for (const w of [...t.wires]) w.destroy()
  }

  resume (infoHash: string): void {
    this.outOfSpace.delete(infoHash)
    this.entries.get(infoHash)?.torrent.resume()
  }

  async remove (infoHash: string, deleteData = false): Promise<void> {
    const entry = this.entries.get(infoHash)
    if (!entry) return
    this.entries.delete(infoHash)
    this.outOfSpace.delete(infoHash)
    await new Promise<void>(resolve => entry.torrent.destroy({ destroyStore: deleteData }, () => resolve()))
  }

  get rates (): { upload: number; download: number } {
    const wires = [...this.entries.values()].flatMap(e => e.torrent.wires)
    return { upload: liveRate(wires, w => w.uploadSpeed()), download: liveRate(wires, w => w.downloadSpeed()) }
  }

  setLimits (uploadLimit: number | undefined, downloadLimit: number | undefined): void {
    this.client.throttleUpload(uploadLimit && uploadLimit > 0 ? uploadLimit : -1)
    this.client.throttleDownload(downloadLimit && downloadLimit > 0 ? downloadLimit : -1)
  }

  /**
   * Before a graceful stop: downloads finish the pieces they have begun (and ask for no others),
   * for at most `timeoutMs`, since a piece's received blocks live only in memory until it is
   * complete and a restart would fetch them again.
   */
  async drain (timeoutMs: number): Promise<void> {
    const downloading = [...this.entries.values()].map(e => e.torrent)
      .filter(t => t.ready && !t.done && !t.destroyed && !t.paused)
    for (const t of downloading) t.drainPieces()
    const until = Date.now() + timeoutMs
    while (Date.now() < until && downloading.some(t => !t.destroyed && !t.done && t.begunPieces > 0)) {
      await new Promise(resolve => setTimeout(resolve, DRAIN_POLL_MS))
    }
  }

  async stop (): Promise<void> {
    clearInterval(this.scheduler)
    this.entries.clear()
    if (!this.client.destroyed) await new Promise<void>(resolve => this.client.destroy(() => resolve()))
    await this.pieceChecker.stop()
  }
}

/**
 * A rate as the sum of the open connections' own: WebTorrent's torrent-wide rate averages the last
 * five seconds of every connection, closed ones too, so a machine killed mid-transfer still showed
 * most of its upload for seconds after its connection ended.
 */
function liveRate (wires: readonly WireLike[], rate: (w: WireLike) => number): number {
  let sum = 0
  for (const w of wires) if (!w.destroyed) sum += rate(w)
  return sum
}

function peerStats (w: WireLike, member: string | undefined): PeerStats {
  return {
    address: `${w.remoteAddress ?? '?'}:${w.remotePort ?? 0}`,
    downloadSpeed: w.downloadSpeed(),
    uploadSpeed: w.uploadSpeed(),
    downloaded: w.downloaded,
    uploaded: w.uploaded,
    ...(member !== undefined ? { member } : {})
  }
}

function isMemberAddress (members: readonly MemberEndpoint[], address: string): boolean {
  return members.some(m => m.address === address)
}
