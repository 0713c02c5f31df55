// Writes to one file go one call at a time, in the order they were asked for (write-in-turn.ts):
// concurrent buffered writes to one file only queue on its inode lock in the kernel, spinning
// (`perf` on one link: 2.5 of a recipient's 13 CPU-s per GiB). The writes are watched through
// node:fs's own `write`, delayed a little so that calls in flight overlap, which still does them.
import { randomBytes } from 'node:crypto'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'

interface Call { fd: number, position: number, length: number }
const watch = vi.hoisted(() => ({ inFlight: new Map<number, number>(), maxInFlight: 0, calls: [] as Call[] }))
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>()
  const write = ((...args: unknown[]): void => {
    const [fd, , , length, position, cb] = args
    if (typeof fd !== 'number' || typeof length !== 'number' || typeof position !== 'number' || typeof cb !== 'function') {
      ;(real.write as (...a: unknown[]) => void)(...args)
      return
    }
    const now = (watch.inFlight.get(fd) ?? 0) + 1
    watch.inFlight.set(fd, now)
    watch.maxInFlight = Math.max(watch.maxInFlight, now)
    watch.calls.push({ fd, position, length })
    setTimeout(() => {
      ;(real.write as (...a: unknown[]) => void)(...args.slice(0, 5), (err: unknown, written: unknown) => {
        watch.inFlight.set(fd, (watch.inFlight.get(fd) ?? 1) - 1)
        ;(cb as (e: unknown, n: unknown) => void)(err, written)
      })
    }, 2)
  }) as typeof real.write
  return { ...real, default: { ...real, write }, write }
})

const { FileStore } = await import('../../../main/core/engine/file-store.js')
const { WRITE_SLICE_BYTES } = await import('../../../main/core/engine/write-slice.js')
const { writeInTurn, writesInTurn } = await import('../../../main/core/engine/write-in-turn.js')

const dirs: string[] = []
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })
const tmp = (): string => { const d = mkdtempSync(join(tmpdir(), 'sd-in-turn-')); dirs.push(d); return d }

const MiB = 1024 * 1024

describe('writes to one file in turn', () => {
  it('has one write call in flight per file when pieces are put at once, each piece\'s slices back to back', async () => {
    const dir = tmp()
    const pieceLength = MiB
    const pieces = 8
    const data = randomBytes(pieces * pieceLength)
    const path = join(dir, 'big.bin')
    const store = new FileStore(pieceLength, { path: dir, files: [], length: data.length, name: 'big.bin', fileStore: { targets: [{ path, length: data.length, offset: 0 }], readOnly: false } } as never)
    const put = (index: number): Promise<Error | null> => new Promise(resolve => {
      store.put(index, data.subarray(index * pieceLength, (index + 1) * pieceLength), e => resolve(e))
    })
    // The first piece opens the file and sizes it.
    expect(await put(3)).toBeNull()
    watch.maxInFlight = 0
    watch.calls.length = 0
    // Every other piece asked for before any is written, as when pieces arrive together.
    const order = [0, 7, 1, 6, 2, 5, 4]
    const errors = await Promise.all(order.map(put))
    expect(errors.every(e => e === null)).toBe(true)
    await new Promise<void>(resolve => store.close(() => resolve()))

    expect(watch.maxInFlight).toBe(1)
    const slices = pieceLength / WRITE_SLICE_BYTES
    expect(watch.calls).toHaveLength(order.length * slices)
    // In the order asked for, and a piece's slices one after another.
    const expected = order.flatMap(index => Array.from({ length: slices }, (_, k) => index * pieceLength + k * WRITE_SLICE_BYTES))
    expect(watch.calls.map(c => c.position)).toEqual(expected)
    expect(readFileSync(path).equals(data)).toBe(true)
  })

  it('tells each waiting write of a failure and leaves nothing queued', async () => {
    const path = join(tmp(), 'read-only.bin')
    closeSync(openSync(path, 'w'))
    const fd = openSync(path, 'r')
    try {
      const buf = Buffer.alloc(1000, 7)
      const results = await Promise.all([0, 1000, 2000].map(position => new Promise<string | null>(resolve => {
        writeInTurn(fd, buf, 0, buf.length, position, err => resolve(err?.code ?? null))
      })))
      expect(results).toEqual(['EBADF', 'EBADF', 'EBADF'])
      expect(writesInTurn(fd)).toBe(0)
    } finally {
      closeSync(fd)
    }
  })
})
