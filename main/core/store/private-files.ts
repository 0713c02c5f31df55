// The data directory holds the device key, absolute source paths, .torrents, known devices and
// uploads: private to its user. Every directory in it is created 0700 and every file 0600 at
// creation (a chmod afterwards would leave a window in which another user can open it), and what an
// older version left looser is tightened when a device starts.
// On Windows, Node ignores these modes (only the read-only bit exists); the data directory sits in
// the user's profile, whose ACLs already keep other users out, and those ACLs are left as they are.
import { chmod, lstat, mkdir, readdir, realpath } from 'node:fs/promises'
import { join } from 'node:path'
import { errnoCode, errorMessage, fail, ok, type Result } from '../../../common/result.js'

export const PRIVATE_DIR_MODE = 0o700
export const PRIVATE_FILE_MODE = 0o600
/** Permission bits for anyone but the owner. */
const OTHERS = 0o077

/** Creates `path` (and missing parents) owner-only; an existing directory is left to tightenPrivateDir. */
export async function mkdirPrivate (path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: PRIVATE_DIR_MODE })
}

/**
 * Makes `root` private: created 0700 if missing; it and everything under it lose their group and
 * other bits (owner bits kept). `root` itself may be a symbolic link (a data directory moved to
 * another disk); links inside it are neither followed nor changed. Answers how many entries were
 * tightened.
 */
export async function tightenPrivateDir (root: string): Promise<Result<number>> {
  if (process.platform === 'win32') return ok(0)
  try {
    await mkdirPrivate(root)
    return ok(await tighten(await realpath(root)))
  } catch (err) {
    return fail('not-private', `cannot make the data directory ${root} private (owner-only): ${errorMessage(err)}`)
  }
}

async function tighten (path: string): Promise<number> {
  let st
  try {
    st = await lstat(path)
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return 0 // removed meanwhile (a temp file renamed)
    throw err
  }
  if (st.isSymbolicLink()) return 0
  let changed = 0
  if ((st.mode & OTHERS) !== 0) {
    await chmod(path, st.mode & 0o7700)
    changed++
  }
  if (st.isDirectory()) {
    for (const name of await readdir(path)) changed += await tighten(join(path, name))
  }
  return changed
}
