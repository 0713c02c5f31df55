// The sending half of a device: makes distributions from paths, seeds them, offers them to
// chosen machines, and follows each recipient through the reports they send back.
import { randomUUID } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { errorBodyMessage } from '../control/http-client.js'
import type { Peer } from '../discovery/peer-info.js'
import { createDistribution, createFromSource } from '../distributions/create.js'
import type { HashProgress } from '../hashing/hash-files.js'
import { scanSource, type Source } from '../torrent/source.js'
import { describedBy, type OriginRecord, type RecipientStatus } from '../distributions/records.js'
import { keepsItsRow, RetryGate, WAITING_RETRY_MS, waitingRow, type AbsentTarget } from '../distributions/waiting.js'
import { errorMessage, fail, ok, type Result } from '../../../common/result.js'
import { parseOfferReply, PROTOCOL, type Member, type Offer, type Report } from '../protocol/messages.js'
import { signOffer } from '../protocol/offer-signature.js'
import { checkReceipt, sameReceipt } from '../protocol/receipt.js'
import type { Metainfo } from '../torrent/metainfo.js'
import { CREATED_BY } from '../version.js'
import { everyoneHadIt, staleBatchMessage } from '../engine/source-stamp.js'
import type { NodeContext } from './context.js'
import { memberAddresses } from './members.js'
import type { HashingEvent } from './events.js'
import { MemberLiveness, PROBE_TIMEOUT_MS, SILENCE_MS, WATCHED_STATES, type WatchedMember } from './member-liveness.js'
import { isNewerReport } from './report-order.js'
import { SETTLED_STATES } from './swarm-views.js'
import type { RelayedState, SwarmView } from '../protocol/swarm-view.js'
import { WITHDRAWN_REASON } from '../protocol/withdrawal.js'

/** How long a path just hashed is taken as it is when created again with no file changed. */
const REUSE_MS = 60_000
/** How long a withdrawal waits for each machine it tells (all at once): one away must not hold it up. */
const WITHDRAW_TIMEOUT_MS = 5_000
/**
 * Rows with nothing to be told when the distribution is withdrawn: a verified copy is its machine's
 * own; a decline, a waiting machine and an offer that never got through left nothing there.
 */
const NOTHING_THERE: readonly RecipientStatus['state'][] = ['verified', 'declined', 'waiting', 'unreachable']

export class Origin {
  private readonly jobs = new Map<string, HashingEvent>()
  /** Creations under way, by absolute path. */
  private readonly creating = new Map<string, Promise<Result<OriginRecord>>>()
  /** The last creation of each absolute path and when it ended. */
  private readonly created = new Map<string, { readonly infoHash: string, readonly at: number }>()
  private readonly liveness: MemberLiveness
  private readonly retries = new RetryGate()
  private readonly waitingTimer: NodeJS.Timeout

  constructor (private readonly ctx: NodeContext) {
    // A waiting machine is offered the file when discovery sees it (offerWaiting(id)); this sweep
    // catches one whose first offer did not get through, and one seen before its record resumed.
    this.waitingTimer = setInterval(() => this.offerWaiting(), WAITING_RETRY_MS)
    this.waitingTimer.unref()
    this.liveness = new MemberLiveness({
      members: () => this.watchedMembers(),
      probe: async m => await this.probe(m),
      lost: (m, since) => { this.background(m.state === 'verified' ? this.markOffline(m.infoHash, m.id, since) : this.markLost(m.infoHash, m.id, since)) }
    })
    ctx.engine.on('source-changed', (ih, reason) => {
      this.markStale(ih, reason).catch((err: unknown) => ctx.events.emit('warning', errorMessage(err)))
    })
    // Its connections closed: asked now, so a killed recipient is shown lost in about a second
    // instead of after SILENCE_MS.
    ctx.engine.on('member-disconnected', (ih, id) => {
      if (this.ctx.registry.get(ih)?.role === 'origin') this.liveness.askNow(ih, id)
    })
  }

