// What is on disk, as hashes: one file's SHA-256, a folder tree as relative path -> SHA-256, the
// folder manifest hash Swarmdrop announces (same definition as core's contentSha256, recomputed
// here independently), and leftovers of unfinished downloads (*.part).

import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'

export async function sha256File (path: string): Promise<string> {
  const h = createHash('sha256')
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer)
  return h.digest('hex')
}

async function walk (dir: string, visit: (path: string, isDir: boolean) => Promise<void>): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    await visit(path, entry.isDirectory())
    if (entry.isDirectory()) await walk(path, visit)
  }
}

/** Every regular file under `root`, by '/'-separated relative path, with its SHA-256. */
export async function digestTree (root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  await walk(root, async (path, isDir) => {
    if (!isDir) out.set(relative(root, path).split(sep).join('/'), await sha256File(path))
  })
  return out
}

/** `cd root && find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum`, from a digest. */
export function manifestSha256 (tree: ReadonlyMap<string, string>): string {
  const lines = [...tree.entries()]
    .map(([path, sha]) => ({ key: Buffer.from(`./${path}`), sha }))
    .sort((a, b) => Buffer.compare(a.key, b.key))
  const h = createHash('sha256')
  for (const l of lines) h.update(`${l.sha}  `).update(l.key).update('\n')
  return h.digest('hex')
}

/** Paths under `root` (files or folders) whose name ends in ".part". */
export async function partLeftovers (root: string): Promise<string[]> {
  const found: string[] = []
  await walk(root, async (path) => { if (path.endsWith('.part')) found.push(path) })
  return found
}
