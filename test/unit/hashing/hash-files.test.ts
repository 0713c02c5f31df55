import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { hashForTorrent, sha256OfFiles, type HashProgress, type SourceFile } from '../../../main/core/hashing/hash-files.js'

const KiB = 1024
const MiB = 1024 * KiB
const PIECE = 64 * KiB

let dir: string
let files: SourceFile[]
let contents: Buffer[]

function write (name: string, data: Buffer): SourceFile {
  const path = join(dir, name)
  writeFileSync(path, data)
  return { path, length: data.length }
}

/** The reference: node:crypto over the concatenated bytes, on this thread. */
function referencePieces (data: readonly Buffer[], pieceLength: number): Buffer {
  const all = Buffer.concat(data)
  const out: Buffer[] = []
  for (let o = 0; o < all.length; o += pieceLength) out.push(createHash('sha1').update(all.subarray(o, o + pieceLength)).digest())
  return Buffer.concat(out)
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

// Each worker is an OS thread of this process; /proc shows whether they are really gone.
function threadCount (): number { return readdirSync('/proc/self/task').length }
/** Open descriptors on this test's files (other parts of the test process may open their own). */
function fdCount (): number {
  let n = 0
  for (const fd of readdirSync('/proc/self/fd')) {
    try { if (readlinkSync(`/proc/self/fd/${fd}`).startsWith(dir)) n++ } catch { /* closed meanwhile */ }
  }
  return n
}
const hasProc = existsSync('/proc/self/task')

async function settlesTo (baseline: number, count: () => number): Promise<number> {
  const deadline = Date.now() + 20_000 // generous: teardown is slow on a loaded 2-core machine
  while (count() > baseline && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20))
  return count()
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'swarmdrop-hash-'))
  // Sizes chosen so neither files nor chunks line up with pieces, with zero-length files first, in
  // the middle and last, and a last piece shorter than the others.
  contents = [
    Buffer.alloc(0),
    randomBytes(3 * MiB + 12_345),
    randomBytes(1),
    Buffer.alloc(0),
    randomBytes(5 * MiB - 7),
    randomBytes(PIECE + 3),
    Buffer.alloc(0)
  ]
  files = contents.map((c, i) => write(`f${i}.bin`, c))
})

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('hashForTorrent', () => {
  for (const threads of [1, 2, 3]) {
    it(`matches node:crypto piece and file hashes with ${threads} thread(s)`, async () => {
      const r = await hashForTorrent(files, PIECE, { threads })
      if (!r.ok) throw new Error(r.error.message)
      const expected = referencePieces(contents, PIECE)
      expect(r.value.pieces.length).toBe(Math.ceil(contents.reduce((s, c) => s + c.length, 0) / PIECE) * 20)
      expect(r.value.pieces.equals(expected)).toBe(true)
      expect(r.value.fileSha256).toEqual(contents.map(sha256))
    })
  }

  it('handles pieces larger than a chunk and a single short piece', async () => {
    const big = await hashForTorrent(files, 8 * MiB, { threads: 2 })
    if (!big.ok) throw new Error(big.error.message)
    expect(big.value.pieces.equals(referencePieces(contents, 8 * MiB))).toBe(true)
    const tiny = [write('tiny.bin', Buffer.from('hello'))]
    const one = await hashForTorrent(tiny, PIECE)
    if (!one.ok) throw new Error(one.error.message)
    expect(one.value.pieces.equals(referencePieces([Buffer.from('hello')], PIECE))).toBe(true)
  })

  it('reports progress up to bytesTotal', async () => {
    const seen: HashProgress[] = []
    const total = contents.reduce((s, c) => s + c.length, 0)
    const r = await hashForTorrent(files, PIECE, { threads: 2, onProgress: p => seen.push(p) })
    expect(r.ok).toBe(true)
    expect(seen.length).toBeGreaterThan(0)
    expect(seen.at(-1)).toEqual({ bytesDone: total, bytesTotal: total })
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.bytesDone).toBeGreaterThanOrEqual(seen[i - 1]!.bytesDone)
  })

  it('ends the job, instead of crashing, when the progress callback throws', async () => {
    const r = await hashForTorrent(files, PIECE, { onProgress: () => { throw new Error('boom') } })
    expect(r.ok ? '' : r.error).toEqual({ code: 'progress-failed', message: 'the progress callback threw: boom' })
  })

  it('fails naming the file when it is shorter on disk than declared', async () => {
    const short = write('short.bin', randomBytes(1000))
    const r = await hashForTorrent([files[1]!, { path: short.path, length: 2000 }], PIECE, { threads: 2 })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.code).toBe('size-mismatch')
    expect(r.error.message).toContain(short.path)
    expect(r.error.message).toContain('1000 bytes on disk, but 2000 were expected')
  })

  it('fails naming a file that cannot be opened', async () => {
    const missing = join(dir, 'missing.bin')
    const r = await hashForTorrent([files[1]!, { path: missing, length: 10 }], PIECE)
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.code).toBe('unreadable')
    expect(r.error.message).toBe(`cannot open ${missing}: no such file`)
  })

  it('checks zero-length files exist and are still empty', async () => {
    const grown = write('grown.bin', Buffer.from('x'))
    const r = await hashForTorrent([files[1]!, { path: grown.path, length: 0 }], PIECE)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.message).toContain(grown.path)
  })

  it('rejects bad input without starting threads', async () => {
    expect((await hashForTorrent(files, 0)).ok).toBe(false)
    const relative = await hashForTorrent([{ path: 'relative.bin', length: 1 }], PIECE)
    expect(relative.ok ? '' : relative.error.code).toBe('bad-input')
  })

  it('returns aborted for an already aborted signal', async () => {
    const r = await hashForTorrent(files, PIECE, { signal: AbortSignal.abort() })
    expect(r.ok ? '' : r.error.code).toBe('aborted')
  })

  it.runIf(hasProc)('stops every thread and closes every file when aborted midway', async () => {
    const big = write('abort.bin', randomBytes(24 * MiB))
    const threadsBefore = threadCount()
    const fdsBefore = fdCount()
    const controller = new AbortController()
    let progressAtAbort = -1
    const r = await hashForTorrent([big], PIECE, {
      threads: 3,
      signal: controller.signal,
      onProgress: p => {
        if (progressAtAbort < 0) {
          progressAtAbort = p.bytesDone
          controller.abort()
        }
      }
    })
    expect(progressAtAbort).toBeGreaterThan(0)
    expect(progressAtAbort).toBeLessThan(big.length)
    expect(r.ok ? '' : r.error.code).toBe('aborted')
    expect(await settlesTo(threadsBefore, threadCount)).toBeLessThanOrEqual(threadsBefore)
    expect(await settlesTo(fdsBefore, fdCount)).toBeLessThanOrEqual(fdsBefore)
  })

  it.runIf(hasProc)('leaves no threads behind after success or failure', async () => {
    const before = threadCount()
    expect((await hashForTorrent(files, PIECE, { threads: 3 })).ok).toBe(true)
    expect((await hashForTorrent([{ path: join(dir, 'gone.bin'), length: 5 }], PIECE, { threads: 3 })).ok).toBe(false)
    expect(await settlesTo(before, threadCount)).toBeLessThanOrEqual(before)
  })
})