  /** The engine stopped serving a source that changed: the record says so, for good. */
  private async markStale (infoHash: string, reason: string): Promise<void> {
    if (this.ctx.registry.get(infoHash)?.role !== 'origin') return
    const record = await this.ctx.registry.update<OriginRecord>(infoHash, r => ({ ...r, state: 'stale', reason }))
    // A watched folder's batch is told in its own words (the record keeps the engine's; views word it the same).
    const told = record?.channel !== undefined ? staleBatchMessage(reason, everyoneHadIt(record.recipients)) : reason
    if (record) this.ctx.events.emit('stale', { infoHash, name: record.name, reason: told })
  }

  hashingJobs (): HashingEvent[] { return [...this.jobs.values()] }

  /**
   * `jobId` names the hashing job in events; a caller that must answer at once picks it. A path
   * being hashed is not hashed twice: a second create joins the first (`send --all` starts hashing
   * while it waits for discovery, then sends the same path), and one made in the last
   * REUSE_MS whose files all keep their size and mtime is the same distribution.
   */
  async create (path: string, jobId: string = randomUUID()): Promise<Result<OriginRecord>> {
    const key = resolve(path)
    const running = this.creating.get(key)
    if (running !== undefined) return await running
    const work = (async (): Promise<Result<OriginRecord>> => {
      const recent = await this.recentlyCreated(key)
      if (recent !== undefined) return ok(recent)
      const r = await this.createFrom(path, jobId)
      if (r.ok) {
        for (const [p, c] of this.created) if (Date.now() - c.at > REUSE_MS) this.created.delete(p)
        this.created.set(key, { infoHash: r.value.infoHash, at: Date.now() })
      }
      return r
    })().finally(() => { this.creating.delete(key) })
    this.creating.set(key, work)
    return await work
  }

  /** The record `create` made of `path` moments ago, if it is served and none of its files changed since. */
  private async recentlyCreated (path: string): Promise<OriginRecord | undefined> {
    const made = this.created.get(path)
    if (made === undefined) return undefined
    this.created.delete(path)
    const record = this.ctx.registry.get(made.infoHash)
    if (Date.now() - made.at > REUSE_MS || record?.role !== 'origin' || record.state === 'stale' || !this.ctx.engine.has(record.infoHash)) return undefined
    const scanned = await scanSource(path)
    if (!scanned.ok || scanned.value.entries.length !== record.sources.length) return undefined
    const same = scanned.value.entries.every((e, i) => {
      const s = record.sources[i]
      return s !== undefined && s.absolutePath === e.absolutePath && s.length === e.length && s.mtimeMs === e.mtimeMs
    })
    if (!same) return undefined
    this.created.set(path, made)
    return record
  }

  /** A channel's batch: the listed files of its folder, as one distribution marked with the channel. */
  async createBatch (source: Source, channel: string, jobId: string = randomUUID()): Promise<Result<OriginRecord>> {
    return this.createFrom(source, jobId, channel)
  }

  private async createFrom (input: string | Source, jobId: string, channel?: string): Promise<Result<OriginRecord>> {
    const path = typeof input === 'string' ? input : join(input.parentDir, input.name)
    let lastEmit = 0
    const job = (bytesDone: number, bytesTotal: number): void => {
      const e = { jobId, path, bytesDone, bytesTotal }
      this.jobs.set(jobId, e)
      const now = Date.now()
      if (now - lastEmit >= 250 || bytesDone === bytesTotal) { lastEmit = now; this.ctx.events.emit('hashing', e) }
    }
    const hashOpts = {
      createdBy: CREATED_BY,
      onScanned: (s: Source) => job(0, s.totalLength),
      onProgress: (p: HashProgress) => job(p.bytesDone, p.bytesTotal)
    }
    const created = typeof input === 'string' ? await createDistribution(input, hashOpts) : await createFromSource(input, hashOpts)
    this.jobs.delete(jobId)
    if (!created.ok) return created
    const { metainfo, source, sha256 } = created.value
    const existing = this.ctx.registry.get(metainfo.infoHash)
    if (existing?.role === 'origin' && this.ctx.engine.has(metainfo.infoHash)) return ok(existing)
    const record: OriginRecord = {
      role: 'origin',
      ...describedBy(metainfo, sha256),
      state: 'seeding',
      parentDir: source.parentDir,
      sources: source.entries.map(e => ({ absolutePath: e.absolutePath, length: e.length, mtimeMs: e.mtimeMs, ctimeMs: e.ctimeMs })),
      recipients: existing?.role === 'origin' ? existing.recipients : [],
      members: existing?.role === 'origin' ? existing.members : [],
      ...(channel !== undefined ? { channel } : {})
    }
    await this.ctx.registry.saveTorrent(metainfo)
    await this.ctx.registry.put(record)
    const seeded = this.seed(record, metainfo)
    if (!seeded.ok) return seeded
    this.ctx.events.emit('distribution-created', { infoHash: record.infoHash, name: record.name, totalLength: record.totalLength, sha256, seconds: created.value.seconds })
    return ok(record)
  }

