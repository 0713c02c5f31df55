// LAN discovery over mDNS (bonjour-service). Each agent publishes _swarmdrop._tcp and browses for
// the others. The browser's own list is soft state with a 75-minute TTL and it can miss a service
// published before it started (bonjour-service #9), so this module re-queries every few seconds,
// keeps its own last-seen time per machine, and drops one that stops answering. A graceful stop
// sends the mDNS goodbye so others drop this machine at once. A killed one sends none, but the
// connections others had with it close at once: each of them then asks the LAN whether it is still
// there (suspect), and drops it within seconds when it does not answer.
//
// Every agent hears every answer (they are multicast), so one query on the LAN refreshes every
// agent's view. An agent therefore asks only when nobody has asked for a while (RFC 6762 7.3,
// duplicate question suppression): when each of N agents asked on its own timer, every query drew
// N answers, each decoded by N agents, and at N=20 mDNS was about a tenth of every agent's profile
// during a transfer.
//
// One id answering from two addresses (two machines holding one key, from a cloned disk image or a
// copied data folder) is told apart here: every answer's source address is kept per id
// (id-addresses.ts), a machine stays listed at the address it had instead of flapping to whichever
// answered last, and this device notices others answering for its own id ('clash'): their adverts,
// their answers to its probe at start, and their probes for its instance name.
import { randomBytes } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { connect } from 'node:net'
import { networkInterfaces } from 'node:os'
import { Bonjour, type Browser, type Service } from 'bonjour-service'
import { IdAddresses, idFromRawTxt } from './id-addresses.js'
import { advertFromTxt, advertToTxt, SERVICE_TYPE, type Advert, type Peer } from './peer-info.js'

export interface DiscoveryOptions {
  readonly advert: Advert
  /** How often someone on the LAN must have asked who is there, or this agent asks (ms). */
  readonly queryIntervalMs?: number
  /** For this long after the start, ask every second (a one-shot command wants the others at once) (ms). */
  readonly eagerForMs?: number
  /** A machine not heard from for this long is gone (ms). */
  readonly expireAfterMs?: number
  /** A suspected machine (suspect) not heard from for this long after the suspicion is gone (ms). */
  readonly suspectGraceMs?: number
}

export interface DiscoveryEvents {
  up: [peer: Peer]
  down: [peer: Peer]
  update: [peer: Peer]
  /** The other addresses answering for this device's own id changed (empty: none does any more). */
  clash: [addresses: readonly string[]]
}

interface RawRecord { readonly type?: string; readonly name?: string; readonly ttl?: number; readonly data?: unknown }
interface RawPacket { readonly answers?: readonly RawRecord[]; readonly additionals?: readonly RawRecord[]; readonly questions?: ReadonlyArray<{ name?: unknown, type?: unknown, class?: unknown }> }
interface RawInfo { readonly address?: string }
type RawMdns = NodeJS.EventEmitter & { query?: (name: string, type: string) => void }

/** Rounds of this device's own probe for its instance name at start, and the wait after each (ms). */
const PROBE_ROUNDS = 3
const PROBE_WAIT_MS = 250

/** How often expiry and the need to ask are checked (ms). */
const TICK_MS = 1_000

/** Machines remembered after they went away (for seenAt). */
const MAX_DEPARTED = 4096

/**
 * Queries asked for a suspected machine within its grace: a second one covers a lost packet
 * (multicast UDP is not retransmitted), so that one lost datagram does not drop a live machine.
 */
const SUSPECT_QUERIES = 2

/**
 * Each query for a suspected machine waits up to this long (random) and is not sent when someone
 * asked meanwhile: every machine connected to a killed one suspects it at the same instant, and
 * one query draws the answers all of them need.
 */
const SUSPECT_JITTER_MS = 200

/**
 * A listed machine heard from a new address is looked for at its old one, with a TCP connection to
 * its control port, for this long (ms): nobody there means it moved (DHCP, Wi-Fi to cable) and is
 * followed now, not when the old address expires; an answer means two machines hold its key.
 */
