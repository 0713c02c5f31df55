// The persistent list of distributions: records in distributions.json, each .torrent beside it,
// and a recipient's verified-piece journal. Written on every change of a record's state; changes
// made while a write is on its way share the one write after it (a folder of 50,000 files makes
// an origin's record megabytes long, so a burst of reports must not write it once each).
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fail, ok, type Result } from '../../../common/result.js'
import { dataPaths } from '../settings/data-dir.js'
import { readJson, writeFileAtomic } from '../store/json-file.js'
import { PieceJournal } from '../store/piece-journal.js'
import { mkdirPrivate } from '../store/private-files.js'
import { parseTorrentFile, type Metainfo } from '../torrent/metainfo.js'
import type { DistributionRecord, SourceFileStamp } from './records.js'

export class DistributionRegistry {
  private readonly records = new Map<string, DistributionRecord>()
  /** The write on its way, if any. */
  private writing: Promise<void> | undefined
  /** The write queued after it: every change made meanwhile waits for this one. */
  private queued: Promise<void> | undefined
  /** Times distributions.json was written since load (diagnostics: a burst of changes is one or two). */
  private written = 0

  private constructor (private readonly dataDir: string) {}

  static async load (dataDir: string): Promise<Result<DistributionRegistry>> {
    const reg = new DistributionRegistry(dataDir)
    const paths = dataPaths(dataDir)
    await mkdirPrivate(paths.distributionDir)
    const stored = await readJson(paths.distributions)
    if (!stored.ok) return stored
    const list = stored.value ?? []
    if (!Array.isArray(list)) return fail('corrupt', `${paths.distributions} must hold a list`)
    for (const r of list as DistributionRecord[]) {
      if (typeof r?.infoHash === 'string' && /^[0-9a-f]{40}$/.test(r.infoHash)) reg.records.set(r.infoHash, r)
    }
    return ok(reg)
  }

  get writes (): number { return this.written }

  list (): DistributionRecord[] { return [...this.records.values()] }

  get (infoHash: string): DistributionRecord | undefined { return this.records.get(infoHash) }

  async put (record: DistributionRecord): Promise<void> {
    this.records.set(record.infoHash, record)
    await this.save()
  }

  /** Changes a record; `persist: false` for live figures that change every second. */
  async update<R extends DistributionRecord> (infoHash: string, fn: (r: R) => R, persist = true): Promise<R | undefined> {
    const current = this.records.get(infoHash) as R | undefined
    if (!current) return undefined
    const next = fn(current)
    this.records.set(infoHash, next)
    if (persist) await this.save()
    return next
  }

  async remove (infoHash: string): Promise<void> {
    this.records.delete(infoHash)
    await rm(this.torrentPath(infoHash), { force: true })
    await this.save()
  }

  async saveTorrent (m: Metainfo): Promise<void> {
    await writeFileAtomic(this.torrentPath(m.infoHash), m.torrentFile)
  }

  /**
   * The stored .torrent's bytes, unparsed: what an offer carries. Parsing a folder of 50,000 files
   * takes a second; its recipients parse and check it anyway.
   */
  async torrentBytes (infoHash: string): Promise<Result<Buffer>> {
    try {
      return ok(await readFile(this.torrentPath(infoHash)))
    } catch {
      return fail('missing', `the torrent of ${infoHash} is missing from the data directory`)
    }
  }

  async loadTorrent (infoHash: string): Promise<Result<Metainfo>> {
    let bytes: Buffer
    try {
      bytes = await readFile(this.torrentPath(infoHash))
    } catch {
      return fail('missing', `the torrent of ${infoHash} is missing from the data directory`)
    }
    const parsed = parseTorrentFile(bytes)
    if (parsed.ok && parsed.value.infoHash !== infoHash) return fail('corrupt', `the stored torrent of ${infoHash} does not match its name`)
    return parsed
  }

  journal (infoHash: string, pieceCount: number): PieceJournal {
    return PieceJournal.open(join(dataPaths(this.dataDir).distributionDir, infoHash), pieceCount)
  }

  private torrentPath (infoHash: string): string {
    return join(dataPaths(this.dataDir).distributionDir, `${infoHash}.torrent`)
  }

  /**
   * Serialises writes so concurrent updates never interleave on disk, and coalesces them: a save
   * asked for while a write runs joins the single write queued after it, which takes its snapshot
   * when it starts, so it holds every change made up to then.
   */
  private async save (): Promise<void> {
    if (this.queued) return await this.queued
    const before = this.writing ?? Promise.resolve()
    const write: Promise<void> = before.catch(() => {}).then(async () => {
      // From here on a change needs a write of its own: this one's snapshot is taken now.
      this.queued = undefined
      this.writing = write
      try {
        await writeFileAtomic(dataPaths(this.dataDir).distributions, registryJson([...this.records.values()]))
        this.written++
      } finally {
        if (this.writing === write) this.writing = undefined
      }
    })
    this.queued = write
    await write
  }
}

/**
 * An origin's source list (a file each, so megabytes for a folder of 50,000 files) never changes
 * after hashing, and every version of its record shares the one array; its JSON is made once and
 * reused by every later write of the registry (a write per change of any member's state).
 */
const sourcesJson = new WeakMap<readonly SourceFileStamp[], string>()

function recordJson (r: DistributionRecord): string {
  if (r.role !== 'origin') return JSON.stringify(r)
  const { sources, ...rest } = r
  let list = sourcesJson.get(sources)
  if (list === undefined) {
    list = JSON.stringify(sources)
    sourcesJson.set(sources, list)
  }
  const head = JSON.stringify(rest)
  return `${head.slice(0, -1)}${head === '{}' ? '' : ','}"sources":${list}}`
}

/** distributions.json: one record per line. */
export function registryJson (records: readonly DistributionRecord[]): string {
  return `[\n${records.map(recordJson).join(',\n')}\n]\n`
}
