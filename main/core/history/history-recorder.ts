// Writes what a running device does into its history (history-log.ts): on the origin, each
// distribution it creates and sends, each machine's state as its reports come in (with its signed
// receipt once verified) and the bytes the origin uploaded; on a recipient, what it accepted and
// verified, with its own receipt, or how it ended unfinished (cancelled here, withdrawn by its
// sender). Only changes of state are written, not every progress report.
import type { EventEmitter } from 'node:events'
import type { MemberState, ReportMachine } from '../../../common/api.js'
import { errorMessage } from '../../../common/result.js'
import type { DistributionRecord, RecipientRecord, RecipientStatus } from '../distributions/records.js'
import type { Identity } from '../identity/identity.js'
import type { DownloadEnd, NodeEvents, OfferSummary } from '../node/events.js'
import type { HistoryLog, DistributionFacts } from './history-log.js'
import { ownReceipt } from './own-receipt.js'

export interface RecorderSource {
  readonly identity: Identity
  readonly name: () => string
  readonly record: (infoHash: string) => DistributionRecord | undefined
  readonly records: () => readonly DistributionRecord[]
  /** The engine's counters for a distribution in this run (they start at 0 at every start). */
  readonly stats: (infoHash: string) => { readonly uploadedBytes: number; readonly verifiedBytes: number; readonly hashFailures: number } | undefined
  readonly events: EventEmitter<NodeEvents>
}

/** States in which a machine has said yes (a re-send of a copy it holds goes straight to verified). */
const ACCEPTED: readonly MemberState[] = ['accepted', 'downloading', 'verifying', 'verified', 'paused', 'no-space']
/** States that end a round: a later pending or accepted is a new offer. */
const FINISHED: readonly MemberState[] = ['verified', 'declined', 'failed', 'unreachable', 'timeout']
/** How often the origin's upload counter is written while it changes. */
const UPLOAD_EVERY_MS = 30_000

export class HistoryRecorder {
  /** The origin's upload before this run, per distribution (the engine counts this run only). */
  private readonly uploadBefore = new Map<string, number>()
  private readonly timer: NodeJS.Timeout
  private readonly detach: () => void
  private work: Promise<void> = Promise.resolve()

  /** The last row written per distribution and machine, also after it was pruned: only a change is written again. */
  private readonly written = new Map<string, ReportMachine>()
  /**
   * The bytes each machine last reported verified in this round. A machine that cancels deletes
   * what it had and its final report says 0; its row keeps what it had received, as its own
   * history does (`download-ended`), so the two histories agree.
   */
  private readonly lastBytes = new Map<string, number>()

  constructor (readonly log: HistoryLog, private readonly src: RecorderSource, fresh: boolean) {
    for (const d of log.list()) if (d.originUploadedBytes !== null) this.uploadBefore.set(d.infoHash, d.originUploadedBytes)
    const onCreated = (e: { infoHash: string }): void => { this.queue(async () => { await this.ensure(e.infoHash) }) }
    const onRecipient = (e: { infoHash: string; recipient: RecipientStatus }): void => { this.queue(async () => { await this.onRecipient(e.infoHash, e.recipient) }) }
    const onAccepted = (o: OfferSummary): void => { this.queue(async () => { await this.ownRow(o.infoHash) }) }
    const onOwn = (e: { infoHash: string }): void => { this.queue(async () => { await this.ownRow(e.infoHash) }) }
    const onEnded = (e: DownloadEnd): void => { this.queue(async () => { await this.endedRow(e) }) }
    const events = src.events
    events.on('distribution-created', onCreated)
    events.on('recipient-update', onRecipient)
    events.on('offer-accepted', onAccepted)
    events.on('verified', onOwn)
    events.on('failed', onOwn)
    events.on('stale', onOwn)
    events.on('download-ended', onEnded)
    this.detach = () => {
      events.off('distribution-created', onCreated)
      events.off('recipient-update', onRecipient)
      events.off('offer-accepted', onAccepted)
      events.off('verified', onOwn)
      events.off('failed', onOwn)
      events.off('stale', onOwn)
      events.off('download-ended', onEnded)
    }
    this.timer = setInterval(() => { this.queue(async () => { await this.syncUploads() }) }, UPLOAD_EVERY_MS)
    this.timer.unref()
    // Distributions from before the history existed join it when it is first made (later, one
    // missing from it was pruned, and stays so).
    if (fresh) this.queue(async () => { for (const r of src.records()) await this.adopt(r) })
  }