const OLD_ADDRESS_CHECK_MS = 1_500

/** This machine's own addresses are listed again at most this often (ms), when a packet comes from one not listed. */
const LOCAL_RELIST_MS = 200

/** At most one such check per machine in this long (ms): a twin answers every query round. */
const OLD_ADDRESS_CHECK_EVERY_MS = 10_000

interface Suspicion {
  /** When the sign came (ms). */
  readonly since: number
  timer: NodeJS.Timeout
}

export class Discovery extends EventEmitter<DiscoveryEvents> {
  private readonly bonjour: Bonjour
  private readonly browser: Browser
  private readonly peers = new Map<string, Peer>()
  private readonly byFqdn = new Map<string, string>()
  /**
   * Every advert claiming each id, by instance (fqdn): an advert is unauthenticated, so an impostor
   * can claim a real device's id. The control channel's key check picks the true one among them.
   */
  private readonly claims = new Map<string, Map<string, Peer>>()
  /**
   * Machines that went away in this run, by id: enough to know one again from a contact proven by
   * its key (seenAt) before its mDNS advert is heard again. Bounded.
   */
  private readonly departed = new Map<string, Peer>()
  /**
   * Machines added by address (main/core/pairing), beyond mDNS's reach: listed with the others and
   * offered to alike. Their liveness is the pairing's dialling, not mDNS, so tick() leaves them be.
   */
  private readonly direct = new Map<string, Peer>()
  /** Machines whose connection with this device ended abruptly, not heard from since (suspect). */
  private readonly suspects = new Map<string, Suspicion>()
  private readonly timer: NodeJS.Timeout
  private readonly expireAfterMs: number
  private readonly suspectGraceMs: number
  private readonly queryIntervalMs: number
  private eagerUntil: number
  /** When a query for our service was last heard on the LAN, this agent's own included (ms). */
  private lastQueryHeard = 0
  /**
   * This agent's own extra wait before asking, drawn again after each query heard, so that agents
   * started together do not all ask in the same instant (the first to ask spares the others).
   */
  private jitterMs = 0
  private stopped = false
  private advert: Advert
  /** Published once the probe at start is over (undefined until then). */
  private service: Service | undefined
  private readonly published: Promise<void>
  /** This device's instance name: `swarmdrop-<id16>`, or with a suffix when another machine holds that. */
  private instance: string
  /** The addresses heard answering for each id (other machines' ids). */
  private readonly addresses: IdAddresses
  /** Other addresses heard answering for this device's own id. */
  private readonly ownId: IdAddresses
  /** The clash last told ('clash'), as a key. */
  private clashTold = ''
  private local: { readonly at: number; readonly set: ReadonlySet<string> } = { at: 0, set: new Set() }
  /** When each listed machine's old address was last looked for (checkOldAddress), by id (ms). */
  private readonly oldAddressChecked = new Map<string, number>()

  constructor (private readonly opts: DiscoveryOptions) {
    super()
    this.expireAfterMs = opts.expireAfterMs ?? 16_000
    this.suspectGraceMs = opts.suspectGraceMs ?? 3_000
    this.queryIntervalMs = opts.queryIntervalMs ?? 5_000
    this.eagerUntil = Date.now() + (opts.eagerForMs ?? 0)
    this.bonjour = new Bonjour({}, (err: unknown) => {
      // mDNS socket errors must not crash the agent: discovery degrades, transfers go on.
      process.emitWarning(`mDNS: ${String(err)}`)
    })
    this.advert = opts.advert
    this.addresses = new IdAddresses(this.expireAfterMs)
    this.ownId = new IdAddresses(this.expireAfterMs)
    this.instance = baseInstance(opts.advert.id)
    this.listenForOwnId()
    this.published = this.probeAndPublish()
    this.browser = this.bonjour.find({ type: SERVICE_TYPE })
    this.browser.on('up', s => this.seen(s))
    this.browser.on('txt-update', s => this.seen(s))
    this.browser.on('srv-update', s => this.seen(s))
    this.browser.on('down', s => this.gone(s))
    this.listenForRefreshes()
    this.listenForQueries()
    this.asked(Date.now()) // the browser asked as it started
    // Expiry and the decision to ask are checked each second (or each interval, when shorter).
    this.timer = setInterval(() => this.tick(), Math.min(TICK_MS, this.queryIntervalMs))
    this.timer.unref()
  }