  /** Starts serving an origin record; refuses (and marks stale) if a source file changed. */
  async resume (record: OriginRecord, metainfo: Metainfo): Promise<Result<void>> {
    for (const s of record.sources) {
      const st = await stat(s.absolutePath).catch(() => undefined)
      if (!st || st.size !== s.length || Math.abs(st.mtimeMs - s.mtimeMs) > 1) {
        const reason = st ? `${s.absolutePath} changed since it was shared` : `${s.absolutePath} is missing`
        await this.ctx.registry.update<OriginRecord>(record.infoHash, r => ({ ...r, state: 'stale', reason }))
        return fail('stale', reason)
      }
    }
    return this.seed(record, metainfo)
  }

  /**
   * A stale watched-folder batch whose files are back as they were hashed (same path, size, mtime
   * and ctime: a folder renamed away and back) is served again as it was, its rows kept, instead of
   * being hashed again. A file whose ctime moved is refused: the caller hashes it again (content).
   */
  async revive (infoHash: string): Promise<Result<void>> {
    const record = this.ctx.registry.get(infoHash)
    if (record?.role !== 'origin' || record.state !== 'stale') return fail('conflict', `${infoHash} is not a stale distribution of this device`)
    for (const s of record.sources) {
      const st = await stat(s.absolutePath).catch(() => undefined)
      if (st === undefined) return fail('missing', `${s.absolutePath} is missing`)
      const ctimeMoved = typeof s.ctimeMs === 'number' && Math.abs(st.ctimeMs - s.ctimeMs) > 1
      if (st.size !== s.length || Math.abs(st.mtimeMs - s.mtimeMs) > 1 || ctimeMoved) return fail('changed', `${s.absolutePath} changed since it was shared`)
    }
    const torrent = await this.ctx.registry.loadTorrent(infoHash)
    if (!torrent.ok) return torrent
    const revived = await this.ctx.registry.update<OriginRecord>(infoHash, r => {
      const { reason: _reason, ...rest } = r
      return { ...rest, state: 'seeding' }
    })
    if (revived === undefined) return fail('unknown-distribution', `${infoHash} is no longer listed`)
    return this.seed(revived, torrent.value)
  }

  private seed (record: OriginRecord, metainfo: Metainfo): Result<void> {
    const targets = metainfo.files.map((f, i) => ({ path: record.sources[i]?.absolutePath ?? '', length: f.length, offset: f.offset }))
    return this.ctx.engine.seed({
      metainfo,
      targets,
      schedule: { role: 'origin' },
      members: memberAddresses(record.members),
      guard: { mtimesMs: record.sources.map(s => s.mtimeMs), ctimesMs: record.sources.map(s => typeof s.ctimeMs === 'number' ? s.ctimeMs : undefined) }
    })
  }

