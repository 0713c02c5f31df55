// What a path given to `send` or dropped on the window turns into: one file, or a folder walked
// in a stable order. Symlinks and special files inside a folder are skipped (and listed), so a
// distribution never reaches outside the folder the person chose.
import { lstatSync } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { basename, dirname, resolve, sep } from 'node:path'
import { sortedByBytes } from './byte-order.js'
import { errnoCode, errorMessage, fail, ok, type Result } from '../../../common/result.js'
import { unsafePathReason } from './safe-path.js'
import { settledCtime } from './ctime-trust.js'

export interface SourceEntry {
  readonly path: readonly string[] // inside the distribution, without the top-level name
  readonly absolutePath: string
  readonly length: number
  readonly mtimeMs: number
  /** Its ctime when listed, if that was already a moment old (ctime-trust.ts); undefined otherwise. */
  readonly ctimeMs?: number | undefined
}

export interface Source {
  readonly name: string
  readonly isFolder: boolean
  /** The folder that contains the file or folder; a torrent's save path. */
  readonly parentDir: string
  readonly entries: readonly SourceEntry[]
  readonly totalLength: number
  readonly skipped: readonly string[]
}

const MAX_FILES = 1_000_000
const SLICE = 500

export async function scanSource (input: string): Promise<Result<Source>> {
  const absolute = resolve(input)
  let st
  try {
    st = await stat(absolute)
  } catch (err) {
    const code = errnoCode(err)
    if (code === 'ENOENT') return fail('not-found', `${input}: no such file or folder`)
    if (code === 'EACCES') return fail('unreadable', `${input}: permission denied`)
    return fail('unreadable', `${input}: ${errorMessage(err)}`)
  }
  const name = basename(absolute)
  const nameProblem = unsafePathReason([name])
  if (nameProblem) return fail('bad-name', `${input}: its name has ${nameProblem}; rename it first`)

  if (st.isFile()) {
    if (st.size === 0) return fail('empty', `${input} is empty: there is nothing to send`)
    return ok({
      name,
      isFolder: false,
      parentDir: dirname(absolute),
      entries: [{ path: [name], absolutePath: absolute, length: st.size, mtimeMs: st.mtimeMs, ctimeMs: settledCtime(st.ctimeMs, Date.now()) }],
      totalLength: st.size,
      skipped: []
    })
  }
  if (!st.isDirectory()) return fail('not-regular', `${input} is neither a file nor a folder`)

  const entries: SourceEntry[] = []
  const skipped: string[] = []
  const walk = async (dir: string, rel: string[]): Promise<Result<void>> => {
    let names: string[]
    try {
      names = await readdir(dir)
    } catch (err) {
      return fail('unreadable', `${dir}: ${errorMessage(err)}`)
    }
    // Byte order, not locale order: the same folder gives the same torrent everywhere.
    names = sortedByBytes(names)
    for (const [k, n] of names.entries()) {
      // readdir's names hold no separator: joined by hand, without normalising 50,000 paths.
      const abs = dir.endsWith(sep) ? dir + n : dir + sep + n
      const path = [...rel, n]
      // Blocking lstat, a slice at a time: an awaited one per entry made a folder of 50,000 files
      // take ~2 s of round trips through libuv's pool; a slice of SLICE entries holds the event
      // loop for a few milliseconds, then lets it run.
      if (k > 0 && k % SLICE === 0) await new Promise(resolve => setImmediate(resolve))
      let lst
      try {
        lst = lstatSync(abs)
      } catch (err) {
        return fail('unreadable', `${abs}: ${errorMessage(err)}`)
      }
      if (lst.isDirectory()) {
        const r = await walk(abs, path)
        if (!r.ok) return r
      } else if (lst.isFile() && unsafePathReason(path) === undefined) {
        entries.push({ path, absolutePath: abs, length: lst.size, mtimeMs: lst.mtimeMs, ctimeMs: settledCtime(lst.ctimeMs, Date.now()) })
        if (entries.length > MAX_FILES) return fail('too-many', `${input} holds more than ${MAX_FILES} files`)
      } else {
        skipped.push(path.join('/'))
      }
    }
    return ok(undefined)
  }
  const walked = await walk(absolute, [])
  if (!walked.ok) return walked
  const totalLength = entries.reduce((sum, e) => sum + e.length, 0)
  if (totalLength === 0) return fail('empty', `${input} holds no data: there is nothing to send`)
  return ok({ name, isFolder: true, parentDir: dirname(absolute), entries, totalLength, skipped })
}