  list (): Peer[] {
    const direct = [...this.direct.values()].filter(p => !this.peers.has(p.id))
    return [...this.peers.values(), ...direct].sort((a, b) => a.name.localeCompare(b.name))
  }

  get (id: string): Peer | undefined { return this.peers.get(id) ?? this.direct.get(id) }

  /** A machine heard earlier in this run that went away (its advert as last heard). */
  departedPeer (id: string): Peer | undefined { return this.departed.get(id) }

  /** Every advert now claiming `id`, the most recently heard first (at least `get(id)` when known). */
  candidates (id: string): Peer[] {
    const all = [...(this.claims.get(id)?.values() ?? [])].sort((a, b) => b.lastSeen - a.lastSeen)
    const paired = this.direct.get(id)
    // The paired address proved the key when it was dialled: always one of the candidates.
    if (paired && !all.some(p => p.address === paired.address && p.controlPort === paired.controlPort)) all.push(paired)
    const current = this.peers.get(id)
    return all.length > 0 ? all : current ? [current] : []
  }

  /** Every address answering for `id` now (more than one: two machines hold its key, or one forges its advert), sorted. */
  addressesOf (id: string): string[] { return this.addresses.live(id, Date.now()) }

  /** The ids more than one address answers for now. */
  idsAnsweringTwice (): string[] { return this.addresses.shared(Date.now()) }

  /** The other addresses answering for this device's own id now, sorted, with when the first began (ms). */
  ownIdClash (): { readonly addresses: readonly string[]; readonly since: number } | undefined {
    const now = Date.now()
    const addresses = this.ownId.live(this.opts.advert.id, now)
    if (addresses.length === 0) return undefined
    const since = Math.min(...addresses.map(a => this.ownId.since(this.opts.advert.id, a, now) ?? now))
    return { addresses, since }
  }

  /** A machine added by address answered (with its key): listed as online until dropDirect. */
  setDirect (peer: Peer): void {
    if (this.stopped || peer.id === this.opts.advert.id) return
    const before = this.get(peer.id)
    this.direct.set(peer.id, peer)
    if (this.peers.has(peer.id)) return
    if (!before) this.emit('up', peer)
    else if (before.address !== peer.address || before.name !== peer.name || before.btPort !== peer.btPort || before.controlPort !== peer.controlPort) this.emit('update', peer)
  }

  /** A machine added by address stopped answering, or was forgotten. */
  dropDirect (id: string): void {
    const peer = this.direct.get(id)
    if (!peer) return
    this.direct.delete(id)
    if (!this.peers.has(id) && !this.stopped) this.emit('down', peer)
  }

  /**
   * Announces a changed advert (a new device name). bonjour-service cannot update a published TXT
   * record in place, so the service is withdrawn (mDNS goodbye) and published again at once: other
   * machines see this one leave and come back under its new name within a second.
   */
  /**
   * This machine's addresses changed (local-addresses.ts): its own packets from a new address are
   * its own, and the LAN hears its records from there now, unasked, instead of at the next query
   * round. No goodbye first: that would drop it from every list for a moment.
   */
  renumbered (): void {
    this.local = { at: 0, set: new Set() }
    const service = this.service
    const mdns = this.rawMdns() as (NodeJS.EventEmitter & { respond?: (answers: unknown, cb?: (err?: Error | null) => void) => void }) | undefined
    if (this.stopped || service === undefined || !service.published || mdns?.respond === undefined) return
    mdns.respond(service.records(), err => { if (err) process.emitWarning(`mDNS: ${String(err)}`) })
  }

