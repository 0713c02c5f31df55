// One watched folder at work: it scans the folder (on a change fs.watch reports, and every few
// seconds anyway, since fs.watch may miss events), waits until files hold still, and sends what is
// ready as one batch (one distribution) to the channel's machines, one batch at a time, in the order
// the files appeared. Machines that were off the network wait for each batch (distributions/
// waiting.ts); machines added to the group later are offered every batch they missed. Progress is
// saved after every batch, so a restart sends nothing twice and skips nothing.
import { watch, type FSWatcher } from 'node:fs'
import { dirname } from 'node:path'
import { errorMessage, type Result } from '../../../common/result.js'
import { plural } from '../../../common/units.js'
import type { DistributionRecord, OriginRecord, RecipientStatus } from '../distributions/records.js'
import type { Metainfo } from '../torrent/metainfo.js'
import type { Source } from '../torrent/source.js'
import { BATCH_LIMITS, dueNow, nextBatch, type BatchLimits } from './batch.js'
import type { BatchRecord, ChannelConfig, ChannelProgress, ChannelStore, SentFile } from './channel-store.js'
import { scanFolder } from './folder-scan.js'
import { MAX_REMOVALS, type ChannelRemovals } from '../protocol/channel-removals.js'
import { PROTOCOL } from '../protocol/messages.js'
import { SettleTracker, type Sighting } from './settle.js'

/** What a channel needs from its device (a SwarmNode gives all of it; see channels.ts). */
export interface ChannelHost {
  createBatch (source: Source, channel: string): Promise<Result<OriginRecord>>
  /** Serves a stale batch again whose files are back as they were hashed; fails when one is not. */
  reviveBatch (infoHash: string): Promise<Result<void>>
  /** Offers to device ids; one off the network waits for the batch and gets it when it is back. */
  offer (infoHash: string, ids: readonly string[]): Promise<Result<readonly RecipientStatus[]>>
  record (infoHash: string): DistributionRecord | undefined
  loadTorrent (infoHash: string): Promise<Result<Metainfo>>
  /** A group's members by device id; undefined when there is no such group. */
  groupMembers (name: string): readonly string[] | undefined
  /** Whether this device can send to that machine (seen, trusted, or in a group). */
  knows (id: string): boolean
  readonly selfId: string
  warn (message: string): void
  /** Tells a machine on the network now which files were removed (mirrorDeletes). */
  sendRemovals (id: string, msg: ChannelRemovals): Promise<Result<void>>
  /** Whether discovery sees that machine now. */
  online (id: string): boolean
}

export const TICK_MS = 1_000
/** A full rescan at least this often, whatever fs.watch reports. */
export const RESCAN_MS = 5_000
/** How often the channel looks for machines that missed a batch (added to the group since). */
export const CATCH_UP_MS = 5_000
/** A machine a batch's offer did not reach is offered it again after this long. */
const UNREACHED_RETRY_MS = 10_000
/** After a batch could not be made, the next attempt waits this long. */
const RETRY_MS = 10_000

export interface ChannelSnapshot {
  readonly config: ChannelConfig
  readonly progress: ChannelProgress
  /** Files seen in the folder that no batch carries yet (settling or ready), and their bytes. */
  readonly backlogFiles: number
  readonly backlogBytes: number
  /** A batch is being hashed and offered now. */
  readonly sending: boolean
  readonly error?: string
  readonly targets: readonly string[]
}

export class Channel {
  private readonly tracker = new SettleTracker()
  private timer: NodeJS.Timeout | undefined
  private watcher: FSWatcher | undefined
  private dirty = true
  private lastScan = 0
  private lastCatchUp = 0
  private retryAt = 0
  private running: Promise<void> | undefined
  private sending = false
  private error: string | undefined
  /** The last scan failed (the folder gone or unreadable): nothing is sent on what was seen before it. */
  private unreadable = false
  private stopped = false
  private readonly lastRemovalFailure = new Map<string, string>()

  constructor (
    readonly config: ChannelConfig,
    private progress: ChannelProgress,
    private readonly host: ChannelHost,
    private readonly store: ChannelStore,
    private readonly limits: BatchLimits = BATCH_LIMITS
  ) {}