  /** Offers a distribution to the given devices (all must be on the LAN now). */
  async offer (infoHash: string, peers: readonly Peer[]): Promise<Result<readonly RecipientStatus[]>> {
    const record = this.ctx.registry.get(infoHash)
    if (record?.role !== 'origin') return fail('unknown-distribution', `no distribution ${infoHash} to offer`)
    if (record.state === 'stale') return fail('stale', `${record.name} cannot be offered: ${record.reason ?? 'its source changed'}`)
    const torrent = await this.ctx.registry.torrentBytes(infoHash)
    if (!torrent.ok) return torrent
    const me = this.ctx.identity
    const settings = this.ctx.settings()
    // Adverts prove nothing: each recipient is the address, among those claiming its id, that
    // proves its key. Only those become members, so an impostor's address never joins the swarm.
    const located = await Promise.all(peers.map(async p => ({ asked: p, at: await this.locate(p) })))
    const found = located.flatMap(l => l.at.ok ? [l.at.value] : [])
    const previous = record.members.filter(m => m.id !== me.id && !peers.some(p => p.id === m.id))
    const members: Member[] = [
      { id: me.id, name: settings.name, address: null, btPort: this.ctx.engine.port },
      ...previous,
      ...found.map(p => ({ id: p.id, name: p.name, address: p.address, btPort: p.btPort }))
    ]
    const offer: Offer = signOffer(me, {
      protocol: PROTOCOL,
      offerId: randomUUID(),
      sender: { id: me.id, name: settings.name, publicKey: me.publicKeyPem, controlPort: this.ctx.controlPort(), btPort: this.ctx.engine.port },
      infoHash,
      name: record.name,
      totalLength: record.totalLength,
      sha256: record.sha256,
      // Empty: recipients use the torrent's list (messages.ts, Offer.files).
      files: [],
      torrent: torrent.value.toString('base64'),
      members,
      createdAt: new Date().toISOString(),
      ...(record.channel !== undefined ? { channel: { id: record.channel } } : {})
    })
    const now = (): string => new Date().toISOString()
    const fresh = located.map(({ asked, at }) => at.ok ? at.value : asked).map((p): RecipientStatus => ({
      id: p.id, name: p.name, address: p.address, controlPort: p.controlPort, state: 'offering', verifiedPieces: 0, verifiedBytes: 0, downloadSpeed: 0, uploadedBytes: 0, hashFailures: 0, updatedAt: now()
    }))
    await this.ctx.registry.update<OriginRecord>(infoHash, r => ({
      ...r,
      members,
      recipients: [...r.recipients.filter(x => !peers.some(p => p.id === x.id)), ...fresh]
    }))
    // Withdrawn while the machines were located: nothing is offered any more.
    if (this.ctx.registry.get(infoHash)?.role !== 'origin') return fail('unknown-distribution', `${record.name} was withdrawn`)
    this.ctx.engine.setMembers(infoHash, memberAddresses(members))
    const results = await Promise.all(located.map(async ({ asked, at }): Promise<RecipientStatus> => {
      const base = fresh.find(f => f.id === asked.id) as RecipientStatus
      if (!at.ok) return at.error.code === 'key-mismatch' ? { ...base, state: 'failed', reason: at.error.message, updatedAt: now() } : this.notReached(asked, at.error.message)
      const p = at.value
      const sent = await this.ctx.channel.request(p, 'POST', '/v1/offers', offer, { timeoutMs: 15_000 })
      if (!sent.ok) return this.notReached(p, sent.error.message)
      if (sent.value.status !== 200) return { ...base, state: 'failed', reason: errorBodyMessage(sent.value), updatedAt: now() }
      const reply = parseOfferReply(sent.value.body)
      if (!reply.ok) return { ...base, state: 'failed', reason: reply.error.message, updatedAt: now() }
      const state = reply.value.decision
      return { ...base, state, ...(reply.value.reason ? { reason: reply.value.reason } : {}), updatedAt: now() }
    }))
    for (const r of results) await this.applyOfferOutcome(infoHash, r)
    const after = this.ctx.registry.get(infoHash)
    return ok(after?.role === 'origin' ? results.map(r => after.recipients.find(x => x.id === r.id) ?? r) : results)
  }

  /**
   * Keeps machines that are not on the network now as recipients waiting for the file (persisted
   * with the record); a machine that has the file already, or resumes by itself, keeps its row.
   */
  async keepWaiting (infoHash: string, targets: readonly AbsentTarget[]): Promise<Result<readonly RecipientStatus[]>> {
    const record = this.ctx.registry.get(infoHash)
    if (record?.role !== 'origin') return fail('unknown-distribution', `no distribution ${infoHash} to offer`)
    if (record.state === 'stale') return fail('stale', `${record.name} cannot be offered: ${record.reason ?? 'its source changed'}`)
    const now = new Date()
    const rows = targets.map(t => {
      const current = record.recipients.find(x => x.id === t.id)
      return current !== undefined && keepsItsRow(current) ? current : waitingRow(t, now)
    })
    const updated = await this.ctx.registry.update<OriginRecord>(infoHash, r => ({
      ...r,
      recipients: [...r.recipients.filter(x => !rows.some(w => w.id === x.id)), ...rows]
    }))
    for (const w of rows) this.ctx.events.emit('recipient-update', { infoHash, name: updated?.name ?? record.name, recipient: w })
    return ok(rows)
  }

