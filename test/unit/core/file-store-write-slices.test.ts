// A piece is written in calls of at most WRITE_SLICE_BYTES (write-slice.ts): one call of a whole
// 2 MiB piece makes the page cache take large folios from the free blocks a VM hands back to its
// host, and each of their pages is faulted in again (bench/probes/write-slices.ts: 1 GiB of 2 MiB
// pieces cost 11–18 s of system time written whole, 0.6–0.75 s in slices). The writes are watched
// through node:fs's own `write`, which still does them.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'

const writeLengths = vi.hoisted((): number[] => [])
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>()
  const write = ((...args: unknown[]): void => {
    const length = args[3]
    if (typeof length === 'number') writeLengths.push(length)
    ;(real.write as (...a: unknown[]) => void)(...args)
  }) as typeof real.write
  return { ...real, default: { ...real, write }, write }
})

const { FileStore } = await import('../../../main/core/engine/file-store.js')
const { WRITE_SLICE_BYTES, sliceLength } = await import('../../../main/core/engine/write-slice.js')

const dirs: string[] = []
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })

const MiB = 1024 * 1024

describe('pieces written in slices', () => {
  it('slices at most WRITE_SLICE_BYTES long, the last one what is left', () => {
    expect(sliceLength(2 * MiB)).toBe(WRITE_SLICE_BYTES)
    expect(sliceLength(WRITE_SLICE_BYTES)).toBe(WRITE_SLICE_BYTES)
    expect(sliceLength(1000)).toBe(1000)
    expect(WRITE_SLICE_BYTES).toBeLessThanOrEqual(512 * 1024)
  })

  it('writes 2 MiB pieces of a big file in calls no longer than a slice, every byte where it belongs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-slices-'))
    dirs.push(dir)
    const pieceLength = 2 * MiB
    const total = 2 * pieceLength + 1000
    const data = randomBytes(total)
    const path = join(dir, 'big.bin')
    const store = new FileStore(pieceLength, { path: dir, files: [], length: total, name: 'big.bin', fileStore: { targets: [{ path, length: total, offset: 0 }], readOnly: false } } as never)
    writeLengths.length = 0
    for (const index of [2, 0, 1]) {
      const piece = data.subarray(index * pieceLength, Math.min(total, (index + 1) * pieceLength))
      const err = await new Promise<Error | null>(resolve => store.put(index, piece, e => resolve(e)))
      expect(err).toBeNull()
    }
    await new Promise<void>(resolve => store.close(() => resolve()))
    expect(writeLengths.length).toBeGreaterThanOrEqual(2 * (pieceLength / WRITE_SLICE_BYTES) + 1)
    expect(Math.max(...writeLengths)).toBeLessThanOrEqual(WRITE_SLICE_BYTES)
    expect(readFileSync(path).equals(data)).toBe(true)
  })
})
