// A disk operation refused, in the words a person reads on a machine's row: the file system's
// reason and the folder, not the system call ("EROFS: read-only file system, open '….part'").
import { basename, dirname } from 'node:path'
import { errnoCode, errorMessage } from '../../../common/result.js'

/** Why nothing can be written in `dir`, from the error a write or an access check there got. */
export function unwritable (dir: string, err: unknown): string {
  switch (errnoCode(err)) {
    case 'EROFS': return `${dir} is on a read-only file system`
    case 'EACCES':
    case 'EPERM': return `${dir} may not be written by the user Swarmdrop runs as (permission denied)`
    default: return `cannot write to ${dir}: ${errorMessage(err)}`
  }
}

/**
 * A failed file operation of a transfer as one sentence, when it names its file and is one a
 * person can act on (a read-only or forbidden folder, a failing disk); undefined for any other.
 */
export function diskFailure (err: unknown): string | undefined {
  const path = typeof err === 'object' && err !== null && 'path' in err && typeof err.path === 'string' ? err.path : undefined
  if (path === undefined) return undefined
  const code = errnoCode(err)
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return `cannot write ${basename(path)}: ${unwritable(dirname(path), err)}`
  if (code === 'EFBIG') return `cannot write ${basename(path)}: it is larger than the file system of ${dirname(path)} holds`
  if (code === 'EIO') return `the disk failed while writing or reading ${path} (an I/O error): check the disk`
  return undefined
}
