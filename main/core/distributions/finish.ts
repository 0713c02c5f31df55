// The last step of every download: re-read NAME.part, compare each file's SHA-256 (and the whole
// content hash) with what the metadata promises, create the empty files, and rename to NAME, or
// "NAME (2)" when NAME appeared meanwhile. Nothing is renamed unless every hash matches.
import { randomUUID } from 'node:crypto'
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join, sep } from 'node:path'
import type { FileStoreTarget } from '../engine/file-store.js'
import { completeRunning, takeWritten } from '../engine/written-digests.js'
import { sha256OfFiles } from '../hashing/hash-files.js'
import { errorMessage, fail, ok, type Result } from '../../../common/result.js'
import { contentSha256 } from '../torrent/content-hash.js'
import type { Metainfo } from '../torrent/metainfo.js'

export interface Placement {
  readonly downloadsDir: string
  readonly finalName: string
  /** A channel batch: staged in its own folder, then merged into `finalName` (see mergeInto). */
  readonly channel?: { readonly partName: string }
}

/** Where a download is written until it is verified. */
export function partName (p: Placement): string {
  return p.channel?.partName ?? `${p.finalName}.part`
}

export function targetsFor (m: Metainfo, p: Placement, part: boolean): FileStoreTarget[] {
  const top = join(p.downloadsDir, part ? partName(p) : p.finalName)
  // Metainfo paths are checked components (safe-path.ts: none empty, "." or "..", none with a
  // separator), so joining them by hand gives what path.join would, without normalising 50,000 paths.
  return m.files.map(f => ({ path: m.isFolder ? top + sep + f.path.join(sep) : top, length: f.length, offset: f.offset }))
}

/**
 * At most this much of a file is read (on the digest thread) to complete its running digest; a file
 * further behind (a download resumed from an earlier run) is read whole on the hashing thread.
 */
const MAX_COMPLETE_READ = 256 * 1024 * 1024

export interface Finished { readonly finalName: string; readonly sha256: string; readonly path: string }

/** `expectedSha256` is the content hash the sender announced; metadata without SHA-256s is checked by pieces only. */
export async function verifyAndPlace (m: Metainfo, p: Placement, expectedSha256: string | undefined): Promise<Result<Finished>> {
  const parts = targetsFor(m, p, true)
  for (const t of parts) {
    if (t.length === 0) {
      await mkdir(dirname(t.path), { recursive: true })
      await writeFile(t.path, '')
    }
  }
  // Files the store wrote in this run have their SHA-256 from the bytes written (see
  // written-digests.ts); every other file is read back and hashed.
  const digests: (string | undefined)[] = parts.map(t => t.length > 0 ? takeWritten(t.path, t.length) : undefined)
  // A big file hashed as it was written, in order: completed from where its digest is.
  for (const [i, t] of parts.entries()) {
    const running = digests[i] === undefined && t.length > 0 ? completeRunning(t.path, t.length, MAX_COMPLETE_READ) : undefined
    if (running !== undefined) digests[i] = await running
  }
  const unread = parts.flatMap((t, i) => digests[i] === undefined ? [i] : [])
  const hashed = await sha256OfFiles(unread.map(i => ({ path: parts[i]?.path ?? '', length: parts[i]?.length ?? 0 })))
  if (!hashed.ok) return fail('verify', `final check could not read the data: ${hashed.error.message}`)
  unread.forEach((fileIndex, k) => { digests[fileIndex] = hashed.value[k] })
  const files = m.files.map((f, i) => ({ path: f.path, sha256: digests[i] ?? '' }))
  const whole = contentSha256(m.isFolder, files)
  const badIndex = m.files.findIndex((f, i) => f.sha256 !== undefined && f.sha256 !== digests[i])
  const bad = m.files[badIndex]
  if (bad) return fail('mismatch', `SHA-256 mismatch in ${bad.path.join('/')}: expected ${bad.sha256 ?? ''}, got ${digests[badIndex] ?? ''}`)
  if (expectedSha256 !== undefined && whole !== expectedSha256) return fail('mismatch', `SHA-256 mismatch: expected ${expectedSha256}, got ${whole}`)
  if (p.channel !== undefined) {
    const merged = await mergeInto(m, p, p.channel.partName)
    return merged.ok ? ok({ finalName: p.finalName, sha256: whole, path: join(p.downloadsDir, p.finalName) }) : merged
  }
  let finalName = p.finalName
  if (await exists(join(p.downloadsDir, finalName))) finalName = await unusedName(p.downloadsDir, m.name)
  const from = join(p.downloadsDir, `${p.finalName}.part`)
  const to = join(p.downloadsDir, finalName)
  try {
    await rename(from, to)
  } catch (err) {
    return fail('rename', `verified, but could not rename ${from}: ${errorMessage(err)}`)
  }
  return ok({ finalName, sha256: whole, path: to })
}

/**
 * A channel batch joins the folder earlier batches filled: each verified file is renamed from the
 * staging folder to its place (a newer version of a file replaces the older one), then the staging
 * folder, now empty of files, is removed. Paths were checked when the torrent was parsed.
 */
async function mergeInto (m: Metainfo, p: Placement, staging: string): Promise<Result<void>> {
  const from = join(p.downloadsDir, staging)
  const to = join(p.downloadsDir, p.finalName)
  try {
    for (const f of m.files) {
      const target = join(to, ...f.path)
      await mkdir(dirname(target), { recursive: true })
      await rename(join(from, ...f.path), target)
    }
    await rm(from, { recursive: true, force: true })
  } catch (err) {
    return fail('rename', `verified, but could not move the files of ${staging} into ${to}: ${errorMessage(err)}`)
  }
  return ok(undefined)
}

async function exists (path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false)
}

/** NAME, or "NAME (2)", "NAME (3)"… so an incoming copy never overwrites an existing file. */
export async function unusedName (dir: string, name: string): Promise<string> {
  const dot = name.lastIndexOf('.')
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, '']
  for (let i = 1; i < 1000; i++) {
    const candidate = i === 1 ? name : numbered(stem, ` (${i})`, ext)
    if (!(await exists(join(dir, candidate))) && !(await exists(join(dir, `${candidate}.part`)))) return candidate
  }
  return numbered(stem, ` (${randomUUID().slice(0, 8)})`, ext)
}

/** Bytes a name may take so that `NAME.part` still fits a file system's 255-byte limit. */
const MAX_NAME_BYTES = 250

/** `stem + tag + ext`, the stem shortened (never inside a character) so the whole fits MAX_NAME_BYTES. */
function numbered (stem: string, tag: string, ext: string): string {
  const room = MAX_NAME_BYTES - Buffer.byteLength(tag + ext)
  // An extension that leaves no room is shortened with the rest.
  if (room < 1) return numbered(stem + ext, tag, '')
  let cut = stem
  while (Buffer.byteLength(cut) > room && cut.length > 0) cut = [...cut].slice(0, -1).join('')
  return `${cut}${tag}${ext}`
}