  async readvertise (advert: Advert): Promise<void> {
    if (this.stopped) return
    this.advert = advert
    await this.published
    const old = this.service
    if (old === undefined) return
    // Withdrawn while still probing, the old record's probe would hear the new one and report a
    // name clash (on stdout, from bonjour-service): let the first announcement finish.
    if (!old.published) {
      await new Promise<void>(resolve => {
        const t = setTimeout(resolve, 3_000)
        old.once('up', () => { clearTimeout(t); resolve() })
      })
    }
    await new Promise<void>(resolve => {
      const t = setTimeout(resolve, 2_000)
      old.stop?.(() => { clearTimeout(t); resolve() })
    })
    // The name is ours already (probed at start): no second probe.
    if (!this.stopped) this.service = this.publish(false)
  }

  /**
   * Probes for this device's instance name before publishing it, as bonjour-service's own probe
   * would, but this one's outcome is known here (bonjour-service only prints an Error on stdout and
   * stays silent on the LAN). A name another machine answers for (its twin, holding this device's
   * key) is not taken over: this device publishes under a name of its own, so both stay visible,
   * each at its address, and every machine can say what is wrong instead of one twin vanishing.
   */
  private async probeAndPublish (): Promise<void> {
    const taken = await this.probe(`${this.instance}._${SERVICE_TYPE}._tcp.local`)
    if (this.stopped) return
    if (taken) this.instance = `${baseInstance(this.advert.id)}-${randomBytes(3).toString('hex')}`
    this.service = this.publish(false)
  }

  private async probe (fqdn: string): Promise<boolean> {
    const mdns = this.rawMdns() as RawMdns | undefined
    if (mdns?.query === undefined) return false
    const wanted = fqdn.toLowerCase()
    let taken = false
    const onResponse = (packet: RawPacket, rinfo?: RawInfo): void => {
      const records = [...(packet.answers ?? []), ...(packet.additionals ?? [])]
      if (records.some(r => typeof r.name === 'string' && r.name.toLowerCase() === wanted && r.ttl !== 0) && !this.isLocal(rinfo?.address)) taken = true
    }
    mdns.on('response', onResponse)
    try {
      // A random first wait, as RFC 6762 8.1 asks, so that machines started together do not probe in step.
      await sleep(Math.random() * PROBE_WAIT_MS)
      for (let i = 0; i < PROBE_ROUNDS && !taken && !this.stopped; i++) {
        mdns.query(fqdn, 'ANY')
        await sleep(PROBE_WAIT_MS)
      }
    } finally {
      mdns.off('response', onResponse)
    }
    return taken
  }

  private publish (probe: boolean): Service {
    const instance = this.instance
    return this.bonjour.publish({
      name: instance,
      type: SERVICE_TYPE,
      port: this.advert.controlPort,
      // A host name of our own: namespaces and cloned machines often share one system host name.
      host: `${instance}.local`,
      txt: advertToTxt(this.advert),
      disableIPv6: true,
      probe
    })
  }

  /**
   * The device proved its key from `address` just now (a report over the control channel): it is
   * there. Refreshes a known machine, or brings back one that went away from the same address.
   */
  seenAt (id: string, address: string): void {
    if (this.stopped) return
    const now = Date.now()
    const current = this.peers.get(id)
    if (current) {
      if (current.address === address) {
        this.addresses.heardAt(id, address, now)
        this.peers.set(id, { ...current, lastSeen: now })
        this.clearSuspicion(id)
      }
      return
    }
    const before = this.departed.get(id)
    if (!before || before.address !== address) return
    this.departed.delete(id)
    const peer = { ...before, lastSeen: now }
    this.peers.set(id, peer)
    this.emit('up', peer)
  }

