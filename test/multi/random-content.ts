// Test payloads: a large file of random bytes, and a folder of many small random files in nested
// subfolders (random sizes, at least one empty file). Content comes from crypto.randomBytes, so
// no two runs share data and nothing compresses or deduplicates.

import { randomBytes, randomInt } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { once } from 'node:events'

const CHUNK = 1024 * 1024

/** Writes `bytes` random bytes to `path`. */
export async function writeRandomFile (path: string, bytes: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const out = createWriteStream(path)
  try {
    for (let left = bytes; left > 0; left -= CHUNK) {
      if (!out.write(randomBytes(Math.min(CHUNK, left)))) await once(out, 'drain')
    }
  } finally {
    out.end()
    await once(out, 'close')
  }
}

export interface FolderSpec {
  readonly files: number
  /** Largest file size in bytes (sizes are uniform in 0..maxBytes). */
  readonly maxBytes: number
}

/** Relative subfolders the files are spread over (nested up to three levels). */
const SUBFOLDERS: readonly string[] = ['', 'docs', 'docs/drafts', 'img', 'img/2024/raw', 'src/lib', 'src/lib/util', 'data']

/**
 * Fills `root` (created) with `spec.files` random files; file 0 is empty. Returns the total size.
 */
export async function writeRandomFolder (root: string, spec: FolderSpec): Promise<number> {
  let total = 0
  for (let i = 0; i < spec.files; i++) {
    const sub = SUBFOLDERS[i % SUBFOLDERS.length] ?? ''
    const size = i === 0 ? 0 : randomInt(0, spec.maxBytes + 1)
    const path = join(root, sub, `file-${String(i).padStart(3, '0')}.bin`)
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, randomBytes(size))
    total += size
  }
  return total
}