  /** The history with the origin's upload counters written up to now. */
  async current (): Promise<HistoryLog> {
    this.queue(async () => { await this.syncUploads() })
    await this.work
    return this.log
  }

  async close (): Promise<void> {
    clearInterval(this.timer)
    this.detach()
    this.queue(async () => { await this.syncUploads() })
    await this.work
    await this.log.flush()
  }

  /** One change at a time, in the order the events came; a failed write is a warning. */
  private queue (job: () => Promise<void>): void {
    this.work = this.work.then(job).catch((err: unknown) => { this.src.events.emit('warning', `history: ${errorMessage(err)}`) })
  }

  private facts (r: DistributionRecord): DistributionFacts {
    return {
      infoHash: r.infoHash,
      name: r.name,
      sha256: r.sha256,
      totalLength: r.totalLength,
      isFolder: r.isFolder,
      fileCount: r.fileCount,
      role: r.role,
      origin: r.role === 'origin' ? { id: this.src.identity.id, name: this.src.name() } : { id: r.sender.id, name: r.sender.name },
      createdAt: r.createdAt,
      sentAt: null
    }
  }

  /** The distribution's line, written once (and again when it is first sent: `sentAt` fills in only once). */
  private async ensure (infoHash: string, sentAt: string | null = null): Promise<boolean> {
    const r = this.src.record(infoHash)
    const known = this.log.get(infoHash)
    if (!r) return known !== undefined
    // Also when its line came from before the history said whether it is a folder of how many files.
    if (known === undefined || (known.sentAt === null && sentAt !== null) || known.fileCount === null) await this.log.distribution({ ...this.facts(r), sentAt })
    return true
  }

  private async adopt (r: DistributionRecord): Promise<void> {
    // When it was sent is not known any more: its record's creation stands in (a recipient's is when it accepted).
    const sent = r.role === 'recipient' || r.recipients.length > 0 ? r.createdAt : null
    await this.log.distribution({ ...this.facts(r), sentAt: sent }, r.createdAt)
    if (r.role === 'origin') for (const x of r.recipients) await this.onRecipient(r.infoHash, x)
    else await this.ownRow(r.infoHash)
  }

  private async onRecipient (infoHash: string, x: RecipientStatus): Promise<void> {
    const now = new Date().toISOString()
    const key = `${infoHash}/${x.id}`
    const before = this.log.get(infoHash)?.machines.find(m => m.id === x.id) ?? this.written.get(key)
    const state: MemberState = x.state
    // Offered again after it had finished: what it did last time is not this time's answer.
    const fresh = state === 'offering' || (before !== undefined && FINISHED.includes(before.state) && (state === 'pending' || state === 'accepted'))
    if (fresh) this.lastBytes.delete(key)
    const seen = Math.max(x.verifiedBytes, this.lastBytes.get(key) ?? 0)
    this.lastBytes.set(key, seen)
    const ended = state === 'declined' || state === 'failed'
    const row: ReportMachine = {
      id: x.id,
      name: x.name,
      state,
      acceptedAt: fresh ? null : before?.acceptedAt ?? (ACCEPTED.includes(state) ? now : null),
      verifiedAt: x.receipt?.verifiedAt ?? (fresh ? null : before?.verifiedAt ?? (state === 'verified' ? now : null)),
      bytes: ended ? Math.max(seen, fresh ? 0 : before?.bytes ?? 0) : x.verifiedBytes,
      badPieces: x.hashFailures,
      ...(x.reason !== undefined ? { reason: x.reason } : {}),
      receipt: x.receipt ?? (fresh ? null : before?.receipt ?? null)
    }
    if (before && sameRow(before, row)) return
    // The first answer to an offer comes right after it was sent: that is when it was sent.
    if (!(await this.ensure(infoHash, now))) return
    this.written.set(key, row)
    await this.log.machine(infoHash, row)
    await this.syncUpload(infoHash)
  }

