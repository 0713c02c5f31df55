// Watched folders ("channels") and their progress, kept in the data directory so a watch and what
// it already sent survive a restart: channels.json lists the channels; channels/ID.json holds,
// per channel, every file sent (by path, size, mtime and SHA-256, with the batch that carried it)
// and every batch (its infohash and the machines it was sent to). Files are owner-only and
// written whole and atomically (json-file.ts); writes of one file are serialized.
import { randomBytes } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { isGroupName } from '../../../common/commands.js'
import { errorMessage, fail, ok, type Result } from '../../../common/result.js'
import { isDeviceId } from '../identity/device-id.js'
import { isRecord, readJson, writeJson } from '../store/json-file.js'

export const CHANNELS_FILE = 'channels.json'
export const CHANNELS_DIR = 'channels'
export const MAX_CHANNELS = 100
const CHANNEL_ID = /^[0-9a-f]{16}$/

export interface ChannelConfig {
  readonly id: string
  /** Absolute path of the watched folder. */
  readonly dir: string
  /** The folder's name: the name of every batch, and of the folder it lands in on the recipients. */
  readonly name: string
  /** Sent to this group's members as the group is at each moment (members added later catch up). */
  readonly group: string | null
  /** And to these machines, by device id. */
  readonly ids: readonly string[]
  /** How long a file's size and mtime must hold still before it is sent. */
  readonly settleMs: number
  /** A file removed from the folder is removed on the machines too (absent: false). */
  readonly mirrorDeletes?: boolean
  readonly createdAt: string
}

export interface SentFile {
  readonly size: number
  readonly mtimeMs: number
  readonly sha256: string
  /** The batch (seq) that carried this version. */
  readonly batch: number
}

export interface BatchRecord {
  readonly seq: number
  readonly infoHash: string
  readonly fileCount: number
  readonly totalLength: number
  readonly createdAt: string
  /** Machines it was offered (or kept waiting) for. */
  readonly to: readonly string[]
  /** Its source changed after it was made: its unchanged files went out again in a later batch. */
  readonly superseded?: boolean
}

/** A file removed from a folder watched with mirrorDeletes: the version sent, numbered in order. */
export interface RemovalRecord { readonly seq: number; readonly path: string; readonly sha256: string }

export interface ChannelProgress {
  readonly sent: Readonly<Record<string, SentFile>>
  readonly batches: readonly BatchRecord[]
  /** Removals to tell the machines (mirrorDeletes only), oldest first. */
  readonly removals?: readonly RemovalRecord[]
  /** The highest removal seq each machine confirmed, by device id. */
  readonly removalsDone?: Readonly<Record<string, number>>
}

export const EMPTY_PROGRESS: ChannelProgress = { sent: {}, batches: [] }

export function newChannelId (): string { return randomBytes(8).toString('hex') }

function isConfig (c: unknown): c is ChannelConfig {
  return isRecord(c) && typeof c.id === 'string' && CHANNEL_ID.test(c.id) && typeof c.dir === 'string' && typeof c.name === 'string' &&
    (c.group === null || isGroupName(c.group)) && Array.isArray(c.ids) && c.ids.every(isDeviceId) &&
    typeof c.settleMs === 'number' && c.settleMs >= 0 && typeof c.createdAt === 'string' &&
    (c.mirrorDeletes === undefined || typeof c.mirrorDeletes === 'boolean')
}

function isProgress (p: unknown): p is ChannelProgress {
  if (!isRecord(p) || !isRecord(p.sent) || !Array.isArray(p.batches)) return false
  const fileOk = (f: unknown): boolean => isRecord(f) && typeof f.size === 'number' && typeof f.mtimeMs === 'number' && typeof f.sha256 === 'string' && typeof f.batch === 'number'
  const batchOk = (b: unknown): boolean => isRecord(b) && typeof b.seq === 'number' && typeof b.infoHash === 'string' && /^[0-9a-f]{40}$/.test(b.infoHash) &&
    typeof b.fileCount === 'number' && typeof b.totalLength === 'number' && typeof b.createdAt === 'string' && Array.isArray(b.to) && b.to.every(isDeviceId)
  const removalOk = (r: unknown): boolean => isRecord(r) && typeof r.seq === 'number' && typeof r.path === 'string' && typeof r.sha256 === 'string'
  const removalsOk = p.removals === undefined || (Array.isArray(p.removals) && p.removals.every(removalOk))
  const doneOk = p.removalsDone === undefined || (isRecord(p.removalsDone) && Object.values(p.removalsDone).every(n => typeof n === 'number'))
  return Object.values(p.sent).every(fileOk) && p.batches.every(batchOk) && removalsOk && doneOk
}

/** Serializes the writes of one file: each waits for the one before it. */
class WriteQueue {
  private last: Promise<Result<void>> = Promise.resolve(ok(undefined))

  async write (path: string, value: unknown): Promise<Result<void>> {
    const next = this.last.then(async (): Promise<Result<void>> => {
      try {
        await writeJson(path, value)
        return ok(undefined)
      } catch (err) {
        return fail('write-failed', `cannot save ${path}: ${errorMessage(err)}`)
      }
    })
    this.last = next
    return await next
  }
}

export class ChannelStore {
  private readonly queues = new Map<string, WriteQueue>()

  private constructor (private readonly dataDir: string, private channels: ChannelConfig[]) {}

  static async load (dataDir: string): Promise<Result<ChannelStore>> {
    const path = join(dataDir, CHANNELS_FILE)
    const stored = await readJson(path)
    if (!stored.ok) return stored
    const raw = stored.value ?? []
    if (!Array.isArray(raw) || raw.length > MAX_CHANNELS) return fail('corrupt', `${path} must hold a list of at most ${MAX_CHANNELS} channels`)
    if (!raw.every(isConfig)) return fail('corrupt', `${path} lists an invalid channel`)
    return ok(new ChannelStore(dataDir, raw))
  }

  list (): readonly ChannelConfig[] { return this.channels }

  async add (c: ChannelConfig): Promise<Result<ChannelConfig>> {
    if (this.channels.length >= MAX_CHANNELS) return fail('too-many', `at most ${MAX_CHANNELS} folders are watched; unwatch one first`)
    this.channels = [...this.channels, c]
    const saved = await this.saveList()
    return saved.ok ? ok(c) : saved
  }

  /** Forgets a channel and its progress (what it sent stays where it went). */
  async remove (id: string): Promise<Result<void>> {
    this.channels = this.channels.filter(c => c.id !== id)
    const saved = await this.saveList()
    if (!saved.ok) return saved
    await rm(this.progressPath(id), { force: true })
    return ok(undefined)
  }

  async loadProgress (id: string): Promise<Result<ChannelProgress>> {
    const path = this.progressPath(id)
    const stored = await readJson(path)
    if (!stored.ok) return stored
    if (stored.value === undefined) return ok(EMPTY_PROGRESS)
    return isProgress(stored.value) ? ok(stored.value) : fail('corrupt', `${path} is not a channel's progress`)
  }

  async saveProgress (id: string, p: ChannelProgress): Promise<Result<void>> {
    return await this.queue(id).write(this.progressPath(id), p)
  }

  private async saveList (): Promise<Result<void>> {
    return await this.queue(CHANNELS_FILE).write(join(this.dataDir, CHANNELS_FILE), this.channels)
  }

  private queue (key: string): WriteQueue {
    let q = this.queues.get(key)
    if (!q) { q = new WriteQueue(); this.queues.set(key, q) }
    return q
  }

  private progressPath (id: string): string { return join(this.dataDir, CHANNELS_DIR, `${id}.json`) }
}
