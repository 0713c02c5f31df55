// A scratch folder on a fresh journaled ext4 (a sparse image on a loop device), for parts that
// create and remove tens of thousands of files. This machine's own ext4 has no journal, and then
// the kernel's inode allocator passes over every inode freed in the last 60 s (360 s once their
// inode table block is written to again; fs/ext4/ialloc.c, recently_deleted): 50,000 files
// created right after 100,000 were removed took 14.6 s of system CPU against 1.3 s later, so
// whichever tool came after the other's removal paid for it. A journaled ext4 (the usual case on
// a desktop or server) skips that check: 1.2–1.3 s each time, removal or not.

import { spawnSync } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'

export interface Scratch {
  /** The folder to work in (the mount point, or a plain folder when mounting failed). */
  readonly dir: string
  /** What `dir` is on, for the report. */
  readonly fs: string
  /** Unmounts and removes the image; never throws. */
  readonly release: () => void
}

function run (cmd: string, args: readonly string[]): string | undefined {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000 })
  if (r.error !== undefined) return `${cmd}: ${r.error.message}`
  if (r.status !== 0) return `${cmd} ${args.join(' ')}: ${(r.stderr || r.stdout).trim() || `exit ${String(r.status)}`}`
  return undefined
}

/**
 * `root`/NAME mounted from a fresh `bytes`-byte journaled ext4 image (`root`/NAME.img, sparse);
 * when that cannot be done (no root, no loop devices), a plain `root`/NAME, saying why.
 */
export function journaledScratch (root: string, name: string, bytes: number): Scratch {
  const dir = join(root, name)
  const image = join(root, `${name}.img`)
  mkdirSync(dir, { recursive: true })
  const failed = run('truncate', ['-s', String(bytes), image]) ??
    run('mkfs.ext4', ['-q', '-F', '-E', 'lazy_itable_init=0,lazy_journal_init=0', image]) ??
    run('mount', ['-o', 'loop', image, dir])
  if (failed !== undefined) {
    rmSync(image, { force: true })
    return { dir, fs: `the machine's own file system (a journaled ext4 could not be mounted: ${failed})`, release: () => rmSync(dir, { recursive: true, force: true }) }
  }
  return {
    dir,
    fs: `a fresh journaled ext4 of ${(bytes / 2 ** 30).toFixed(0)} GiB on a loop device`,
    release: () => {
      // lazy: a process the bench could not stop must not keep the image forever.
      run('umount', ['-l', dir])
      rmSync(image, { force: true })
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