  /** This device's own row of a distribution it receives. */
  private async ownRow (infoHash: string): Promise<void> {
    const r = this.src.record(infoHash)
    if (r?.role !== 'recipient') return
    const key = `${infoHash}/${this.src.identity.id}`
    const before = this.log.get(infoHash)?.machines.find(m => m.id === this.src.identity.id) ?? this.written.get(key)
    const row = this.own(r, before)
    if (before && sameRow(before, row)) return
    if (!(await this.ensure(infoHash, new Date().toISOString()))) return
    this.written.set(key, row)
    await this.log.machine(infoHash, row)
  }

  /**
   * This device's own row of a download that ended unfinished. Its record is gone by now, so the
   * row is made from the event and the row written before (when it accepted); one whose
   * distribution left the history (pruned) stays out of it.
   */
  private async endedRow (e: DownloadEnd): Promise<void> {
    if (this.log.get(e.infoHash)?.role !== 'recipient') return
    const id = this.src.identity.id
    const key = `${e.infoHash}/${id}`
    const before = this.log.get(e.infoHash)?.machines.find(m => m.id === id) ?? this.written.get(key)
    const row: ReportMachine = {
      id,
      name: this.src.name(),
      state: e.state,
      acceptedAt: before?.acceptedAt ?? null,
      verifiedAt: null,
      bytes: e.verifiedBytes,
      badPieces: Math.max(before?.badPieces ?? 0, e.hashFailures),
      reason: e.reason,
      receipt: null
    }
    if (before && sameRow(before, row)) return
    this.written.set(key, row)
    await this.log.machine(e.infoHash, row)
  }

  private own (r: RecipientRecord, before: ReportMachine | undefined): ReportMachine {
    const now = new Date().toISOString()
    const verified = r.state === 'verified'
    // A copy changed after it was verified keeps the receipt of when it was verified (its state says the rest).
    const receipt = verified ? ownReceipt(this.src.identity, r) : r.state === 'stale' ? before?.receipt ?? null : null
    // A recipient's own record is never 'seeding'; a copy changed after it was verified no longer counts.
    const state: MemberState = r.state === 'stale' || r.state === 'seeding' ? 'failed' : r.state
    return {
      id: this.src.identity.id,
      name: this.src.name(),
      state,
      acceptedAt: before?.acceptedAt ?? now,
      verifiedAt: receipt?.verifiedAt ?? null,
      bytes: verified ? r.totalLength : this.src.stats(r.infoHash)?.verifiedBytes ?? before?.bytes ?? 0,
      badPieces: Math.max(before?.badPieces ?? 0, this.src.stats(r.infoHash)?.hashFailures ?? 0),
      ...(r.reason !== undefined ? { reason: r.reason } : {}),
      receipt
    }
  }

  private async syncUploads (): Promise<void> {
    for (const d of this.log.list()) if (d.role === 'origin') await this.syncUpload(d.infoHash)
  }

  /** Writes the origin's upload for `infoHash` (earlier runs + this one) when it changed. */
  private async syncUpload (infoHash: string): Promise<void> {
    const d = this.log.get(infoHash)
    const s = this.src.stats(infoHash)
    if (d?.role !== 'origin' || s === undefined) return
    const total = (this.uploadBefore.get(infoHash) ?? 0) + s.uploadedBytes
    if (total > (d.originUploadedBytes ?? 0)) await this.log.upload(infoHash, total)
  }
}

function sameRow (a: ReportMachine, b: ReportMachine): boolean {
  return a.state === b.state && a.name === b.name && a.acceptedAt === b.acceptedAt && a.verifiedAt === b.verifiedAt &&
    a.reason === b.reason && a.receipt?.signature === b.receipt?.signature && a.badPieces === b.badPieces
}