  /**
   * Offers each waiting distribution to its machines that discovery sees now; with `id`, that
   * machine just appeared. An offer that does not get through leaves it waiting, tried again later.
   */
  offerWaiting (id?: string): void {
    const due = new Set<string>()
    for (const r of this.ctx.registry.list()) {
      if (r.role !== 'origin' || r.state === 'stale' || !this.ctx.engine.has(r.infoHash)) continue
      for (const x of r.recipients) {
        if (x.state !== 'waiting') continue
        due.add(`${r.infoHash}:${x.id}`)
        if (id !== undefined && x.id !== id) continue
        const peer = this.ctx.discovery.get(x.id)
        if (!peer || !this.retries.take(r.infoHash, x.id, id !== undefined)) continue
        this.background(this.offerAgain(r.infoHash, peer).finally(() => this.retries.release(r.infoHash, x.id)))
      }
    }
    if (id === undefined) this.retries.keepOnly(due)
  }

  private async offerAgain (infoHash: string, peer: Peer): Promise<void> {
    const before = this.ctx.registry.get(infoHash)
    const was = before?.role === 'origin' ? before.recipients.find(x => x.id === peer.id) : undefined
    if (was?.state !== 'waiting') return
    const sent = await this.offer(infoHash, [peer])
    const outcome = sent.ok ? sent.value.find(x => x.id === peer.id) : undefined
    // Not reached after all (its control port not up yet, or it went again): it keeps waiting, since then.
    if (!sent.ok || outcome?.state === 'waiting') {
      const row = sent.ok && outcome !== undefined ? outcome : this.notReached(peer, sent.ok ? 'not reached' : sent.error.message)
      await this.setRecipient(infoHash, { ...row, waitingSince: was.waitingSince ?? was.updatedAt }, true)
    }
  }

  /**
   * A machine listed on the network that an offer did not reach (its agent just killed, its cable
   * pulled, a port closed): it waits like one off the network, offered again when it is seen again,
   * instead of being counted as a machine that will not get the file. Discovery is told: a machine
   * that died answers no query, and is listed as gone within seconds.
   */
  private notReached (p: Peer, why: string): RecipientStatus {
    this.ctx.discovery.suspect(p.id)
    return waitingRow(p, new Date(), `not reached now (${why}); offered again when it is back`)
  }

  /**
   * The answer to an offer, unless a report overtook it: a recipient that holds the file already,
   * or a small one, may report "verified" before the offer's own reply is written here.
   */
  private async applyOfferOutcome (infoHash: string, outcome: RecipientStatus): Promise<void> {
    const record = this.ctx.registry.get(infoHash)
    const current = record?.role === 'origin' ? record.recipients.find(x => x.id === outcome.id) : undefined
    if (current && current.state !== 'offering') return
    await this.setRecipient(infoHash, outcome, true)
  }

  /**
   * The advert for `p` whose address answers with p's key (a TLS handshake with each address that
   * claims the id); a mismatch is also a warning, and `key-mismatch` when no address holds the key.
   */
  private async locate (p: Peer): Promise<Result<Peer>> {
    const claims = this.ctx.discovery.candidates(p.id)
    const unique = [...new Map([p, ...claims].map(c => [`${c.address}:${c.controlPort}`, c])).values()]
    const tried = await Promise.all(unique.map(async c => ({ c, r: await this.ctx.channel.verify({ id: p.id, name: p.name, address: c.address, controlPort: c.controlPort }) })))
    const good = tried.find(t => t.r.ok)
    if (good) return ok({ ...good.c, name: p.name })
    const failure = tried.map(t => t.r).find(r => !r.ok && r.error.code === 'key-mismatch') ?? tried[0]?.r
    return failure && !failure.ok ? failure : fail('unreachable', `device ${p.name} is not on the network now`)
  }

