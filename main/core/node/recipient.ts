// The receiving half of a device: judges incoming offers by policy, downloads accepted ones as
// NAME.part while reporting to the sender, re-checks the whole SHA-256 at the end, renames to
// NAME, and keeps seeding to the other members.
import { statSync } from 'node:fs'
import { mkdir, rm, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { PeerEndpoint } from '../control/peer-client.js'
import { errorBodyCode } from '../control/http-client.js'
import { deliverWithRetry, FINAL_REPORT_BACKOFF_MS, FINAL_REPORT_STATES } from './report-delivery.js'
import { targetsFor, unusedName, verifyAndPlace } from '../distributions/finish.js'
import { wholePieces } from '../distributions/written-pieces.js'
import { freshBitfield } from '../distributions/fresh-start.js'
import { describedBy, type RecipientRecord } from '../distributions/records.js'
import type { FileStoreTarget } from '../engine/file-store.js'
import { copyChangedMessage } from '../engine/source-stamp.js'
import { errnoCode, errorMessage, fail, ok, type Result } from '../../../common/result.js'
import { PROTOCOL, type Member, type Offer, type OfferReply, type Report, type ReportState } from '../protocol/messages.js'
import type { PieceJournal } from '../store/piece-journal.js'
import { contentSha256 } from '../torrent/content-hash.js'
import { parseTorrentFile, type Metainfo } from '../torrent/metainfo.js'
import type { NodeContext } from './context.js'
import { memberAddresses } from './members.js'
import type { DownloadEnd, OfferSummary } from './events.js'
import { RefusalLog } from '../control/refusal-log.js'
import { roomToWait } from './pending-limits.js'
import { ReportSequence } from './report-order.js'
import { SwarmViews, type HeardSwarm } from './swarm-views.js'
import { parseSwarmView, type SwarmView } from '../protocol/swarm-view.js'
import { acceptFilesReason, acceptSpaceReason, filesNotStarted, noSpaceReason, spaceNeeded, type Need, type Room } from './space.js'
import { freeRoom, SpaceWatch } from './space-watch.js'
import { fileSizeLimit, folderProblem, tooLarge } from './folder-access.js'
import { unwritable } from '../engine/disk-errors.js'
import { ownReceipt } from '../history/own-receipt.js'
import { deleteCopy, deletePartial, partialPath } from '../distributions/discard.js'
import { WITHDRAWN_REASON, type WithdrawalAnswer } from '../protocol/withdrawal.js'
import { formatBytes } from '../../../common/units.js'

interface PendingOffer { readonly offer: Offer; readonly metainfo: Metainfo; readonly summary: OfferSummary; readonly timer: NodeJS.Timeout }

interface Active {
  readonly record: () => RecipientRecord
  readonly metainfo: Metainfo
  readonly journal: PieceJournal
  readonly timer: NodeJS.Timeout
  lastReport: number
  /**
   * A periodic report is on its way: the next waits for it. Under load (20 members on two cores)
   * an answer can take longer than the interval, and a second report meanwhile would open a second
   * TLS connection to the sender, costing both sides a handshake each second.
   */
  reporting: boolean
  ticks: number
  /** Cancelled or withdrawn: a final check still under way must not place the copy. */
  cancelled: boolean
  /** A look at the staging data is under way (one at a time). */
  checkingStaging: boolean
}

/** What a person's `remove` did on this device (a recipient's part of RemoveReply). */
export interface RecipientRemoval {
  readonly outcome: 'cancelled' | 'removed'
  /** 1 when the sender heard of a cancel. */
  readonly told: number
  readonly deletedBytes: number
}

/** A second sweep of a cancelled download's staging path: a file open under way when it stopped may have created it again. */
const SWEEP_AGAIN_MS = 2_000

const PENDING_OFFER_TTL_MS = 10 * 60_000
const REPORT_INTERVAL_MS = 1_000
const MESH_INTERVAL_MS = 3_000
/** Longest path the operating system takes (Linux PATH_MAX 4096 with its NUL; macOS 1024). */
const PATH_LIMIT = process.platform === 'darwin' ? 1023 : 4095

/**
 * The longest path a download would write: a file of the torrent inside its staging folder `part`
 * (`NAME.part`, or a watched folder's staging folder). Measured component by component (the parser
 * refused empty, "." and ".." components, so joining adds one separator each): joining and
 * measuring 50,000 whole paths took a recipient 0.4 s per offer.
 */
function longestPath (dir: string, partName: string, m: Metainfo): string {
  const part = join(dir, partName)
  if (!m.isFolder) return part
  let longest: readonly string[] | undefined
  let most = 0
  for (const f of m.files) {
    let bytes = 0
    for (const c of f.path) bytes += Buffer.byteLength(c) + 1
    if (bytes > most) { most = bytes; longest = f.path }
  }
  return longest === undefined ? part : join(part, ...longest)
}

/** How often at most a knock by a machine not listed makes a verified copy ask its sender for the members. */
const KNOCK_ASK_MS = 5_000

export class Recipient {
  private readonly pending = new Map<string, PendingOffer>()
  private readonly active = new Map<string, Active>()
  /** Downloads stopped by a full disk, waiting for room. */
  private readonly space = new SpaceWatch()
  private stopped = false
  /** Orders this device's reports (report-order.ts). */
  private readonly seq = new ReportSequence()
  /** What each distribution's sender last said about every member. */
  readonly views = new SwarmViews(() => this.stopped, ih => this.heartbeat(ih))
  /** Refused offers are logged once per sender a minute, not once per request. */
  private readonly refusals: RefusalLog
  /** When the sender was last asked because a stranger knocked, by distribution (one entry per held distribution at most). */
  private readonly knocks = new Map<string, number>()
  /** Downloads being stopped and deleted now (discard): one at a time each. */
  private readonly discarding = new Set<string>()

  constructor (private readonly ctx: NodeContext) {
    this.refusals = new RefusalLog(m => ctx.events.emit('warning', m))
    ctx.engine.on('no-space', ih => { this.background(this.onNoSpace(ih)) })
    ctx.engine.on('source-changed', (ih, reason) => { this.background(this.onCopyChanged(ih, reason)) })
    ctx.engine.on('verified', (ih, index) => {
      // A journal write can fail (its disk may be full too); that costs a refetch after a restart,
      // and must not throw into WebTorrent.
      try { this.active.get(ih)?.journal.record(index) } catch (err) { ctx.events.emit('warning', `piece journal: ${errorMessage(err)}`) }
    })
    ctx.engine.on('writing', (ih, index) => {
      try { this.active.get(ih)?.journal.begin(index) } catch (err) { ctx.events.emit('warning', `piece journal: ${errorMessage(err)}`) }
    })
    ctx.engine.on('ready', ih => { this.background(this.onReady(ih)) })
    ctx.engine.on('done', ih => { this.background(this.onDone(ih)) })
    ctx.engine.on('torrent-error', (ih, message) => { this.background(this.onEngineError(ih, message)) })
    ctx.engine.on('non-member', ih => { this.askAfterKnock(ih) })
  }

  /**
   * A machine this device does not list knocked on a distribution's swarm: it may be one the sender
   * admitted since (it was away when the file was sent). A verified copy reports only every 30 s
   * once all is settled; it asks the sender now instead (at most once per KNOCK_ASK_MS).
   */
  private askAfterKnock (ih: string): void {
    if (this.ctx.registry.get(ih)?.role !== 'recipient') return
    const now = Date.now()
    if (now - (this.knocks.get(ih) ?? 0) < KNOCK_ASK_MS) return
    this.knocks.set(ih, now)
    this.background(this.heartbeat(ih))
  }

  /** Work started from timers and events: a failure becomes a warning, never a crash. */
  private background (work: Promise<unknown>): void {
    work.catch((err: unknown) => this.ctx.events.emit('warning', errorMessage(err)))
  }

  pendingOffers (): OfferSummary[] { return [...this.pending.values()].map(p => p.summary) }

  /** An offer arrived from `remoteAddress`; answers at once (accepted, declined or pending). */
  async receive (offer: Offer, remoteAddress: string): Promise<Result<OfferReply>> {
    if (offer.protocol < PROTOCOL) return fail('old-protocol', `the sender runs an older Swarmdrop (protocol ${offer.protocol}); this device needs protocol ${PROTOCOL}: update Swarmdrop on the sender`)
    const checked = this.check(offer)
    if (!checked.ok) return checked
    const metainfo = checked.value
    const me = this.ctx.identity.id
    const summary: OfferSummary = {
      offerId: offer.offerId,
      infoHash: offer.infoHash,
      name: offer.name,
      totalLength: offer.totalLength,
      isFolder: metainfo.isFolder,
      fileCount: metainfo.files.length,
      largestFile: largestFile(metainfo),
      sha256: offer.sha256,
      sender: { id: offer.sender.id, name: offer.sender.name, address: remoteAddress },
      receivedAt: new Date().toISOString()
    }
    const existing = this.ctx.registry.get(offer.infoHash)
    if (existing?.role === 'origin') return ok({ decision: 'declined', reason: 'this device is the origin of that distribution' })
    const held = this.heldFrom(offer)
    if (!held.ok) return ok({ decision: 'declined', reason: held.error.message })
    if (!offer.members.some(m => m.id === me)) return fail('bad-request', 'this device is not a member of the offered swarm')

    // The same policy for every offer, a re-send of a file held here included: a person (or the
    // trust list) decides, never the offer alone.
    const policy = this.ctx.settings().accept
    const trusted = this.ctx.trust.has(offer.sender.id)
    if (policy === 'all' || (policy === 'trusted' && trusted)) {
      this.ctx.events.emit('offer-received', summary, 'accepted')
      const started = held.value ? await this.rejoin(held.value, offer, remoteAddress, summary) : await this.start(offer, metainfo, remoteAddress, summary)
      if (!started.ok) {
        this.ctx.events.emit('offer-declined', summary, started.error.message)
        return ok({ decision: 'declined', reason: started.error.message })
      }
      return ok({ decision: 'accepted' })
    }
    const waiting = [...this.pending.values()].map(p => ({ offerId: p.offer.offerId, senderId: p.offer.sender.id, torrentBytes: p.offer.torrent.length }))
    const room = roomToWait(waiting, { offerId: offer.offerId, senderId: offer.sender.id, torrentBytes: offer.torrent.length })
    if (!room.ok) {
      this.refusals.refused(room.error.code, offer.sender.id, `offer refused: ${offer.sender.name} (${remoteAddress}): ${room.error.message}`)
      return ok({ decision: 'declined', reason: room.error.message })
    }
    const timer = setTimeout(() => { this.background(this.decline(offer.offerId, 'nobody accepted the offer in time')) }, PENDING_OFFER_TTL_MS)
    timer.unref()
    this.pending.get(offer.offerId)?.timer.close()
    this.pending.set(offer.offerId, { offer, metainfo, summary, timer })
    this.ctx.events.emit('offer-received', summary, 'pending')
    return ok({ decision: 'pending' })
  }

  /**
   * The record this offer would continue, when this device already takes part in the distribution
   * (a re-send, or its sender restarted). Only the distribution's own sender may offer it again:
   * another device cannot rewrite who shares a file with this one.
   */
  private heldFrom (offer: Offer): Result<RecipientRecord | undefined> {
    const existing = this.ctx.registry.get(offer.infoHash)
    if (existing?.role !== 'recipient' || existing.state === 'failed' || existing.state === 'stale') return ok(undefined)
    if (existing.sender.id !== offer.sender.id) {
      return fail('forbidden', `this device already receives ${existing.name} from ${existing.sender.name}; only that device can offer it again`)
    }
    return ok(existing)
  }

  /**
   * Takes part again in a distribution this device already has (its own sender offered it again):
   * the members are the sender's new list, and where it stands is reported at once, so a re-send
   * of a verified copy completes now ("already had it").
   */
  private async rejoin (existing: RecipientRecord, offer: Offer, senderAddress: string, summary: OfferSummary): Promise<Result<RecipientRecord>> {
    const members = this.resolveMembers(offer, senderAddress)
    const updated = await this.ctx.registry.update<RecipientRecord>(offer.infoHash, r => ({
      ...r,
      members,
      offerId: offer.offerId,
      sender: { id: r.sender.id, name: offer.sender.name, address: senderAddress, controlPort: offer.sender.controlPort }
    }))
    this.ctx.engine.setMembers(offer.infoHash, memberAddresses(members))
    this.ctx.events.emit('offer-accepted', summary)
    if (existing.state === 'verified') {
      this.background(this.report(offer.infoHash, 'verified', undefined, true))
      this.views.watch(offer.infoHash)
    } else {
      this.dialMembers(offer.infoHash)
      this.background(this.report(offer.infoHash, reportable(existing.state)))
    }
    return ok(updated ?? existing)
  }

  async accept (offerId: string, opts: { downloadsDir?: string; alwaysTrust?: boolean } = {}): Promise<Result<RecipientRecord>> {
    const p = this.pending.get(offerId)
    if (!p) return fail('unknown-offer', `no pending offer ${offerId}`)
    const held = this.heldFrom(p.offer)
    if (!held.ok) return held
    if (opts.alwaysTrust) await this.ctx.trust.trust(p.offer.sender.id, p.offer.sender.name)
    const started = held.value
      ? await this.rejoin(held.value, p.offer, p.summary.sender.address, p.summary)
      : await this.start(p.offer, p.metainfo, p.summary.sender.address, p.summary, opts.downloadsDir)
    if (!started.ok) return started
    this.pending.delete(offerId)
    clearTimeout(p.timer)
    return started
  }

  async decline (offerId: string, reason = 'declined by the recipient'): Promise<Result<void>> {
    const p = this.pending.get(offerId)
    if (!p) return fail('unknown-offer', `no pending offer ${offerId}`)
    this.pending.delete(offerId)
    clearTimeout(p.timer)
    this.ctx.events.emit('offer-declined', p.summary, reason)
    await this.sendReport({ ...p.offer.sender, address: p.summary.sender.address }, this.reportBody(p.offer.infoHash, 'declined', p.metainfo, { reason }))
    return ok(undefined)
  }

  /**
   * The sender withdrew the distribution (POST /v1/withdraw; `peer` is the TLS caller's device id).
   * Only its sender may: a pending offer of it goes, a download not finished stops and what it
   * received is deleted, a verified copy is kept as it is.
   */
  async withdrawnBy (infoHash: string, peer: string): Promise<Result<WithdrawalAnswer>> {
    const record = this.ctx.registry.get(infoHash)
    const offers = [...this.pending.values()].filter(p => p.offer.infoHash === infoHash)
    const offered = offers.filter(p => p.offer.sender.id === peer)
    const fromSender = record?.role === 'recipient' && record.sender.id === peer ? record : undefined
    if (fromSender === undefined && offered.length === 0) {
      if (record === undefined && offers.length === 0) return fail('unknown-distribution', `no distribution ${infoHash} here`)
      return fail('wrong-sender', `only the device that sent ${record?.name ?? offers[0]?.offer.name ?? infoHash} may withdraw it`)
    }
    for (const p of offered) {
      this.pending.delete(p.offer.offerId)
      clearTimeout(p.timer)
    }
    const first = offered[0]
    if (fromSender === undefined) {
      if (first !== undefined) {
        const notice = `${first.offer.sender.name} withdrew its offer of ${first.offer.name}`
        this.ctx.events.emit('warning', notice)
        this.ctx.events.emit('removed', { infoHash, name: first.offer.name, why: 'by-sender', notice })
      }
      return ok({ outcome: 'offer-withdrawn', deletedBytes: 0 })
    }
    // A verified copy is this device's own now (stale: changed here after it was verified).
    if (fromSender.state === 'verified' || fromSender.state === 'stale') return ok({ outcome: 'kept', deletedBytes: 0 })
    // Its report was answered that the sender has it no more (senderForgot): that stops it already.
    if (this.discarding.has(infoHash)) return ok({ outcome: 'stopped', deletedBytes: 0 })
    const deleted = await this.endDownload(fromSender, 'failed', WITHDRAWN_REASON)
    this.withdrawnNotice(fromSender, deleted)
    return ok({ outcome: 'stopped', deletedBytes: deleted })
  }

  private withdrawnNotice (record: RecipientRecord, deleted: number): void {
    const notice = `${record.sender.name} withdrew ${record.name} before it finished here; the ${formatBytes(deleted)} received were deleted`
    this.ctx.events.emit('warning', notice)
    this.ctx.events.emit('removed', { infoHash: record.infoHash, name: record.name, why: 'by-sender', notice })
  }

  /**
   * The sender answered a report that it has no such distribution: only a withdrawal removes one
   * there, made while this device did not hear it (it was away, or too busy to answer in time).
   * A download not finished goes as if it had been told; a verified copy stays.
   */
  private async senderForgot (ih: string, senderId: string): Promise<void> {
    const record = this.ctx.registry.get(ih)
    if (record?.role !== 'recipient' || record.sender.id !== senderId || record.state === 'verified' || record.state === 'stale' || this.discarding.has(ih)) return
    this.withdrawnNotice(record, await this.endDownload(record, 'failed', WITHDRAWN_REASON))
  }

  /**
   * A person takes a distribution this device receives off its list. A download not finished is
   * cancelled: stopped, its partial data deleted, and its sender told with a final `declined`
   * report, so that it waits for this device no more. A verified copy stops being shared; its
   * files stay unless `deleteFiles`.
   */
  async remove (record: RecipientRecord, deleteFiles: boolean): Promise<Result<RecipientRemoval>> {
    if (record.state === 'verified' || record.state === 'stale') return await this.removeCopy(record, deleteFiles)
    const reason = `cancelled on ${this.ctx.settings().name}`
    const deleted = await this.endDownload(record, 'declined', reason)
    const body = this.reportBody(record.infoHash, 'declined', record, { reason })
    const told = await this.finalReport(record.sender, body)
    return ok({ outcome: 'cancelled', told: told ? 1 : 0, deletedBytes: deleted })
  }

  private async removeCopy (record: RecipientRecord, deleteFiles: boolean): Promise<Result<RecipientRemoval>> {
    const ih = record.infoHash
    let metainfo: Metainfo | undefined
    if (deleteFiles) {
      // A watched folder's batches share one folder: which of its files are this batch's alone is not known here.
      if (record.channel !== undefined) return fail('unsupported', `${record.name} is a batch of a watched folder whose folder holds the other batches too: remove it without deleting its files`)
      const loaded = await this.ctx.registry.loadTorrent(ih)
      if (!loaded.ok) return fail(loaded.error.code, `cannot tell which files ${record.name} wrote (${loaded.error.message}); nothing was removed`)
      metainfo = loaded.value
    }
    // Its source guard goes with the store: deleting the files is no change of a served copy.
    await this.ctx.engine.remove(ih)
    this.views.forget(ih)
    this.knocks.delete(ih)
    await this.ctx.registry.remove(ih)
    if (metainfo === undefined) return ok({ outcome: 'removed', told: 0, deletedBytes: 0 })
    const deleted = await deleteCopy(record, metainfo)
    if (!deleted.ok) return fail(deleted.error.code, `${record.name} left this device's list, but ${deleted.error.message}`)
    return ok({ outcome: 'removed', told: 0, deletedBytes: deleted.value })
  }

  /**
   * Ends a download not finished for good (discard), and says how for this device's history: its
   * record is gone after this, so the event carries the row's state, reason and what it had
   * received. Answers the bytes deleted; nothing is said when another end is under way already.
   */
  private async endDownload (record: RecipientRecord, state: DownloadEnd['state'], reason: string): Promise<number> {
    if (this.discarding.has(record.infoHash)) return 0
    const s = this.ctx.engine.stats(record.infoHash)
    const deleted = await this.discard(record)
    this.ctx.events.emit('download-ended', { infoHash: record.infoHash, name: record.name, state, reason, verifiedBytes: s?.verifiedBytes ?? 0, hashFailures: s?.hashFailures ?? 0 })
    return deleted
  }

  /**
   * Stops a download not finished and forgets it: engine, journal, record, and its staging data
   * (only that path). Answers the bytes deleted; a failure to delete is a warning (the record is gone).
   */
  private async discard (record: RecipientRecord): Promise<number> {
    const ih = record.infoHash
    if (this.discarding.has(ih)) return 0
    this.discarding.add(ih)
    try {
      return await this.discardNow(record)
    } finally {
      this.discarding.delete(ih)
    }
  }

  private async discardNow (record: RecipientRecord): Promise<number> {
    const ih = record.infoHash
    this.space.unwatch(ih)
    const a = this.active.get(ih)
    if (a) {
      a.cancelled = true
      clearInterval(a.timer)
      this.active.delete(ih)
    }
    await this.ctx.engine.remove(ih)
    await (a?.journal ?? this.ctx.registry.journal(ih, record.pieceCount)).remove()
    this.views.forget(ih)
    this.knocks.delete(ih)
    await this.ctx.registry.remove(ih)
    const deleted = await deletePartial(record)
    if (!deleted.ok) {
      this.ctx.events.emit('warning', deleted.error.message)
      return 0
    }
    const again = setTimeout(() => {
      const path = partialPath(record)
      if (path.ok && this.ctx.registry.get(ih) === undefined) this.background(rm(path.value, { recursive: true, force: true }))
    }, SWEEP_AGAIN_MS)
    again.unref()
    return deleted.value
  }

  /**
   * A final report sent now; answers whether the sender took it (200). One that did not get
   * through is tried again in the background, like every final report (report-delivery.ts).
   */
  private async finalReport (sender: PeerEndpoint, body: Report): Promise<boolean> {
    const send = async (): Promise<Result<number>> => {
      const r = await this.ctx.channel.request(sender, 'POST', '/v1/reports', body, { timeoutMs: 5_000 })
      return r.ok ? ok(r.value.status) : r
    }
    const first = await send()
    if (first.ok) return first.value === 200
    this.background(deliverWithRetry(async () => { const r = await send(); return r.ok && r.value < 500 }, () => this.stopped))
    return false
  }

  /** Picks up a download or a finished copy after a restart. */
  async resume (record: RecipientRecord, metainfo: Metainfo): Promise<Result<void>> {
    if (record.state === 'failed') return ok(undefined)
    if (record.state === 'verified') {
      const targets = this.targets(record, metainfo, false)
      const mtimesMs: number[] = []
      for (const t of targets) {
        const st = await stat(t.path).catch(() => undefined)
        if (!st || st.size !== t.length) {
          await this.setState(record.infoHash, 'failed', `${t.path} was moved or changed after it was verified`)
          return fail('stale', `${t.path} was moved or changed`)
        }
        mtimesMs.push(st.mtimeMs)
      }
      // Ask the sender how the others stand (this device may have been away while they went on).
      this.views.watch(record.infoHash)
      // Served to the others only while it still is what was verified (edited in place = caught by the piece hashes).
      return this.ctx.engine.seed({ metainfo, targets, members: memberAddresses(record.members), guard: { mtimesMs, describe: copyChangedMessage } })
    }
    return this.run(record, metainfo)
  }

  async stop (): Promise<void> {
    this.stopped = true
    this.space.stop()
    this.views.stop()
    for (const p of this.pending.values()) clearTimeout(p.timer)
    for (const a of this.active.values()) {
      clearInterval(a.timer)
      await a.journal.close()
    }
    this.active.clear()
  }

  private check (offer: Offer): Result<Metainfo> {
    const parsed = parseTorrentFile(Buffer.from(offer.torrent, 'base64'))
    if (!parsed.ok) return fail(parsed.error.code === 'unsafe-path' ? 'unsafe-path' : 'bad-request', `offered torrent refused: ${parsed.error.message}`)
    const m = parsed.value
    if (m.infoHash !== offer.infoHash) return fail('mismatch', 'offer infoHash does not match its torrent')
    if (m.name !== offer.name || m.totalLength !== offer.totalLength) return fail('mismatch', 'offer name or size does not match its torrent')
    if (m.files.some(f => f.sha256 === undefined)) return fail('bad-request', 'offered torrent has no SHA-256 for every file')
    const expected = contentSha256(m.isFolder, m.files.map(f => ({ path: f.path, sha256: f.sha256 ?? '' })))
    if (expected !== offer.sha256) return fail('mismatch', 'offer SHA-256 does not match its torrent')
    return ok(m)
  }

  private resolveMembers (offer: Offer, senderAddress: string): Member[] {
    return offer.members.map(m => m.id === offer.sender.id ? { ...m, address: senderAddress } : m)
  }

  private async start (offer: Offer, metainfo: Metainfo, senderAddress: string, summary: OfferSummary, downloadsDir?: string): Promise<Result<RecipientRecord>> {
    const dir = downloadsDir ?? this.ctx.settings().downloadsDir
    try {
      await mkdir(dir, { recursive: true })
    } catch (err) {
      return fail('no-folder', `cannot save ${metainfo.name} here: ${unwritable(dir, err)}`)
    }
    const problem = await folderProblem(dir)
    if (problem !== undefined) return fail('not-writable', `cannot save ${metainfo.name} here: ${problem}`)
    const limit = await fileSizeLimit(dir)
    const largest = largestFile(metainfo)
    if (limit !== undefined && largest.length > limit.bytes) return fail('not-writable', `cannot save ${metainfo.name} here: ${tooLarge(dir, limit, largest.path, largest.length)}`)
    const room = await freeRoom(dir)
    if (room !== undefined && room.bytes < metainfo.totalLength) return fail('no-space', acceptSpaceReason(dir, metainfo.totalLength, room.bytes))
    // Each file takes a file entry (inode), and so do its folders: a folder of many small files
    // can find a file system out of entries with bytes to spare.
    const entries = metainfo.files.length + new Set(metainfo.files.map(f => f.path.slice(0, -1).join('/'))).size + 1
    if (room?.files !== undefined && room.files < entries) return fail('no-space', acceptFilesReason(dir, entries, room.files))
    if (offer.channel !== undefined && !metainfo.isFolder) return fail('bad-request', 'a channel batch must be a folder')
    const finalName = offer.channel !== undefined ? await this.channelFolder(dir, offer, metainfo.name) : await unusedName(dir, metainfo.name)
    const channel = offer.channel !== undefined ? { id: offer.channel.id, partName: `.swarmdrop-${offer.infoHash.slice(0, 16)}.part` } : undefined
    const longest = longestPath(dir, channel?.partName ?? `${finalName}.part`, metainfo)
    if (Buffer.byteLength(longest) > PATH_LIMIT) return fail('path-too-long', `${metainfo.name} cannot be written in ${dir}: its longest path would be ${Buffer.byteLength(longest)} bytes, more than this system's ${PATH_LIMIT}`)
    const record: RecipientRecord = {
      role: 'recipient',
      ...describedBy(metainfo, offer.sha256),
      state: 'downloading',
      offerId: offer.offerId,
      sender: { id: offer.sender.id, name: offer.sender.name, address: senderAddress, controlPort: offer.sender.controlPort },
      members: this.resolveMembers(offer, senderAddress),
      downloadsDir: dir,
      finalName,
      ...(channel !== undefined ? { channel } : {})
    }
    await this.ctx.registry.saveTorrent(metainfo)
    await this.ctx.registry.put(record)
    this.ctx.events.emit('offer-accepted', summary)
    const running = await this.run(record, metainfo)
    if (!running.ok) return running
    this.background(this.report(record.infoHash, 'accepted'))
    return ok(record)
  }

  /**
   * The folder a channel's batches go to: the one its earlier batches from the same sender went to
   * in `dir`, else NAME (or "NAME (2)" when NAME is taken by something else).
   */
  private async channelFolder (dir: string, offer: Offer, name: string): Promise<string> {
    const earlier = this.ctx.registry.list().find(r => r.role === 'recipient' && r.channel?.id === offer.channel?.id &&
      r.sender.id === offer.sender.id && r.downloadsDir === dir)
    return earlier?.role === 'recipient' ? earlier.finalName : await unusedName(dir, name)
  }

  private async run (record: RecipientRecord, metainfo: Metainfo): Promise<Result<void>> {
    const journal = this.ctx.registry.journal(record.infoHash, metainfo.pieceCount)
    // Pieces whose writes were issued before a crash, never journaled: kept if whole on disk.
    const unconfirmed = journal.unconfirmed()
    if (unconfirmed.length > 0) {
      for (const index of await wholePieces(metainfo, this.targets(record, metainfo, true), unconfirmed)) journal.record(index)
    }
    const bitfield = journal.count > 0 ? journal.bitfield : await freshBitfield(metainfo, record)
    const added = this.ctx.engine.download({
      metainfo,
      targets: this.targets(record, metainfo, true),
      ...(bitfield ? { bitfield } : {}),
      schedule: { role: 'recipient', originAddress: record.sender.address },
      members: memberAddresses(record.members)
    })
    if (!added.ok) return added
    const ih = record.infoHash
    const timer = setInterval(() => this.tick(ih), REPORT_INTERVAL_MS)
    timer.unref()
    this.active.set(ih, {
      record: () => this.ctx.registry.get(ih) as RecipientRecord,
      metainfo,
      journal,
      timer,
      lastReport: 0,
      reporting: false,
      ticks: 0,
      cancelled: false,
      checkingStaging: false
    })
    if (record.state === 'paused') this.ctx.engine.pause(ih)
    // Stopped by a full disk before a restart: wait for room again (at once if there is some now).
    if (record.state === 'no-space') {
      this.ctx.engine.pause(ih)
      this.waitForSpace(ih)
    }
    this.dialMembers(ih)
    return ok(undefined)
  }

  private tick (ih: string): void {
    const a = this.active.get(ih)
    if (!a) return
    const now = Date.now()
    if (!a.reporting && now - a.lastReport >= REPORT_INTERVAL_MS - 50) {
      const { state, reason } = a.record()
      a.reporting = true
      const sent = state === 'no-space' ? this.report(ih, state, reason) : this.report(ih, reportable(state))
      this.background(sent.finally(() => { a.reporting = false }))
    }
    if (++a.ticks % Math.round(MESH_INTERVAL_MS / REPORT_INTERVAL_MS) === 0) this.dialMembers(ih)
    this.background(a.journal.tidy())
    if (!a.checkingStaging) {
      a.checkingStaging = true
      this.background(this.checkStaging(ih, a).finally(() => { a.checkingStaging = false }))
    }
  }

  /**
   * A download whose staging data (NAME.part) was deleted while it was arriving (a person tidying
   * the downloads folder, a cleanup job) would go on writing into the deleted file, fetch the rest
   * for nothing and fail at the final check. It stops as soon as the deletion is seen, with the
   * reason; its journal goes too (the pieces it lists are gone), so a new send starts it over.
   */
  private async checkStaging (ih: string, a: Active): Promise<void> {
    const arriving = (): boolean => this.active.get(ih) === a && !a.cancelled && ['downloading', 'no-space', 'paused'].includes(a.record().state)
    if (!arriving()) return
    const record = a.record()
    const path = partialPath(record)
    if (!path.ok) return
    // Pieces verified here are on disk in it (or on their way): with none, it may not be made yet.
    if ((this.ctx.engine.stats(ih)?.verifiedPieces ?? 0) === 0) return
    try {
      await stat(path.value)
      return
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') return
    }
    // Placed meanwhile (its final check renamed it), or stopped by another path.
    if (!arriving()) return
    clearInterval(a.timer)
    this.active.delete(ih)
    this.space.unwatch(ih)
    await this.ctx.engine.remove(ih)
    await a.journal.remove()
    await this.failed(ih, `${basename(path.value)} was deleted from ${record.downloadsDir} while it was arriving; the download stopped (a new send starts it over)`)
  }

  /**
   * Each pair of members connects once: a member dials the sender and every member listed before
   * it, and waits for those listed after it to dial in. Safe to repeat (already connected = no-op).
   */
  dialMembers (ih: string): void {
    const record = this.ctx.registry.get(ih)
    if (record?.role !== 'recipient') return
    const me = record.members.findIndex(m => m.id === this.ctx.identity.id)
    const upTo = me < 0 ? record.members.length : me
    const addresses = record.members.slice(0, upTo).filter(m => m.address !== null).map(m => `${m.address ?? ''}:${m.btPort}`)
    this.ctx.engine.connect(ih, addresses)
  }

  private async onReady (ih: string): Promise<void> {
    const a = this.active.get(ih)
    const bits = this.ctx.engine.bitfield(ih)
    // The start-up spot check may have dropped pieces the journal listed; the engine is right.
    if (a && bits) await a.journal.replace(bits)
  }

  private async onDone (ih: string): Promise<void> {
    const a = this.active.get(ih)
    const record = a?.record()
    if (!a || !record || record.state === 'verifying' || record.state === 'verified') return
    await this.setState(ih, 'verifying')
    this.background(this.report(ih, 'verifying'))
    const placed = await verifyAndPlace(a.metainfo, record, record.sha256)
    // Cancelled or withdrawn while it was checked: a copy placed meanwhile goes with the rest (a
    // watched folder's batch merged its files among others', which stay).
    if (a.cancelled) {
      if (placed.ok && record.channel === undefined) await rm(placed.value.path, { recursive: true, force: true })
      return
    }
    if (!placed.ok) return this.failed(ih, placed.error.message)
    const { finalName } = placed.value
    const whole = placed.value.sha256
    const finished: RecipientRecord = { ...record, finalName, state: 'verified', completedAt: new Date().toISOString() }
    const finalTargets = this.targets(finished, a.metainfo, false)
    this.ctx.engine.retarget(ih, finalTargets)
    this.background(this.guardCopy(ih, finalTargets))
    await this.ctx.registry.put(finished)
    clearInterval(a.timer)
    await a.journal.remove()
    await this.report(ih, 'verified')
    this.active.delete(ih)
    this.views.watch(ih)
    this.ctx.events.emit('verified', { infoHash: ih, name: record.name, sha256: whole, path: join(record.downloadsDir, finalName) })
    // Keep dialing: members that are still downloading need this copy too.
    const keepMeshing = setInterval(() => {
      if (!this.ctx.engine.has(ih)) return clearInterval(keepMeshing)
      this.dialMembers(ih)
    }, MESH_INTERVAL_MS)
    keepMeshing.unref()
  }

  /**
   * A write failed for lack of space (the engine paused the torrent and kept its verified pieces):
   * say where and how much is missing, tell the sender, and wait for room.
   */
  private async onNoSpace (ih: string): Promise<void> {
    const a = this.active.get(ih)
    const record = a?.record()
    if (!a || !record || record.state === 'no-space') return
    const dir = record.downloadsDir
    const reason = noSpaceReason(dir, this.needed(ih), (await freeRoom(dir)) ?? { bytes: 0 })
    // The record changes in memory at once; saving it may fail if the data directory shares the
    // full disk, so the watch and the event come before anything that writes.
    const saved = this.setState(ih, 'no-space', reason)
    this.waitForSpace(ih)
    this.ctx.events.emit('no-space', { infoHash: ih, name: record.name, dir, reason })
    this.background(saved)
    this.background(a.journal.compact())
    await this.report(ih, 'no-space', reason)
  }

  private waitForSpace (ih: string): void {
    const record = this.ctx.registry.get(ih)
    if (record?.role !== 'recipient') return
    const dir = record.downloadsDir
    this.space.watch(ih, dir, () => this.needed(ih), room => { this.background(this.onSpaceFreed(ih, room)) }, (room, needed) => {
      // Keep "how much more" current as space is freed (in memory: it changes often).
      const reason = noSpaceReason(dir, needed, room)
      const r = this.ctx.registry.get(ih)
      if (r?.role === 'recipient' && r.state === 'no-space' && r.reason !== reason) {
        this.background(this.ctx.registry.update<RecipientRecord>(ih, x => ({ ...x, reason }), false))
      }
    })
  }

  private async onSpaceFreed (ih: string, room: Room): Promise<void> {
    const record = this.ctx.registry.get(ih)
    if (record?.role !== 'recipient' || record.state !== 'no-space' || !this.active.has(ih)) return
    const saved = this.setState(ih, 'downloading')
    this.ctx.engine.resume(ih)
    this.dialMembers(ih)
    this.background(saved)
    this.ctx.events.emit('space-freed', { infoHash: ih, name: record.name, dir: record.downloadsDir, freeBytes: room.bytes })
    await this.report(ih, 'downloading')
  }

  /**
   * The room the download needs before it goes on: free bytes (its verified pieces already have
   * theirs) and a file entry for each file not created yet, plus one to spare.
   */
  private needed (ih: string): Need {
    const a = this.active.get(ih)
    if (!a) return { bytes: 0, files: 0 }
    const m = a.metainfo
    const verified = this.ctx.engine.stats(ih)?.verifiedBytes ?? Math.min(m.totalLength, a.journal.count * m.pieceLength)
    const bits = this.ctx.engine.bitfield(ih) ?? a.journal.bitfield
    const has = (i: number): boolean => ((bits[i >> 3] ?? 0) & (0x80 >> (i & 7))) !== 0
    const files = filesNotStarted(m.files, m.pieceLength, has)
    return { bytes: spaceNeeded(m.totalLength, verified, m.pieceLength), files: files === 0 ? 0 : files + 1 }
  }

  /** From now on the verified copy is served only while it is unchanged (stamps and piece hashes). */
  private async guardCopy (ih: string, targets: readonly FileStoreTarget[]): Promise<void> {
    const mtimesMs = await modifiedTimes(targets.map(t => t.path))
    // Gone already: the first read for serving fails and finds out.
    if (mtimesMs === undefined) return
    this.ctx.engine.watchSource(ih, targets, { mtimesMs, describe: copyChangedMessage })
  }

  /** The verified copy changed on disk while served: the engine stopped serving it; say why. */
  private async onCopyChanged (ih: string, reason: string): Promise<void> {
    if (this.ctx.registry.get(ih)?.role !== 'recipient') return
    const record = await this.setState(ih, 'stale', reason)
    if (record) this.ctx.events.emit('stale', { infoHash: ih, name: record.name, reason })
  }

  private async onEngineError (ih: string, message: string): Promise<void> {
    if (this.ctx.registry.get(ih)?.role !== 'recipient') return
    await this.failed(ih, message)
  }

  private async failed (ih: string, reason: string): Promise<void> {
    const record = await this.setState(ih, 'failed', reason)
    this.space.unwatch(ih)
    const a = this.active.get(ih)
    if (a) { clearInterval(a.timer); await a.journal.close(); this.active.delete(ih) }
    await this.report(ih, 'failed', reason)
    if (record) this.ctx.events.emit('failed', { infoHash: ih, name: record.name, reason })
  }

  private async setState (ih: string, state: RecipientRecord['state'], reason?: string): Promise<RecipientRecord | undefined> {
    return this.ctx.registry.update<RecipientRecord>(ih, r => {
      const { reason: _old, ...rest } = r
      return reason === undefined ? { ...rest, state } : { ...rest, state, reason }
    })
  }

  private targets (record: RecipientRecord, m: Metainfo, part: boolean): FileStoreTarget[] {
    return targetsFor(m, record, part)
  }

  private reportBody (ih: string, state: ReportState, m: Pick<Metainfo, 'pieceCount'>, extra: Pick<Report, 'reason' | 'sha256' | 'alreadyHad' | 'receipt'> = {}): Report {
    const s = this.ctx.engine.stats(ih)
    const bits = this.ctx.engine.bitfield(ih)
    return {
      protocol: PROTOCOL,
      infoHash: ih,
      from: this.ctx.identity.id,
      state,
      verifiedPieces: s?.verifiedPieces ?? 0,
      pieceCount: m.pieceCount,
      verifiedBytes: s?.verifiedBytes ?? 0,
      downloadSpeed: Math.round(s?.downloadSpeed ?? 0),
      uploadSpeed: Math.round(s?.uploadSpeed ?? 0),
      uploadedBytes: s?.uploadedBytes ?? 0,
      hashFailures: s?.hashFailures ?? 0,
      ...(bits ? { bitfield: Buffer.from(bits).toString('base64') } : {}),
      seq: this.seq.next(),
      ...extra
    }
  }

  private async report (ih: string, state: ReportState, reason?: string, alreadyHad = false): Promise<void> {
    const record = this.ctx.registry.get(ih)
    if (record?.role !== 'recipient') return
    const a = this.active.get(ih)
    if (a) a.lastReport = Date.now()
    const body = this.reportBody(ih, state, record, {
      ...(reason ? { reason } : {}),
      ...(state === 'verified' ? { sha256: record.sha256, receipt: ownReceipt(this.ctx.identity, record) } : {}),
      ...(alreadyHad ? { alreadyHad: true } : {})
    })
    await this.sendReport(record.sender, body)
  }

  /** A verified copy's report, sent now and then while the sender's view of the others can still change. */
  private async heartbeat (ih: string): Promise<boolean> {
    const record = this.ctx.registry.get(ih)
    if (record?.role !== 'recipient' || record.state !== 'verified') return false
    await this.report(ih, 'verified')
    return true
  }

  /** The others' receive rates, for the schedule (a piece only slow members hold is asked of the origin). */
  private learnRates (ih: string, view: SwarmView): void {
    const record = this.ctx.registry.get(ih)
    if (record?.role !== 'recipient') return
    for (const m of view.members) {
      const address = m.id === this.ctx.identity.id ? null : record.members.find(x => x.id === m.id)?.address
      if (address) this.ctx.engine.setMemberRate(ih, address, m.state === 'downloading' ? m.downloadSpeed : 0)
    }
  }

  /**
   * A member the sender has just found gone (silent, and its control port did not answer: lost, or
   * offline with a verified copy): its connections here are closed too, so what it holds and what
   * was asked of it is fetched from the others at once (a frozen machine keeps its sockets open).
   * Only on the change: once it wakes it dials again, before the sender has heard from it.
   */
  private dropLost (ih: string, before: SwarmView | undefined, view: SwarmView): void {
    const record = this.ctx.registry.get(ih)
    if (record?.role !== 'recipient') return
    const gone = (m: SwarmView['members'][number] | undefined): boolean => m !== undefined && (m.state === 'lost' || m.offlineSince !== undefined)
    for (const m of view.members) {
      if (!gone(m) || m.id === this.ctx.identity.id || gone(before?.members.find(x => x.id === m.id))) continue
      const address = record.members.find(x => x.id === m.id)?.address
      if (address) this.ctx.engine.dropMember(ih, address)
    }
  }

  /**
   * Members the sender added after this device was offered the file (a machine that was away when
   * it was sent, offered it on its return): admitted at the address the sender gives, so they can
   * fetch from this device too. Only the sender's answer (a key-pinned channel) says so.
   */
  private async learnMembers (ih: string, view: SwarmView): Promise<void> {
    const record = this.ctx.registry.get(ih)
    if (record?.role !== 'recipient') return
    const me = this.ctx.identity.id
    const added = view.members.flatMap((m): Member[] => m.address === undefined || m.btPort === undefined || m.id === me || record.members.some(x => x.id === m.id)
      ? []
      : [{ id: m.id, name: m.name, address: m.address, btPort: m.btPort }])
    if (added.length === 0) return
    const updated = await this.ctx.registry.update<RecipientRecord>(ih, r => ({ ...r, members: [...r.members, ...added.filter(a => !r.members.some(x => x.id === a.id))] }))
    if (updated) this.ctx.engine.setMembers(ih, memberAddresses(updated.members))
  }

  /** What the sender last said about every member of `ih`, and whether it still answers. */
  heardSwarm (ih: string): HeardSwarm | undefined { return this.views.get(ih) }

  /** To the sender's control port, pinned to its device id: a report never goes to an impostor. */
  private async sendReport (sender: PeerEndpoint, body: Report): Promise<void> {
    const send = async (): Promise<boolean> => {
      const r = await this.ctx.channel.request(sender, 'POST', '/v1/reports', body, { timeoutMs: 5_000 })
      const answered = r.ok && r.value.status < 500
      // Only a withdrawal makes the sender forget a distribution (origin.ts, withdraw).
      if (r.ok && r.value.status === 404 && errorBodyCode(r.value) === 'unknown-distribution') this.background(this.senderForgot(body.infoHash, sender.id))
      // The answer (a current sender) is its view of every member: keep it for this device's rows.
      const view = r.ok && r.value.status === 200 ? parseSwarmView(r.value.body) : undefined
      if (view?.ok && view.value.infoHash === body.infoHash) {
        const before = this.views.get(body.infoHash)?.view
        this.views.heard(body.infoHash, view.value)
        this.learnRates(body.infoHash, view.value)
        this.dropLost(body.infoHash, before, view.value)
        await this.learnMembers(body.infoHash, view.value)
      }
      else if (answered) this.views.answered(body.infoHash)
      else this.views.unanswered(body.infoHash)
      return answered
    }
    // The sender may be gone (it may leave once the swarm holds every piece): progress reports are
    // best effort. A final one is retried in the background (report-delivery.ts says why).
    if (await send() || !FINAL_REPORT_STATES.includes(body.state)) return
    this.background(deliverWithRetry(send, () => this.stopped, FINAL_REPORT_BACKOFF_MS.slice()).then(got => {
      if (!got && !this.stopped) this.ctx.events.emit('warning', `${sender.name} did not hear that ${body.infoHash.slice(0, 8)} is ${body.state} here (its control port did not answer for about 30 s)`)
    }))
  }
}


/** Files stat'ed between two turns of the event loop: a whole folder at once would hold it up. */
const STAT_BATCH = 500

/**
 * Each file's modification time, or undefined when one is gone. Synchronous stats in batches, not
 * a promise and a thread-pool trip per file: a verified folder of 50,000 files took 0.74 s of a
 * recipient's main thread that way (0.5 s in batches, mostly the stats themselves) while the
 * others were still downloading from it.
 */
async function modifiedTimes (paths: readonly string[]): Promise<number[] | undefined> {
  const out: number[] = []
  for (let i = 0; i < paths.length; i += STAT_BATCH) {
    if (i > 0) await new Promise(resolve => setImmediate(resolve))
    for (const p of paths.slice(i, i + STAT_BATCH)) {
      let st
      try { st = statSync(p, { throwIfNoEntry: false }) } catch { return undefined }
      if (!st) return undefined
      out.push(st.mtimeMs)
    }
  }
  return out
}

/** The state a download in progress reports (states of its own record that are not report states map to downloading). */
function reportable (state: RecipientRecord['state']): ReportState {
  return state === 'downloading' || state === 'verifying' || state === 'paused' || state === 'no-space' || state === 'verified' ? state : 'downloading'
}

/** A distribution's largest file: its path inside it (its name for a single file) and length. */
function largestFile (m: Metainfo): { readonly path: string; readonly length: number } {
  let best = { path: m.name, length: 0 }
  for (const f of m.files) if (f.length > best.length) best = { path: m.isFolder ? `${m.name}/${f.path.join('/')}` : m.name, length: f.length }
  return best
}
