// Throughput of the hashing module against simple baselines, on a temporary file:
//   npx tsx test/unit/hashing/hash-speed.manual.ts [SIZE_MB] [ROUNDS]
// Not a Vitest file (no .test.ts): it writes SIZE_MB (default 1024) to the temp folder and takes
// a while. The file is read once first, so every run reads from the page cache: this measures
// hashing, not the disk. Under tsx every worker thread compiles its TypeScript when it starts
// (~0.2 s of CPU each), which the compiled build does not; to measure that build instead, set
// HASH_MODULE to the compiled hash-files.js (e.g. dist/main/core/hashing/hash-files.js).
// Other load on the machine shows up directly in these numbers: compare best-of runs.
import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import type { SourceFile } from '../../../main/core/hashing/hash-files.js'

type HashModule = typeof import('../../../main/core/hashing/hash-files.js')
const chosen = process.env.HASH_MODULE
const { choosePieceLength, hashForTorrent, sha256OfFiles } = (chosen === undefined
  ? await import('../../../main/core/hashing/hash-files.js')
  : await import(pathToFileURL(chosen).href)) as HashModule

const MiB = 1024 * 1024
const sizeMb = Number(process.argv[2] ?? 1024)
const rounds = Number(process.argv[3] ?? 3)
const bytes = Math.round(sizeMb * MiB)

function writeTestFile (path: string): void {
  const block = randomBytes(16 * MiB)
  const fd = openSync(path, 'w')
  for (let left = bytes; left > 0; left -= block.length) writeSync(fd, block, 0, Math.min(left, block.length))
  closeSync(fd)
}

/** Read + piece SHA-1s + file SHA-256 on this one thread: what the workers must beat. */
function singleThread (path: string, pieceLength: number): void {
  const chunk = Buffer.allocUnsafe(pieceLength * Math.max(1, Math.floor(4 * MiB / pieceLength)))
  const fd = openSync(path, 'r')
  const sha256 = createHash('sha256')
  for (let pos = 0; pos < bytes;) {
    const n = readSync(fd, chunk, 0, Math.min(chunk.length, bytes - pos), pos)
    const data = chunk.subarray(0, n)
    sha256.update(data)
    for (let o = 0; o < n; o += pieceLength) createHash('sha1').update(data.subarray(o, o + pieceLength)).digest()
    pos += n
  }
  sha256.digest()
  closeSync(fd)
}

async function time (label: string, run: () => Promise<void> | void): Promise<void> {
  const seconds: number[] = []
  const delay = monitorEventLoopDelay({ resolution: 10 })
  for (let i = 0; i < rounds; i++) {
    delay.enable()
    const t0 = performance.now()
    await run()
    seconds.push((performance.now() - t0) / 1000)
    delay.disable()
  }
  seconds.sort((a, b) => a - b)
  const gbps = (s: number | undefined): string => s === undefined ? '?' : (bytes / s / 1e9).toFixed(2)
  // A synchronous run never lets the delay monitor sample: it blocks the main thread throughout.
  const stall = delay.count === 0 ? 'blocks the main thread' : `main thread's longest stall ${(delay.max / 1e6).toFixed(0)} ms`
  console.log(`${label.padEnd(40)} best ${gbps(seconds[0])} GB/s  median ${gbps(seconds[Math.floor(rounds / 2)])} GB/s  ${stall}`)
}

function unwrap<T> (r: { ok: true, value: T } | { ok: false, error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

const dir = mkdtempSync(join(tmpdir(), 'swarmdrop-hash-speed-'))
try {
  const path = join(dir, 'data.bin')
  writeTestFile(path)
  const files: SourceFile[] = [{ path, length: bytes }]
  const pieceLength = choosePieceLength(bytes)
  console.log(`${sizeMb} MiB, piece ${pieceLength / 1024} KiB, ${availableParallelism()} cores, best/median of ${rounds}, ${chosen ?? 'TypeScript source'}`)
  execFileSync('cat', [path], { stdio: ['ignore', 'ignore', 'inherit'] }) // into the page cache

  // The fixed cost of starting and stopping the threads, included in every figure below.
  const tiny = join(dir, 'tiny.bin')
  writeFileSync(tiny, 'x')
  const t0 = performance.now()
  unwrap(await hashForTorrent([{ path: tiny, length: 1 }], pieceLength))
  console.log(`thread start-up and shut-down: ${(performance.now() - t0).toFixed(0)} ms`)

  await time('hashForTorrent (default threads)', async () => { unwrap(await hashForTorrent(files, pieceLength)) })
  await time('hashForTorrent threads: 1', async () => { unwrap(await hashForTorrent(files, pieceLength, { threads: 1 })) })
  await time('one thread, no workers (same work)', () => { singleThread(path, pieceLength) })
  await time('sha1sum (whole file, one SHA-1)', () => { execFileSync('sha1sum', [path]) })
  await time('sha256OfFiles', async () => { unwrap(await sha256OfFiles(files)) })
  await time('sha256sum', () => { execFileSync('sha256sum', [path]) })
} finally {
  rmSync(dir, { recursive: true, force: true })
}