  /**
   * A recipient's report: accepted only from a device the distribution was offered to, and only
   * when newer than what is known (report-order.ts). Answers with the swarm as this device sees it.
   */
  async report (report: Report, remoteAddress: string): Promise<Result<SwarmView>> {
    const record = this.ctx.registry.get(report.infoHash)
    if (record?.role !== 'origin') return fail('unknown-distribution', `no distribution ${report.infoHash} here`)
    const current = record.recipients.find(r => r.id === report.from)
    if (!current) return fail('forbidden', `device ${report.from} was not offered ${record.name}`)
    if (current.address !== remoteAddress) return fail('forbidden', `report for ${current.name} came from ${remoteAddress}, not ${current.address}`)
    this.liveness.heardFrom(report.infoHash, report.from)
    // The schedule spares slow members (engine/member-rates.ts): it learns their rates from here.
    this.ctx.engine.setMemberRate(report.infoHash, remoteAddress, report.state === 'downloading' ? report.downloadSpeed : 0)
    // A receipt is kept only when it is the reporter's own, about this very copy (receipt.ts).
    if (report.receipt !== undefined && report.state !== 'verified') return fail('bad-request', `report.receipt comes only with state verified, not ${report.state}`)
    // The very receipt kept already (a heartbeat repeats it) was checked when it was kept.
    if (report.receipt !== undefined && !sameReceipt(report.receipt, current.receipt)) {
      const receipt = checkReceipt(report.receipt, { infoHash: record.infoHash, sha256: record.sha256, deviceId: report.from, bytes: record.totalLength })
      if (!receipt.ok) return fail(receipt.error.code, `receipt refused: ${receipt.error.message}`)
    }
    if (!isNewerReport(current, report)) return ok(this.swarmView(report.infoHash))
    // Any report means it is back: a verified copy marked offline is shown online again, whatever the report's order.
    if (current.offlineSince !== undefined) await this.markBack(report.infoHash, report.from)
    const { lostSince: _lost, reason: _reason, offlineSince: _offline, ...kept } = current
    const next: RecipientStatus = {
      ...kept,
      state: report.state,
      verifiedPieces: report.verifiedPieces,
      verifiedBytes: report.verifiedBytes,
      downloadSpeed: report.downloadSpeed,
      uploadedBytes: report.uploadedBytes,
      hashFailures: report.hashFailures,
      ...(report.seq !== undefined ? { seq: report.seq } : {}),
      ...(report.sha256 ? { sha256: report.sha256 } : {}),
      ...(report.bitfield ? { bitfield: report.bitfield } : {}),
      ...(report.reason ? { reason: report.reason } : {}),
      ...(report.alreadyHad === true || (current.alreadyHad === true && report.state === 'verified') ? { alreadyHad: true } : {}),
      ...(report.receipt !== undefined ? { receipt: report.receipt } : {}),
      updatedAt: new Date().toISOString()
    }
    await this.setRecipient(report.infoHash, next, next.state !== current.state)
    return ok(this.swarmView(report.infoHash))
  }

  /**
   * Takes a distribution back: no longer served nor offered, and every machine that has not
   * finished it told to stop (POST /v1/withdraw, all at once, each bounded in time). The source
   * files are not touched; the history keeps each machine's row. Answers how many were told.
   */
  async withdraw (infoHash: string): Promise<Result<{ readonly name: string; readonly told: number; readonly unreached: number }>> {
    const record = this.ctx.registry.get(infoHash)
    if (record?.role !== 'origin') return fail('unknown-distribution', `no distribution ${infoHash} sent from here`)
    await this.ctx.engine.remove(infoHash)
    // Gone from the registry before anyone is told: no waiting machine is offered it meanwhile,
    // and a report that comes now is answered that the distribution is unknown.
    await this.ctx.registry.remove(infoHash)
    const toTell = record.recipients.filter(r => !NOTHING_THERE.includes(r.state))
    const answers = await Promise.all(toTell.map(async r => await this.tellWithdrawn(infoHash, r)))
    // The history keeps what happened to each machine that had not finished (history-recorder.ts).
    const now = new Date().toISOString()
    for (const r of record.recipients) {
      // A settled row (verified, declined, failed, …) says already how it ended.
      if (SETTLED_STATES.includes(r.state)) continue
      this.ctx.events.emit('recipient-update', { infoHash, name: record.name, recipient: { ...r, state: 'failed', downloadSpeed: 0, reason: WITHDRAWN_REASON, updatedAt: now } })
    }
    const told = answers.filter(Boolean).length
    return ok({ name: record.name, told, unreached: toTell.length - told })
  }

