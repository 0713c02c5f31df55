// The `browse` command: one folder of this machine, listed for the web UI's folder browser, so a
// person at a browser can send a file where it lies instead of uploading a copy. Bounded (a folder
// of a million files answers with the first few thousand and says so); links are followed to say
// what they point to; unreadable folders and broken links are answers, not exceptions.
import type { Dirent } from 'node:fs'
import { opendir, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import type { ApiResult, FolderEntry, FolderListing } from '../../../common/api.js'
import { errnoCode, errorMessage, fail } from '../../../common/result.js'

/** Enough for any folder a person scrolls through; more is a sign to type the path. */
export const MAX_ENTRIES = 2_000

/**
 * Names read to choose those shown: the listing is the first MAX_ENTRIES in order, not whichever
 * the file system returned first (a render's frame-00042 was missing from a folder of 10,000).
 */
export const MAX_SCANNED = 100_000

const byName = new Intl.Collator(undefined, { numeric: false }).compare
const folderFirst = (a: { readonly folder: boolean, readonly name: string }, b: { readonly folder: boolean, readonly name: string }): number =>
  (a.folder ? 0 : 1) - (b.folder ? 0 : 1) || byName(a.name, b.name)

function whyNot (path: string, err: unknown): ApiResult<never> {
  switch (errnoCode(err)) {
    case 'ENOENT': return fail('not-found', `${path} does not exist`)
    case 'EACCES':
    case 'EPERM': return fail('unreadable', `${path} cannot be read: permission denied`)
    case 'ENOTDIR': return fail('not-a-folder', `${path} is not a folder`)
    case 'ELOOP': return fail('unreadable', `${path} is a loop of symbolic links`)
    default: return fail('unreadable', `${path} cannot be read: ${errorMessage(err)}`)
  }
}

async function entryOf (dir: string, d: Dirent): Promise<FolderEntry> {
  const link = d.isSymbolicLink()
  if (!link && d.isDirectory()) return { name: d.name, kind: 'folder', size: null, link }
  try {
    // stat follows a link to its target: a link to a folder is browsed like a folder.
    const s = await stat(join(dir, d.name))
    if (s.isDirectory()) return { name: d.name, kind: 'folder', size: null, link }
    if (s.isFile()) return { name: d.name, kind: 'file', size: s.size, link }
  } catch {
    // A broken link or an entry that vanished meanwhile: listed, but not something to send.
  }
  return { name: d.name, kind: 'other', size: null, link }
}

export async function browseFolder (path: string | undefined): Promise<ApiResult<FolderListing>> {
  const asked = path ?? homedir()
  if (!isAbsolute(asked)) return fail('bad-request', `path must be absolute (from the root of this machine), not ${JSON.stringify(asked.slice(0, 40))}`)
  const dir = resolve(asked)
  try {
    const s = await stat(dir)
    if (!s.isDirectory()) return fail('not-a-folder', `${dir} is a file, not a folder`)
  } catch (err) {
    return whyNot(dir, err)
  }
  const dirents: Dirent[] = []
  try {
    const handle = await opendir(dir, { bufferSize: 256 })
    for await (const d of handle) {
      dirents.push(d)
      if (dirents.length === MAX_SCANNED) break
    }
  } catch (err) {
    return whyNot(dir, err)
  }
  // Only the entries shown are looked at (stat): ordered by their names first, folders ahead.
  const shown = dirents.map(d => ({ d, name: d.name, folder: d.isDirectory() })).sort(folderFirst).slice(0, MAX_ENTRIES)
  const truncated = dirents.length > shown.length
  const entries = await Promise.all(shown.map(x => entryOf(dir, x.d)))
  // A link to a folder is a folder once followed: ordered again with what the links point to.
  entries.sort((a, b) => folderFirst({ folder: a.kind === 'folder', name: a.name }, { folder: b.kind === 'folder', name: b.name }))
  const parent = dirname(dir)
  return { ok: true, value: { path: dir, parent: parent === dir ? null : parent, entries, truncated } }
}
