// Whether a downloads folder can take files, asked before an offer is shown and when it is
// accepted: a read-only mount, or a folder the user Swarmdrop runs as may not write (a service
// installed with --run-as and a folder owned by root), is said in one sentence up front instead of
// being found by the first piece written (a raw "EROFS: read-only file system, open '….part'").
// The words are disk-errors.ts's, which says the same of a write that fails mid-transfer.
import { access, constants, stat, statfs } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { errnoCode } from '../../../common/result.js'
import { formatBytes } from '../../../common/units.js'
import { unwritable } from '../engine/disk-errors.js'

/** Why nothing can be saved in `dir` (one sentence, no advice), or undefined when it can. */
export async function folderProblem (dir: string): Promise<string | undefined> {
  // A folder not made yet is made on accept: its nearest existing parent must take it.
  let at = resolve(dir)
  for (let i = 0; i < 64; i++) {
    try {
      if (!(await stat(at)).isDirectory()) return `${at} is not a folder`
      break
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') return unwritable(dir, err)
      const up = dirname(at)
      if (up === at) return undefined
      at = up
    }
  }
  try {
    await access(at, constants.W_OK)
    return undefined
  } catch (err) {
    return unwritable(dir, err)
  }
}

/** statfs's type of FAT (vfat, msdos): files under 4 GiB only (a USB stick's usual format). */
const MSDOS_SUPER_MAGIC = 0x4d44

/** A file system's largest file, and how to say it (formatBytes would round 4 GiB - 1 and 4 GiB alike). */
export interface FileSizeLimit {
  readonly bytes: number
  readonly words: string
}

const FAT_LIMIT: FileSizeLimit = { bytes: 4 * 1024 * 1024 * 1024 - 1, words: 'a FAT file system, which holds no file of 4 GiB or more' }

/** The limit of a file system by its statfs type (Linux's magic numbers), where it is small. */
export function limitOfFileSystemType (type: number): FileSizeLimit | undefined {
  return type === MSDOS_SUPER_MAGIC ? FAT_LIMIT : undefined
}

/**
 * The largest file `dir`'s file system holds, where it is smaller than files commonly sent (FAT,
 * told by Linux's statfs type; other platforms number file systems otherwise, and keep the failed
 * write's own words).
 */
export async function fileSizeLimit (dir: string): Promise<FileSizeLimit | undefined> {
  if (process.platform !== 'linux') return undefined
  let at = resolve(dir)
  for (let i = 0; i < 64; i++) {
    try {
      return limitOfFileSystemType((await statfs(at)).type)
    } catch {
      const up = dirname(at)
      if (up === at) return undefined
      at = up
    }
  }
  return undefined
}

/** Why a file of `length` bytes cannot be saved in `dir` whose file system holds at most `limit` (one sentence). */
export function tooLarge (dir: string, limit: FileSizeLimit, file: string, length: number): string {
  return `${dir} is on ${limit.words}, and ${file} is ${formatBytes(length)}`
}