  /** Tells one machine the distribution is withdrawn; true when it answered (done, or nothing of it there). */
  private async tellWithdrawn (infoHash: string, r: RecipientStatus): Promise<boolean> {
    const controlPort = r.controlPort ?? this.ctx.discovery.get(r.id)?.controlPort
    if (controlPort === undefined) return false
    const sent = await this.ctx.channel.request({ id: r.id, name: r.name, address: r.address, controlPort }, 'POST', '/v1/withdraw', { protocol: PROTOCOL, infoHash }, { timeoutMs: WITHDRAW_TIMEOUT_MS })
    if (!sent.ok) return false
    if (sent.value.status === 200 || sent.value.status === 404) return true
    this.ctx.events.emit('warning', `${r.name} refused the withdrawal of ${infoHash.slice(0, 8)}: ${errorBodyMessage(sent.value)}`)
    return false
  }

  /** Every recipient's state as this device knows it, for the members (swarm-view.ts). */
  swarmView (infoHash: string): SwarmView {
    const record = this.ctx.registry.get(infoHash)
    const recipients = record?.role === 'origin' ? record.recipients : []
    const members = record?.role === 'origin' ? record.members : []
    /** Where a member takes part, so that one admitted late is admitted by the others too. */
    const at = (id: string): { address: string; btPort: number } | undefined => {
      const m = members.find(x => x.id === id)
      return m !== undefined && m.address !== null ? { address: m.address, btPort: m.btPort } : undefined
    }
    return {
      protocol: PROTOCOL,
      infoHash,
      // A machine waiting to be offered the file is no member yet (and older peers do not know the state).
      members: recipients.filter((r): r is RecipientStatus & { readonly state: RelayedState } => r.state !== 'waiting').map(r => ({
        id: r.id,
        name: r.name,
        state: r.state,
        verifiedPieces: r.verifiedPieces,
        verifiedBytes: r.verifiedBytes,
        downloadSpeed: r.state === 'lost' ? 0 : r.downloadSpeed,
        hashFailures: r.hashFailures,
        seq: r.seq ?? 0,
        ...(r.lostSince !== undefined ? { lostSince: r.lostSince } : {}),
        ...(r.offlineSince !== undefined && r.state === 'verified' ? { offlineSince: r.offlineSince } : {}),
        ...(r.alreadyHad === true ? { alreadyHad: true } : {}),
        ...(r.reason !== undefined ? { reason: r.reason } : {}),
        ...at(r.id)
      }))
    }
  }

  /**
   * The device left the LAN (an mDNS goodbye or silence): whoever of it was still expected is lost,
   * and its verified copies are marked offline.
   */
  deviceGone (id: string): void {
    for (const m of this.watchedMembers()) {
      if (m.id !== id) continue
      const since = this.liveness.lastHeard(m.infoHash, id) ?? Date.now()
      this.background(m.state === 'verified' ? this.markOffline(m.infoHash, id, since) : this.markLost(m.infoHash, id, since))
    }
  }

  /** The device is seen on the LAN again: its verified copies marked offline are shown online again. */
  deviceBack (id: string): void {
    for (const r of this.ctx.registry.list()) {
      if (r.role !== 'origin') continue
      if (r.recipients.some(x => x.id === id && x.offlineSince !== undefined)) this.background(this.markBack(r.infoHash, id))
    }
  }

  stop (): void {
    this.liveness.stop()
    clearInterval(this.waitingTimer)
  }

  /** Members expected to be there: those on their way, and verified copies not already marked offline. */
  private watchedMembers (): WatchedMember[] {
    return this.ctx.registry.list().flatMap(r => r.role !== 'origin'
      ? []
      : r.recipients.filter(x => WATCHED_STATES.includes(x.state) || (x.state === 'verified' && x.offlineSince === undefined)).map(x => ({ infoHash: r.infoHash, id: x.id, state: x.state })))
  }

