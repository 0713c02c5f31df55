// The device's history of distributions, for reports: who received what, when, with which receipt.
// One JSON object per line in history.jsonl (owner-only), only ever appended to, so a crash loses
// at most the line being written (an unreadable line is skipped). Each line updates one
// distribution or one machine of it; reading folds them, the last word winning. The file is
// rewritten folded (atomically) when it has grown to several times what it says, and when old
// entries are pruned, so it stays bounded by what it holds.
import { appendFile, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { DistributionReport, MemberState, ReportMachine, SignedReceipt } from '../../../common/api.js'
import { errnoCode, errorMessage, fail, ok, type Result } from '../../../common/result.js'
import { parseReceipt } from '../protocol/receipt.js'
import { writeFileAtomic } from '../store/json-file.js'
import { PRIVATE_FILE_MODE } from '../store/private-files.js'

export const HISTORY_FILE = 'history.jsonl'
/** Beyond this, the distributions touched longest ago are dropped when the file is folded. */
export const MAX_DISTRIBUTIONS = 10_000
const MAX_MACHINES = 1_000
const MAX_LINE = 1024 * 1024
/** Lines appended beyond this many (and beyond 4 × the folded lines) fold the file. */
const COMPACT_AFTER_LINES = 10_000

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** A distribution's own fields, as a line carries them (machines and upload come in their own lines). */
export type DistributionFacts = Omit<DistributionReport, 'machines' | 'originUploadedBytes' | 'updatedAt'>

type Line =
  | { readonly v: 1; readonly t: 'distribution'; readonly at: string; readonly d: DistributionFacts }
  | { readonly v: 1; readonly t: 'machine'; readonly at: string; readonly infoHash: string; readonly m: ReportMachine }
  | { readonly v: 1; readonly t: 'upload'; readonly at: string; readonly infoHash: string; readonly bytes: number }

const MEMBER_STATES: readonly MemberState[] = ['offering', 'pending', 'accepted', 'declined', 'downloading', 'verifying', 'verified', 'failed', 'paused', 'unreachable', 'timeout', 'no-space', 'lost', 'unknown']

const isText = (v: unknown, max = 4096): v is string => typeof v === 'string' && v.length <= max
const isTime = (v: unknown): v is string => isText(v, 64) && Number.isFinite(Date.parse(v))
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
const isHex = (v: unknown, n: number): v is string => typeof v === 'string' && v.length === n && /^[0-9a-f]+$/.test(v)
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function machineOf (v: unknown): ReportMachine | undefined {
  if (!isRecord(v) || !isHex(v.id, 32) || !isText(v.name, 256) || !(MEMBER_STATES as readonly unknown[]).includes(v.state)) return undefined
  if (!(v.acceptedAt === null || isTime(v.acceptedAt)) || !(v.verifiedAt === null || isTime(v.verifiedAt))) return undefined
  if (!isCount(v.bytes) || !isCount(v.badPieces)) return undefined
  // A receipt that does not even parse is no receipt: `report --verify` then says the row has none.
  const receipt: SignedReceipt | null = v.receipt === null || v.receipt === undefined ? null : (r => r.ok ? r.value : null)(parseReceipt(v.receipt))
  return {
    id: v.id, name: v.name, state: v.state as MemberState, acceptedAt: v.acceptedAt, verifiedAt: v.verifiedAt, bytes: v.bytes, badPieces: v.badPieces,
    ...(isText(v.reason, 500) ? { reason: v.reason } : {}),
    receipt
  }
}

function factsOf (v: unknown): DistributionFacts | undefined {
  if (!isRecord(v) || !isHex(v.infoHash, 40) || !isText(v.name, 1024) || !isHex(v.sha256, 64) || !isCount(v.totalLength)) return undefined
  if ((v.role !== 'origin' && v.role !== 'recipient') || !isRecord(v.origin) || !isHex(v.origin.id, 32) || !isText(v.origin.name, 256)) return undefined
  if (!isTime(v.createdAt) || !(v.sentAt === null || isTime(v.sentAt))) return undefined
  // Lines written before the history kept what it is (a folder, how many files) leave it unknown.
  const isFolder = typeof v.isFolder === 'boolean' ? v.isFolder : null
  const fileCount = isCount(v.fileCount) && v.fileCount > 0 ? v.fileCount : null
  return { infoHash: v.infoHash, name: v.name, sha256: v.sha256, totalLength: v.totalLength, isFolder, fileCount, role: v.role, origin: { id: v.origin.id, name: v.origin.name }, createdAt: v.createdAt, sentAt: v.sentAt }
}

/** One line of the file, or undefined for anything else (a torn last line, an unknown kind). */
export function parseLine (text: string): Line | undefined {
  let v: unknown
  try { v = JSON.parse(text) } catch { return undefined }
  if (!isRecord(v) || v.v !== 1 || !isTime(v.at)) return undefined
  if (v.t === 'distribution') {
    const d = factsOf(v.d)
    return d ? { v: 1, t: 'distribution', at: v.at, d } : undefined
  }
  if (!isHex(v.infoHash, 40)) return undefined
  if (v.t === 'machine') {
    const m = machineOf(v.m)
    return m ? { v: 1, t: 'machine', at: v.at, infoHash: v.infoHash, m } : undefined
  }
  if (v.t === 'upload' && isCount(v.bytes)) return { v: 1, t: 'upload', at: v.at, infoHash: v.infoHash, bytes: v.bytes }
  return undefined
}

/** Folds one line into `into` (by infoHash); a machine or upload line for an unknown distribution is dropped. */
function fold (into: Map<string, Mutable<DistributionReport>>, line: Line): void {
  if (line.t === 'distribution') {
    const had = into.get(line.d.infoHash)
    into.set(line.d.infoHash, {
      ...line.d,
      // The first send stays the send time: a later line only fills it in.
      sentAt: had?.sentAt ?? line.d.sentAt,
      originUploadedBytes: had?.originUploadedBytes ?? (line.d.role === 'origin' ? 0 : null),
      updatedAt: had !== undefined && had.updatedAt > line.at ? had.updatedAt : line.at,
      machines: had?.machines ?? []
    })
    return
  }
  const d = into.get(line.infoHash)
  if (!d) return
  d.updatedAt = line.at > d.updatedAt ? line.at : d.updatedAt
  if (line.t === 'upload') {
    d.originUploadedBytes = line.bytes
    return
  }
  // Machines keep the order they were first heard in; a later line replaces a machine's row.
  const i = d.machines.findIndex(m => m.id === line.m.id)
  if (i >= 0) d.machines = d.machines.map((m, k) => k === i ? line.m : m)
  else if (d.machines.length < MAX_MACHINES) d.machines = [...d.machines, line.m]
}

/** The lines that say exactly what `d` says. */
function linesOf (d: DistributionReport): Line[] {
  const { machines, originUploadedBytes, updatedAt, ...facts } = d
  return [
    { v: 1, t: 'distribution', at: updatedAt, d: facts },
    ...machines.map((m): Line => ({ v: 1, t: 'machine', at: updatedAt, infoHash: d.infoHash, m })),
    ...(originUploadedBytes !== null && originUploadedBytes > 0 ? [{ v: 1, t: 'upload', at: updatedAt, infoHash: d.infoHash, bytes: originUploadedBytes } as const] : [])
  ]
}

const text = (lines: readonly Line[]): string => lines.map(l => JSON.stringify(l) + '\n').join('')

export class HistoryLog {
  private readonly entries = new Map<string, Mutable<DistributionReport>>()
  private writing: Promise<void> = Promise.resolve()
  private appended = 0
  /** The file ends inside a line (a crash mid-write): the next line must not be glued to it. */
  private torn = false

  private constructor (readonly path: string) {}

  /** Reads the history of `dataDir`; `fresh`: there was none yet; `skipped` counts unreadable lines. */
  static async open (dataDir: string): Promise<Result<{ log: HistoryLog; skipped: number; fresh: boolean }>> {
    const log = new HistoryLog(join(dataDir, HISTORY_FILE))
    let body: string
    try {
      body = await readFile(log.path, 'utf8')
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return ok({ log, skipped: 0, fresh: true })
      return fail('unreadable', `cannot read the history ${log.path}: ${errorMessage(err)}`)
    }
    let skipped = 0
    for (const raw of body.split('\n')) {
      if (raw.length === 0) continue
      const line = raw.length > MAX_LINE ? undefined : parseLine(raw)
      if (line) fold(log.entries, line)
      else skipped++
    }
    log.appended = body.split('\n').length
    log.torn = body.length > 0 && !body.endsWith('\n')
    return ok({ log, skipped, fresh: false })
  }

  /** Every distribution, the most recently touched first. */
  list (): DistributionReport[] {
    return [...this.entries.values()].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
  }

  get (infoHash: string): DistributionReport | undefined { return this.entries.get(infoHash) }

  async distribution (d: DistributionFacts, at = new Date().toISOString()): Promise<void> {
    await this.add({ v: 1, t: 'distribution', at, d })
  }

  async machine (infoHash: string, m: ReportMachine, at = new Date().toISOString()): Promise<void> {
    await this.add({ v: 1, t: 'machine', at, infoHash, m })
  }

  async upload (infoHash: string, bytes: number, at = new Date().toISOString()): Promise<void> {
    await this.add({ v: 1, t: 'upload', at, infoHash, bytes })
  }

  /** Forgets the distributions last touched before `before` (ISO), and folds the file. */
  async prune (before: string): Promise<{ removed: number; kept: number }> {
    let removed = 0
    for (const [ih, d] of this.entries) {
      if (d.updatedAt < before) { this.entries.delete(ih); removed++ }
    }
    await this.rewrite()
    return { removed, kept: this.entries.size }
  }

  /** Waits for every write begun so far. */
  async flush (): Promise<void> { await this.writing.catch(() => {}) }

  private async add (line: Line): Promise<void> {
    fold(this.entries, line)
    if (!this.entries.has(line.t === 'distribution' ? line.d.infoHash : line.infoHash)) return
    this.appended++
    const folded = (): number => [...this.entries.values()].reduce((n, d) => n + d.machines.length + 2, 0)
    if (this.entries.size > MAX_DISTRIBUTIONS || (this.appended > COMPACT_AFTER_LINES && this.appended > 4 * folded())) {
      await this.rewrite()
      return
    }
    const entry = `${this.torn ? '\n' : ''}${JSON.stringify(line)}\n`
    this.torn = false
    await this.write(async () => { await appendFile(this.path, entry, { mode: PRIVATE_FILE_MODE }) })
  }

  /** The file again, folded: only what it says now (the oldest beyond MAX_DISTRIBUTIONS dropped). */
  private async rewrite (): Promise<void> {
    const keep = this.list().slice(0, MAX_DISTRIBUTIONS)
    for (const ih of [...this.entries.keys()]) if (!keep.some(d => d.infoHash === ih)) this.entries.delete(ih)
    const lines = keep.reverse().flatMap(linesOf)
    this.appended = lines.length
    this.torn = false
    await this.write(async () => { await writeFileAtomic(this.path, text(lines)) })
  }

  /** Writes one at a time, in order; one failed write does not stop the later ones. */
  private async write (work: () => Promise<void>): Promise<void> {
    this.writing = this.writing.catch(() => {}).then(work)
    await this.writing
  }
}