  start (): void {
    this.timer = setInterval(() => { void this.tick() }, TICK_MS)
    this.timer.unref()
    try {
      // Recursive watching exists on Linux (Node 20+), macOS and Windows; where it does not, the rescans do the work.
      this.watcher = watch(this.config.dir, { recursive: true }, () => { this.dirty = true })
      this.watcher.on('error', () => { this.watcher?.close(); this.watcher = undefined })
      this.watcher.unref()
    } catch {
      this.watcher = undefined
    }
    void this.tick()
  }

  /** Stops watching; a batch being made finishes first. */
  async stop (): Promise<void> {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    this.watcher?.close()
    await this.running
  }

  snapshot (): ChannelSnapshot {
    let backlogFiles = 0
    let backlogBytes = 0
    for (const f of this.tracker.all()) {
      if (this.isSent(f)) continue
      backlogFiles++
      backlogBytes += f.size
    }
    return {
      config: this.config,
      progress: this.progress,
      backlogFiles,
      backlogBytes,
      sending: this.sending,
      ...(this.error !== undefined ? { error: this.error } : {}),
      targets: this.targets()
    }
  }

  /** One round; rounds never overlap (a slow batch delays the next scan). */
  async tick (now = Date.now()): Promise<void> {
    if (this.running || this.stopped) return
    this.running = this.step(now).catch((err: unknown) => {
      this.error = errorMessage(err)
      this.host.warn(`watched folder ${this.config.dir}: ${this.error}`)
    }).finally(() => { this.running = undefined })
    await this.running
  }

  private async step (now: number): Promise<void> {
    const settleMs = this.config.settleMs
    const waiting = this.tracker.settling(now, settleMs) > 0 || this.tracker.settled(now, settleMs).some(f => !this.isSent(f))
    // A folder that could not be read is read again every round (its watcher saw it go, not come
    // back); until then the last good scan is not acted on: its files may be gone with the folder
    // (a re-send of them failed and replaced the folder's reason with a batch's).
    if (this.dirty || waiting || this.unreadable || this.watcher === undefined || now - this.lastScan >= RESCAN_MS) {
      this.dirty = false
      this.lastScan = now
      const scanned = await scanFolder(this.config.dir, this.config.name)
      this.unreadable = !scanned.ok
      if (!scanned.ok) {
        this.error = scanned.error.message
        return
      }
      this.tracker.observe(scanned.value, now)
      if (this.config.mirrorDeletes === true) await this.noteRemovals()
    }
    if (now < this.retryAt) return
    const targets = this.targets()
    if (targets.length === 0) {
      this.error = this.config.group !== null && this.host.groupMembers(this.config.group) === undefined
        ? `the group ${this.config.group} no longer exists: nothing is sent`
        : 'there is no machine to send to: nothing is sent'
      return
    }
    this.error = undefined
    if (await this.resendSuperseded()) return
    const ready = this.tracker.settled(now, settleMs).filter(f => !this.isSent(f))
    const readyBytes = ready.reduce((sum, f) => sum + f.size, 0)
    const oldest = ready.reduce((m, f) => Math.max(m, now - f.stableSince - settleMs), 0)
    if (dueNow(ready.length, readyBytes, this.tracker.settling(now, settleMs), oldest, this.limits)) {
      await this.send(nextBatch(ready, this.limits), targets, targets)
      return
    }
    if (now - this.lastCatchUp >= CATCH_UP_MS) {
      this.lastCatchUp = now
      await this.catchUp(targets)
      await this.tellRemovals(targets)
    }
  }

  /** The machines the channel sends to now: the group as it is, and the listed ids; never this device. */
  targets (): string[] {
    const fromGroup = this.config.group === null ? [] : this.host.groupMembers(this.config.group) ?? []
    return [...new Set([...fromGroup, ...this.config.ids])].filter(id => id !== this.host.selfId)
  }

  private isSent (f: Sighting): boolean {
    const s = this.progress.sent[f.path]
    return s !== undefined && s.size === f.size && s.mtimeMs === f.mtimeMs
  }