  /**
   * A connection this device had with `id`, its key proven (a BitTorrent wire, a kept control
   * connection), ended abruptly: its process may have died, and a killed process sends no mDNS
   * goodbye (the kernel closes its sockets at once). The LAN is asked now, and once more within the
   * grace; a machine whose advert is not heard again (nor a report proven by its key) within
   * suspectGraceMs is dropped, instead of after expireAfterMs. A sign, not proof: one that answers
   * stays as it was. Only machines mDNS found: one added by address keeps its pairing's liveness.
   */
  suspect (id: string): void {
    if (this.stopped || this.suspects.has(id) || !this.peers.has(id)) return
    // Without the raw responses (newer bonjour-service) an answer of a known machine is not heard here.
    if (this.rawMdns() === undefined) return
    const since = Date.now()
    this.suspects.set(id, { since, timer: this.later(() => this.followUp(id, 0), Math.random() * SUSPECT_JITTER_MS) })
  }

  /** Machines suspected now and not heard from since (for tests and the status of discovery). */
  get suspectedCount (): number { return this.suspects.size }

  /**
   * Back to asking as seldom as an agent: the command that wanted the others at once (eagerForMs)
   * has chosen its recipients. Each query draws an answer from every machine, decoded by every
   * machine, so asking each second through a whole transfer cost every host CPU the transfer needed.
   */
  calm (): void {
    this.eagerUntil = 0
  }

  /** Ask the LAN again now (after a start, or when a person presses refresh). */
  refresh (): void {
    if (this.stopped) return
    this.browser.update()
    this.asked(Date.now())
  }

