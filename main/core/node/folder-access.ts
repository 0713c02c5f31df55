// Whether a downloads folder can take files, asked before an offer is shown and when it is
// accepted: a read-only mount, or a folder the user Swarmdrop runs as may not write (a service
// installed with --run-as and a folder owned by root), is said in one sentence up front instead of
// being found by the first piece written (a raw "EROFS: read-only file system, open '….part'").
// The words are disk-errors.ts's, which says the same of a write that fails mid-transfer.
import { access, constants, stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { errnoCode } from '../../../common/result.js'
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
