// What a watched folder holds now: every regular file under it, with its size and mtime, walked in
// byte order. Links and special files are left out (a channel never reaches outside its folder),
// as are names the path rules refuse and empty files (a torrent carries no data for them). Bounded:
// a folder of more than MAX_WATCHED_FILES files is refused rather than scanned every second.
import { lstatSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { errorMessage, fail, ok, type Result } from '../../../common/result.js'
import { unsafePathReason } from '../torrent/safe-path.js'
import { settledCtime } from '../torrent/ctime-trust.js'

export const MAX_WATCHED_FILES = 200_000
/** Entries between two yields to the event loop (blocking lstat is far faster than awaited stat). */
const SLICE = 500

export interface FolderFile {
  /** Inside the folder, `/`-separated. */
  readonly path: string
  readonly absolutePath: string
  readonly size: number
  readonly mtimeMs: number
  /** Its ctime, if already a moment old when scanned (ctime-trust.ts): what its guard checks when served. */
  readonly ctimeMs?: number | undefined
}

export async function scanFolder (root: string, top: string): Promise<Result<FolderFile[]>> {
  const files: FolderFile[] = []
  let seen = 0
  const walk = async (dir: string, rel: string[]): Promise<Result<void>> => {
    let names: string[]
    try {
      names = await readdir(dir)
    } catch (err) {
      // The folder itself must be there; a subfolder removed while walking is simply gone.
      if (rel.length > 0) return ok(undefined)
      // Said in words, once: the raw error named the path twice and spoke of a scandir.
      if (isGone(err)) return fail('gone', `the watched folder ${dir} is gone (moved, renamed or deleted); nothing is sent until it is back`)
      return fail('unreadable', `cannot read the watched folder ${dir}: ${errorMessage(err)}`)
    }
    names.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    for (const n of names) {
      if (++seen % SLICE === 0) await new Promise(resolve => setImmediate(resolve))
      const abs = join(dir, n)
      const path = [...rel, n]
      let st
      try {
        st = lstatSync(abs)
      } catch {
        continue // removed between readdir and lstat
      }
      if (st.isDirectory()) {
        const r = await walk(abs, path)
        if (!r.ok) return r
      } else if (st.isFile() && st.size > 0 && unsafePathReason(path, top) === undefined) {
        files.push({ path: path.join('/'), absolutePath: abs, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: settledCtime(st.ctimeMs, Date.now()) })
        if (files.length > MAX_WATCHED_FILES) return fail('too-many', `${root} holds more than ${MAX_WATCHED_FILES} files: watch a smaller folder`)
      }
    }
    return ok(undefined)
  }
  const walked = await walk(root, [])
  return walked.ok ? ok(files) : walked
}

function isGone (err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code
  return code === 'ENOENT' || code === 'ENOTDIR'
}
