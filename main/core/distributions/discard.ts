// Deleting what a download wrote, and nothing else: its staging data (`NAME.part`, or a watched
// folder's `.swarmdrop-….part`) when it is cancelled or withdrawn, or the files of a verified copy
// when a person asks. Paths come from the record, checked to be one name inside its downloads
// folder; symbolic links are removed as links, never followed.
import type { Dirent } from 'node:fs'
import { lstat, readdir, rm, rmdir } from 'node:fs/promises'
import { dirname, join, sep } from 'node:path'
import { errorMessage, fail, ok, type Result } from '../../../common/result.js'
import type { Metainfo } from '../torrent/metainfo.js'
import { partName, targetsFor } from './finish.js'
import type { RecipientRecord } from './records.js'

/** One path component, nothing that climbs out or names the folder itself. */
function isOneName (name: string): boolean {
  return name.length > 0 && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('\\') && !name.includes('\0')
}

const STAGING = /^\.swarmdrop-[0-9a-f]{16}\.part$/

/** Where the download's unverified data is, or a failure when the record names no safe place. */
export function partialPath (r: RecipientRecord): Result<string> {
  const name = partName(r)
  const safe = r.channel !== undefined ? STAGING.test(name) : isOneName(r.finalName) && name === `${r.finalName}.part`
  if (!safe) return fail('unsafe-path', `${r.name}: its record names no safe staging path (${JSON.stringify(name)}); nothing was deleted`)
  return ok(join(r.downloadsDir, name))
}

/** Bytes a file takes on disk (a partly written file may be sparse), at most its length. */
function onDisk (st: { size: number; blocks?: number }): number {
  return typeof st.blocks === 'number' && st.blocks >= 0 ? Math.min(st.size, st.blocks * 512) : st.size
}

/** Bytes under `path` (a file, or a folder walked without following links); 0 when it is not there. */
async function bytesUnder (path: string): Promise<number> {
  const st = await lstat(path).catch(() => undefined)
  if (st === undefined) return 0
  if (!st.isDirectory()) return st.isFile() ? onDisk(st) : 0
  let total = 0
  const entries: Dirent[] = await readdir(path, { withFileTypes: true }).catch(() => [])
  for (const e of entries) total += await bytesUnder(join(path, e.name))
  return total
}

/** Deletes a download's staging data (file or folder); answers the bytes it took on disk. */
export async function deletePartial (r: RecipientRecord): Promise<Result<number>> {
  const path = partialPath(r)
  if (!path.ok) return path
  const bytes = await bytesUnder(path.value)
  try {
    await rm(path.value, { recursive: true, force: true })
  } catch (err) {
    return fail('write-failed', `could not delete ${path.value}: ${errorMessage(err)}`)
  }
  return ok(bytes)
}

/**
 * Deletes a verified copy: each file the distribution wrote (a regular file, reached without a
 * link), then the folders it made, from the deepest, while empty: a file a person added in the
 * folder since stays, and so does the folder holding it. Answers the bytes deleted.
 */
export async function deleteCopy (r: RecipientRecord, m: Metainfo): Promise<Result<number>> {
  if (!isOneName(r.finalName)) return fail('unsafe-path', `${r.name}: its record names no safe path (${JSON.stringify(r.finalName)}); nothing was deleted`)
  const top = join(r.downloadsDir, r.finalName)
  const topSt = await lstat(top).catch(() => undefined)
  // A folder copy's top must be a real folder: through a link, its files would be someone else's.
  if (m.isFolder && topSt !== undefined && !topSt.isDirectory()) return fail('unsafe-path', `${top} is no longer a folder; nothing was deleted`)
  let bytes = 0
  const folders = new Set<string>()
  try {
    for (const t of targetsFor(m, r, false)) {
      const st = await lstat(t.path).catch(() => undefined)
      if (m.isFolder) for (let d = dirname(t.path); d.length > top.length && d.startsWith(top + sep); d = dirname(d)) folders.add(d)
      if (st === undefined || !st.isFile() || !(await noLinkBetween(top, t.path))) continue
      await rm(t.path, { force: true })
      bytes += st.size
    }
    if (m.isFolder) {
      const deepestFirst = [...folders].sort((a, b) => b.length - a.length)
      for (const d of [...deepestFirst, top]) await rmdir(d).catch(() => {})
    }
  } catch (err) {
    return fail('write-failed', `could not delete ${top}: ${errorMessage(err)}`)
  }
  return ok(bytes)
}

/** No folder between `top` (excluded) and `path` is a symbolic link. */
async function noLinkBetween (top: string, path: string): Promise<boolean> {
  for (let d = dirname(path); d.length > top.length; d = dirname(d)) {
    const st = await lstat(d).catch(() => undefined)
    if (st === undefined || st.isSymbolicLink() || !st.isDirectory()) return false
  }
  return true
}