  private async probe (m: WatchedMember): Promise<boolean> {
    const record = this.ctx.registry.get(m.infoHash)
    const x = record?.role === 'origin' ? record.recipients.find(r => r.id === m.id) : undefined
    if (!x) return true
    // A verified copy with a proven BitTorrent connection is there (a killed process's connection
    // closes at once): no control-port question then, once every member is done. While another is
    // still on its way the verified copy reports every 2 s, so its silence says more, and a frozen
    // machine (a laptop whose lid was shut) keeps its connection open while the others wait on it.
    // (A machine waiting to be offered the file is no member yet: the copies do not report faster for it.)
    const othersDone = record?.role === 'origin' && record.recipients.every(r => r.id === m.id || r.state === 'waiting' || SETTLED_STATES.includes(r.state))
    if (m.state === 'verified' && othersDone && this.ctx.engine.stats(m.infoHash)?.peers.some(p => p.member === m.id) === true) return true
    // A machine too busy to report in time (20 agents on two cores) still sends HAVEs and requests:
    // it is there, and a lost row now would be untrue (and would close its silent connections).
    if (m.state !== 'verified' && this.ctx.engine.heardFrom(m.infoHash, x.address, SILENCE_MS)) return true
    const controlPort = x.controlPort ?? this.ctx.discovery.get(m.id)?.controlPort
    if (controlPort === undefined) return false
    const r = await this.ctx.channel.verify({ id: x.id, name: x.name, address: x.address, controlPort }, PROBE_TIMEOUT_MS)
    return r.ok
  }

  private async markLost (infoHash: string, id: string, since: number): Promise<void> {
    const record = this.ctx.registry.get(infoHash)
    const current = record?.role === 'origin' ? record.recipients.find(r => r.id === id) : undefined
    if (!current || !WATCHED_STATES.includes(current.state)) return
    // The reason of the state it was in (out of space, say) is not why it is lost: it goes.
    const { reason: _before, ...rest } = current
    const lost: RecipientStatus = { ...rest, state: 'lost', downloadSpeed: 0, lostSince: new Date(since).toISOString(), updatedAt: new Date().toISOString() }
    // Its pieces and the blocks asked of it go to the others now (the members learn it from the swarm view).
    this.ctx.engine.dropMember(infoHash, current.address)
    await this.setRecipient(infoHash, lost, true)
  }

  /** A verified copy whose device went away: still verified, marked offline since `since`. */
  private async markOffline (infoHash: string, id: string, since: number): Promise<void> {
    const record = this.ctx.registry.get(infoHash)
    const current = record?.role === 'origin' ? record.recipients.find(r => r.id === id) : undefined
    if (current?.state !== 'verified' || current.offlineSince !== undefined) return
    // Whoever still needs a piece gets it from the others (see markLost).
    this.ctx.engine.dropMember(infoHash, current.address)
    await this.setRecipient(infoHash, { ...current, offlineSince: new Date(since).toISOString(), updatedAt: new Date().toISOString() }, true)
  }

  /** It is back (it reported, or discovery sees it again): the offline mark goes. */
  private async markBack (infoHash: string, id: string): Promise<void> {
    const record = this.ctx.registry.get(infoHash)
    const current = record?.role === 'origin' ? record.recipients.find(r => r.id === id) : undefined
    if (current?.offlineSince === undefined) return
    const { offlineSince: _offline, ...back } = current
    // Heard from it now: the liveness clock restarts, so it is not asked about at once.
    this.liveness.heardFrom(infoHash, id)
    await this.setRecipient(infoHash, { ...back, updatedAt: new Date().toISOString() }, true)
  }

  private background (work: Promise<unknown>): void {
    work.catch((err: unknown) => this.ctx.events.emit('warning', errorMessage(err)))
  }

  private async setRecipient (infoHash: string, status: RecipientStatus, persist: boolean): Promise<void> {
    // The registry changes its record in memory before it writes: the event goes out in the order of
    // the changes, not in the order the (slower, persisted) writes finish.
    const saved = this.ctx.registry.update<OriginRecord>(infoHash, r => ({
      ...r,
      recipients: r.recipients.map(x => x.id === status.id ? status : x)
    }), persist)
    const updated = this.ctx.registry.get(infoHash)
    if (updated?.role === 'origin') this.ctx.events.emit('recipient-update', { infoHash, name: updated.name, recipient: status })
    await saved
  }
}