  async stop (): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    clearInterval(this.timer)
    for (const s of this.suspects.values()) clearTimeout(s.timer)
    this.suspects.clear()
    this.browser.stop()
    await new Promise<void>(resolve => {
      const t = setTimeout(resolve, 2_000)
      this.bonjour.unpublishAll(() => { clearTimeout(t); resolve() })
    })
    await new Promise<void>(resolve => this.bonjour.destroy(() => resolve()))
  }

  private tick (): void {
    const now = Date.now()
    this.addresses.prune(now)
    this.ownId.prune(now)
    this.tellClash()
    for (const [id, byInstance] of this.claims) {
      for (const [fqdn, p] of byInstance) if (now - p.lastSeen > this.expireAfterMs) byInstance.delete(fqdn)
      if (byInstance.size === 0) this.claims.delete(id)
    }
    for (const p of this.peers.values()) {
      if (now - p.lastSeen > this.expireAfterMs) this.drop(p)
      else this.followLiveAddress(p, now)
    }
    const interval = now < this.eagerUntil ? Math.min(TICK_MS, this.queryIntervalMs) : this.queryIntervalMs
    if (now - this.lastQueryHeard < interval + this.jitterMs) return
    this.browser.update()
    this.asked(now)
  }

  /**
   * Another address answers for a machine still listed at its old one, which mDNS alone cannot tell
   * apart from two machines holding one key until the old address expires (expireAfterMs): asks the
   * old address directly. Nobody there, it is followed at once.
   */
  private checkOldAddress (id: string): void {
    const listed = this.peers.get(id)
    const now = Date.now()
    if (this.stopped || listed === undefined || now - (this.oldAddressChecked.get(id) ?? 0) < OLD_ADDRESS_CHECK_EVERY_MS) return
    this.oldAddressChecked.set(id, now)
    const { address, controlPort } = listed
    const socket = connect({ host: address, port: controlPort })
    let ended = false
    const end = (there: boolean): void => {
      if (ended) return
      ended = true
      clearTimeout(timer)
      socket.destroy()
      const still = this.peers.get(id)
      if (there || this.stopped || still === undefined || still.address !== address) return
      this.addresses.goodbye(id, address)
      this.followLiveAddress(still, Date.now())
    }
    const timer = this.later(() => end(false), OLD_ADDRESS_CHECK_MS)
    socket.once('connect', () => end(true))
    socket.once('error', () => end(false))
  }

  /**
   * The address a machine is listed at stopped answering while another still answers for its id
   * (one of two machines holding its key was killed): it is listed where it still answers. Its
   * last-seen time alone does not tell, since any answer for its instance name refreshes it.
   */
  private followLiveAddress (p: Peer, now: number): void {
    if (this.addresses.isLive(p.id, p.address, now)) return
    const live = this.addresses.live(p.id, now)
    if (live.length === 0) return
    const claim = [...(this.claims.get(p.id)?.values() ?? [])].find(c => live.includes(c.address))
    const moved: Peer = claim !== undefined ? { ...claim, lastSeen: p.lastSeen } : { ...p, address: live[0] ?? p.address }
    this.peers.set(p.id, moved)
    this.emit('update', moved)
  }

  /**
   * Round `round` of a suspicion: asks the LAN unless someone did since the round began, and comes
   * back for the next round; after the last, the grace is over and a machine still not heard from
   * is dropped.
   */
  private followUp (id: string, round: number): void {
    const s = this.suspects.get(id)
    if (s === undefined || this.stopped) return
    const step = this.suspectGraceMs / SUSPECT_QUERIES
    if (round < SUSPECT_QUERIES) {
      const now = Date.now()
      if (this.lastQueryHeard < s.since + round * step) {
        this.browser.update()
        this.asked(now)
      }
      const next = round + 1 < SUSPECT_QUERIES ? s.since + (round + 1) * step + Math.random() * SUSPECT_JITTER_MS : s.since + this.suspectGraceMs
      s.timer = this.later(() => this.followUp(id, round + 1), next - now)
      return
    }
    this.suspects.delete(id)
    const peer = this.peers.get(id)
    if (peer !== undefined) this.drop(peer)
  }

  /** A suspicion of `id` is over: it answered (its advert, or a contact proven by its key), or it was dropped. */
  private clearSuspicion (id: string): void {
    const s = this.suspects.get(id)
    if (s === undefined) return
    clearTimeout(s.timer)
    this.suspects.delete(id)
  }

  private later (run: () => void, ms: number): NodeJS.Timeout {
    const t = setTimeout(run, Math.max(0, ms))
    t.unref()
    return t
  }

  /** A query was sent or heard at `at`: the next one is due an interval (plus this agent's jitter) later. */
  private asked (at: number): void {
    this.lastQueryHeard = at
    this.jitterMs = Math.floor(Math.random() * Math.min(TICK_MS, this.queryIntervalMs / 4))
  }

  /** bonjour-service's multicast-dns socket, for the raw packets its API does not pass on (absent in newer versions). */
  private rawMdns (): NodeJS.EventEmitter | undefined {
    return (this.bonjour as unknown as { server?: { mdns?: NodeJS.EventEmitter } }).server?.mdns
  }

  /**
   * Queries for our service from anyone on the LAN (other agents, the one-shot commands): their
   * multicast answers refresh this agent as well as its own query would. Only a plain question
   * counts: a QU question is answered by unicast, and a query listing known answers may silence
   * the answers this agent needs to hear.
   */
  private listenForQueries (): void {
    const mdns = this.rawMdns()
    if (!mdns) return
    const ours = `_${SERVICE_TYPE}._tcp.local`
    mdns.on('query', (packet: { questions?: Array<{ name?: unknown, type?: unknown, class?: unknown }>, answers?: unknown[] }) => {
      if ((packet.answers?.length ?? 0) > 0) return
      const asks = (packet.questions ?? []).some(q => q.type === 'PTR' && q.class === 'IN' && typeof q.name === 'string' && q.name.toLowerCase() === ours)
      if (asks) this.asked(Date.now())
    })
  }

  private seen (s: Service): void {
    const advert = advertFromTxt(s.txt)
    if (!advert || advert.id === this.opts.advert.id) return
    const address = pickAddress(s)
    if (!address) return
    const now = Date.now()
    const before = this.peers.get(advert.id) ?? this.direct.get(advert.id)
    this.addresses.heardAt(advert.id, address, now)
    const listed = this.peers.get(advert.id)
    // Another address answers for an id still answering where it is listed (two machines hold its
    // key, or an advert is forged): it stays listed where it was rather than flapping between them.
    const keep = listed !== undefined && listed.address !== address && this.addresses.isLive(advert.id, listed.address, now)
    const heard: Peer = { ...advert, address, lastSeen: now }
    const peer: Peer = keep ? { ...listed, lastSeen: now } : heard
    if (keep) this.checkOldAddress(advert.id)
    this.peers.set(advert.id, peer)
    this.byFqdn.set(s.fqdn, advert.id)
    this.claimsOf(advert.id).set(s.fqdn, heard)
    this.departed.delete(advert.id)
    this.clearSuspicion(advert.id)
    if (!before) this.emit('up', peer)
    else if (before.address !== peer.address || before.name !== peer.name || before.btPort !== peer.btPort || before.controlPort !== peer.controlPort) this.emit('update', peer)
  }

  private gone (s: Service): void {
    const id = this.byFqdn.get(s.fqdn) ?? advertFromTxt(s.txt)?.id
    if (id === undefined) return
    const peer = this.peers.get(id)
    this.byFqdn.delete(s.fqdn)
    const claims = this.claims.get(id)
    claims?.delete(s.fqdn)
    if (!peer) return
    // Another advert still claims the id: keep the device, at that advert's address.
    const other = claims === undefined ? undefined : [...claims.values()].sort((a, b) => b.lastSeen - a.lastSeen)[0]
    if (other) {
      this.peers.set(id, other)
      if (other.address !== peer.address || other.controlPort !== peer.controlPort || other.btPort !== peer.btPort) this.emit('update', other)
      return
    }
    this.drop(peer)
  }

  /**
   * Forgets a machine that went away, in the browser too: bonjour-service keeps services for the
   * record's TTL (75 min) and ignores answers for services it knows, so a machine killed and
   * restarted under the same name would stay unseen for that long.
   */
  private drop (peer: Peer): void {
    this.peers.delete(peer.id)
    this.clearSuspicion(peer.id)
    this.addresses.forget(peer.id)
    this.oldAddressChecked.delete(peer.id)
    const paired = this.direct.get(peer.id)
    if (this.departed.size >= MAX_DEPARTED) this.departed.delete(this.departed.keys().next().value ?? '')
    this.departed.set(peer.id, peer)
    const browser = this.browser as unknown as { removeService?: (fqdn: string) => void }
    for (const [fqdn, id] of this.byFqdn) {
      if (id !== peer.id) continue
      this.byFqdn.delete(fqdn)
      this.claims.get(id)?.delete(fqdn)
      // Emits the browser's 'down' for it, which finds nothing more to do here.
      browser.removeService?.(fqdn)
    }
    if (this.claims.get(peer.id)?.size === 0) this.claims.delete(peer.id)
    // Still answering at the address it was added by: not gone, only no longer heard by mDNS.
    if (paired) this.emit('update', paired)
    else this.emit('down', peer)
  }

  private claimsOf (id: string): Map<string, Peer> {
    let m = this.claims.get(id)
    if (!m) { m = new Map(); this.claims.set(id, m) }
    return m
  }

  /**
   * The browser ignores answers for services it already knows, so last-seen times are refreshed
   * from the raw responses: any SRV record of a known instance counts as "still there".
   */
  private listenForRefreshes (): void {
    const mdns = this.rawMdns()
    if (!mdns) return // newer bonjour-service: liveness falls back to the record TTL
    mdns.on('response', (packet: { answers?: unknown[]; additionals?: unknown[] }, rinfo?: RawInfo) => {
      const records = [...(packet.answers ?? []), ...(packet.additionals ?? [])]
      for (const r of records) {
        const rec = r as { type?: string; name?: string; ttl?: number }
        if (rec.type !== 'SRV' || typeof rec.name !== 'string') continue
        const id = this.byFqdn.get(rec.name)
        // Which address answers for the id: by the packet's source, as pickAddress prefers.
        const from = rinfo?.address
        if (id !== undefined && from !== undefined && this.peers.has(id)) {
          if (rec.ttl === 0) this.addresses.goodbye(id, from)
          else this.addresses.heardAt(id, from, Date.now())
          // The same instance answering from elsewhere: it moved, or a twin answers for it.
          if (rec.ttl !== 0 && from !== this.peers.get(id)?.address) this.checkOldAddress(id)
        }
        const peer = id === undefined ? undefined : this.peers.get(id)
        if (peer && rec.ttl !== 0) {
          this.peers.set(peer.id, { ...peer, lastSeen: Date.now() })
          this.clearSuspicion(peer.id)
        }
        const claim = id === undefined ? undefined : this.claims.get(id)?.get(rec.name)
        if (id !== undefined && claim && rec.ttl !== 0) this.claimsOf(id).set(rec.name, { ...claim, lastSeen: Date.now() })
      }
    })
  }

  /**
   * Others answering for this device's own id: an advert or answer carrying its id (TXT `id=`) from
   * an address not this machine's, or a probe for its instance name from one (a twin starting).
   */
  private listenForOwnId (): void {
    const mdns = this.rawMdns()
    if (!mdns) return
    const own = this.opts.advert.id
    mdns.on('response', (packet: RawPacket, rinfo?: RawInfo) => {
      const from = rinfo?.address
      // Whose address it is is asked only of packets carrying this id (isLocal may list the interfaces).
      const ours = [...(packet.answers ?? []), ...(packet.additionals ?? [])].filter(r => r.type === 'TXT' && idFromRawTxt(r.data) === own)
      if (ours.length === 0 || from === undefined || this.isLocal(from)) return
      for (const r of ours) {
        if (r.ttl === 0) this.ownId.goodbye(own, from)
        else this.ownId.heardAt(own, from, Date.now())
      }
      this.tellClash()
    })
    mdns.on('query', (packet: RawPacket, rinfo?: RawInfo) => {
      const from = rinfo?.address
      const base = `${baseInstance(own)}._${SERVICE_TYPE}._tcp.local`
      const probes = (packet.questions ?? []).some(q => q.type === 'ANY' && typeof q.name === 'string' && q.name.toLowerCase() === base)
      if (!probes || from === undefined || this.isLocal(from)) return
      this.ownId.heardAt(own, from, Date.now())
      this.tellClash()
    })
  }

  /** Emits 'clash' when the set of other addresses answering for this device's id changed. */
  private tellClash (): void {
    if (this.stopped) return
    const now = Date.now()
    const addresses = this.ownId.live(this.opts.advert.id, now)
    const key = addresses.join(',')
    if (key === this.clashTold) return
    this.clashTold = key
    this.emit('clash', addresses)
  }

  /** Whether `address` is one of this machine's own (its multicast comes back to it). */
  private isLocal (address: string | undefined): boolean {
    if (address === undefined) return true
    if (this.local.set.has(address)) return true
    // Not among the addresses listed last: this machine may have got it since (a new DHCP lease, a
    // cable plugged in), and its own packets from there are not another machine's. Listed again,
    // at most every LOCAL_RELIST_MS.
    const now = Date.now()
    if (now - this.local.at < LOCAL_RELIST_MS) return false
    const set = new Set<string>(['127.0.0.1'])
    for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) set.add(i.address)
    this.local = { at: now, set }
    return set.has(address)
  }
}

function baseInstance (id: string): string { return `swarmdrop-${id.slice(0, 16)}` }

async function sleep (ms: number): Promise<void> {
  await new Promise<void>(resolve => { setTimeout(resolve, ms).unref() })
}

function pickAddress (s: Service): string | undefined {
  const v4 = (s.addresses ?? []).filter(a => /^\d+\.\d+\.\d+\.\d+$/.test(a))
  const from = s.referer?.address
  // The packet's source address is the one that reached us; prefer it when the record lists it.
  if (from && (v4.includes(from) || v4.length === 0) && /^\d+\.\d+\.\d+\.\d+$/.test(from)) return from
  return v4[0]
}