  /**
   * Makes one batch of `files` and offers it to `offerTo`; `to` is who counts as holding it from
   * now on (a re-sent batch's machines that had verified the first one are not sent it again).
   */
  private async send (files: readonly Sighting[], to: readonly string[], offerTo: readonly string[]): Promise<boolean> {
    if (files.length === 0) return false
    this.sending = true
    try {
      const source: Source = {
        name: this.config.name,
        isFolder: true,
        parentDir: dirname(this.config.dir),
        entries: files.map(f => ({ path: f.path.split('/'), absolutePath: f.absolutePath, length: f.size, mtimeMs: f.mtimeMs, ctimeMs: f.ctimeMs })),
        totalLength: files.reduce((sum, f) => sum + f.size, 0),
        skipped: []
      }
      const created = await this.host.createBatch(source, this.config.id)
      if (!created.ok) return this.failed(`a batch of ${plural(files.length, 'file')} could not be made: ${created.error.message}`)
      const torrent = await this.host.loadTorrent(created.value.infoHash)
      if (!torrent.ok) return this.failed(torrent.error.message)
      const seq = (this.progress.batches.at(-1)?.seq ?? 0) + 1
      const sent: Record<string, SentFile> = { ...this.progress.sent }
      const digests = new Map(torrent.value.files.map(f => [f.path.join('/'), f.sha256 ?? '']))
      for (const f of files) sent[f.path] = { size: f.size, mtimeMs: f.mtimeMs, sha256: digests.get(f.path) ?? '', batch: seq }
      const batch: BatchRecord = {
        seq,
        infoHash: created.value.infoHash,
        fileCount: files.length,
        totalLength: source.totalLength,
        createdAt: new Date().toISOString(),
        // Who was offered it is written after the offer: a crash in between offers it again on restart (harmless).
        to: to.filter(id => !offerTo.includes(id))
      }
      await this.save({ ...this.progress, sent, batches: [...this.progress.batches, batch] })
      await this.offerBatch(batch, offerTo)
      return true
    } finally {
      this.sending = false
    }
  }

  private async offerBatch (batch: BatchRecord, ids: readonly string[]): Promise<void> {
    const reachable = ids.filter(id => this.host.knows(id))
    if (reachable.length > 0) {
      const offered = await this.host.offer(batch.infoHash, reachable)
      if (!offered.ok) this.host.warn(`watched folder ${this.config.dir}: batch ${batch.seq}: ${offered.error.message}`)
    }
    const batches = this.progress.batches.map(b => b.seq === batch.seq ? { ...b, to: [...new Set([...b.to, ...reachable])] } : b)
    await this.save({ ...this.progress, batches })
  }

  /** Offers every batch to the machines that should have it and were never offered it (added to the group later). */
  private async catchUp (targets: readonly string[]): Promise<void> {
    for (const b of this.progress.batches) {
      if (b.superseded === true || this.stopped) continue
      const record = this.host.record(b.infoHash)
      if (record?.role !== 'origin' || record.state === 'stale') continue
      // Unreachable when offered (it went between its advert and the offer): offered again, which
      // makes it wait for the batch if it is still away.
      const unreached = record.recipients.filter(r => r.state === 'unreachable' && Date.now() - Date.parse(r.updatedAt) >= UNREACHED_RETRY_MS).map(r => r.id)
      const missing = targets.filter(id => (!b.to.includes(id) || unreached.includes(id)) && this.host.knows(id))
      if (missing.length > 0) await this.offerBatch(b, missing)
    }
  }