// One file of sizes around a chunk (4 MiB for 64 KiB pieces) and a piece boundary: every chunk is
// one segment of one file; and files meeting exactly at a chunk boundary.
describe('hashForTorrent, one file around chunk and piece boundaries', () => {
  const CHUNK = 4 * MiB
  const sizes = [0, 1, PIECE - 1, PIECE, PIECE + 1, CHUNK - 1, CHUNK, CHUNK + 1, CHUNK + PIECE, 2 * CHUNK + PIECE - 1, 3 * CHUNK]
  let data: Buffer

  beforeAll(() => { data = randomBytes(3 * CHUNK) })

  for (const threads of [1, 2]) {
    it(`matches node:crypto for ${sizes.length} sizes with ${threads} thread(s)`, async () => {
      for (const size of sizes) {
        const content = data.subarray(0, size)
        const file = write(`one-${size}.bin`, content)
        const r = await hashForTorrent([file], PIECE, { threads })
        if (!r.ok) throw new Error(`${size} bytes: ${r.error.message}`)
        expect({ size, pieces: r.value.pieces.toString('hex') }).toEqual({ size, pieces: referencePieces([content], PIECE).toString('hex') })
        expect({ size, sha256: r.value.fileSha256 }).toEqual({ size, sha256: [sha256(content)] })
      }
    })
  }

  it('matches node:crypto for two files meeting at a chunk boundary, then a file inside one chunk', async () => {
    const parts = [data.subarray(0, CHUNK), data.subarray(CHUNK, 2 * CHUNK + 3), Buffer.alloc(0), data.subarray(5, 5 + PIECE)]
    const r = await hashForTorrent(parts.map((c, i) => write(`meet-${i}.bin`, c)), PIECE, { threads: 2 })
    if (!r.ok) throw new Error(r.error.message)
    expect(r.value.pieces.equals(referencePieces(parts, PIECE))).toBe(true)
    expect(r.value.fileSha256).toEqual(parts.map(sha256))
  })
})

describe('sha256OfFiles', () => {
  for (const threads of [1, 2, 4]) {
    it(`matches node:crypto with ${threads} thread(s), in the order given`, async () => {
      const r = await sha256OfFiles(files, { threads })
      if (!r.ok) throw new Error(r.error.message)
      expect(r.value).toEqual(contents.map(sha256))
    })
  }

  it('reports progress up to bytesTotal across threads', async () => {
    let last: HashProgress | undefined
    const r = await sha256OfFiles(files, { threads: 2, onProgress: p => { last = p } })
    expect(r.ok).toBe(true)
    const total = contents.reduce((s, c) => s + c.length, 0)
    expect(last).toEqual({ bytesDone: total, bytesTotal: total })
  })

  it('fails naming a file shorter than declared', async () => {
    const short = write('short2.bin', randomBytes(10))
    const r = await sha256OfFiles([files[4]!, { path: short.path, length: 11 }], { threads: 2 })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.message).toContain(short.path)
  })

  it('is empty for no files', async () => {
    expect(await sha256OfFiles([])).toEqual({ ok: true, value: [] })
  })
})