  /**
   * A batch whose source changed (a file edited or removed after it was sent) is no longer served.
   * Its files that are still as sent go out again in a new batch, offered only to the machines that
   * had not verified the old one. Answers whether it made one (one per round).
   */
  private async resendSuperseded (): Promise<boolean> {
    for (const b of this.progress.batches) {
      if (b.superseded === true) continue
      const record = this.host.record(b.infoHash)
      if (record !== undefined && (record.role !== 'origin' || record.state !== 'stale')) continue
      const verified = new Set(record?.role === 'origin' ? record.recipients.filter(r => r.state === 'verified').map(r => r.id) : [])
      const files = this.tracker.all().filter(f => this.progress.sent[f.path]?.batch === b.seq && this.isSent(f))
      // Every file of the batch back as it was sent (the folder renamed away and back): the batch
      // is served again as it is, not hashed again and sent to nobody.
      if (record !== undefined && files.length === b.fileCount) {
        const revived = await this.host.reviveBatch(b.infoHash)
        if (revived.ok) continue
        // Seen in the last scan but gone now: the folder is going; the next scan says so.
        if (revived.error.code === 'missing') { this.dirty = true; return true }
      }
      await this.save({ ...this.progress, batches: this.progress.batches.map(x => x.seq === b.seq ? { ...x, superseded: true } : x) })
      if (files.length === 0) continue
      await this.send(files, b.to, b.to.filter(id => !verified.has(id)))
      return true
    }
    return false
  }

  /**
   * Files that were sent and are gone from the folder now become removals, numbered in order. A
   * path sent again later drops its pending removal (the newer version is what the machines keep).
   */
  private async noteRemovals (): Promise<void> {
    const gone = Object.entries(this.progress.sent).filter(([path]) => this.tracker.get(path) === undefined)
    if (gone.length === 0) return
    const sent = { ...this.progress.sent }
    // Numbers keep rising after confirmed removals were dropped: a machine's count stays meaningful.
    let seq = Math.max(this.progress.removals?.at(-1)?.seq ?? 0, ...Object.values(this.progress.removalsDone ?? {}))
    const removals = [...(this.progress.removals ?? [])]
    for (const [path, f] of gone) {
      delete sent[path]
      removals.push({ seq: ++seq, path, sha256: f.sha256 })
    }
    await this.save({ ...this.progress, sent, removals })
  }

  /** Tells each machine on the network the removals it has not confirmed yet, oldest first. */
  private async tellRemovals (targets: readonly string[]): Promise<void> {
    const sent = this.progress.sent
    // A path sent again since it was removed is no longer a removal.
    const removals = (this.progress.removals ?? []).filter(r => sent[r.path] === undefined)
    const last = removals.at(-1)?.seq ?? 0
    for (const id of targets) {
      const done = this.progress.removalsDone?.[id] ?? 0
      if (done >= last || !this.host.online(id) || this.stopped) continue
      const due = removals.filter(r => r.seq > done).slice(0, MAX_REMOVALS)
      const told = await this.host.sendRemovals(id, { protocol: PROTOCOL, channel: this.config.id, removals: due.map(r => ({ path: r.path, sha256: r.sha256 })) })
      if (!told.ok) {
        // Tried again next round; said once per machine and reason, not every round.
        const said = `${id}:${told.error.message}`
        if (this.lastRemovalFailure.get(id) !== said) this.host.warn(`watched folder ${this.config.dir}: removals not delivered to ${id.slice(0, 8)}: ${told.error.message}`)
        this.lastRemovalFailure.set(id, said)
        continue
      }
      this.lastRemovalFailure.delete(id)
      await this.save({ ...this.progress, removalsDone: { ...this.progress.removalsDone, [id]: due.at(-1)?.seq ?? done } })
    }
    // What every machine confirmed is kept no longer (the list stays as long as the slowest machine's backlog).
    const confirmed = Math.min(...targets.map(id => this.progress.removalsDone?.[id] ?? 0))
    const pending = (this.progress.removals ?? []).filter(r => r.seq > confirmed && this.progress.sent[r.path] === undefined)
    if (pending.length !== (this.progress.removals ?? []).length) await this.save({ ...this.progress, removals: pending })
  }

  private failed (message: string): false {
    this.error = message
    this.retryAt = Date.now() + RETRY_MS
    this.host.warn(`watched folder ${this.config.dir}: ${message}`)
    return false
  }

  private async save (next: ChannelProgress): Promise<void> {
    this.progress = next
    const saved = await this.store.saveProgress(this.config.id, next)
    if (!saved.ok) this.host.warn(saved.error.message)
  }
}
