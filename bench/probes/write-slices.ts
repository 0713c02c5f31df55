// What writing a big file costs the kernel, by the size of each write call: 1 GiB of 2 MiB pieces
// (random order, eight in flight) through the file store as built (its disk thread, in slices of
// write-slice.ts), and the same bytes written whole per piece through libuv's pool, alternated. On
// a VM that hands freed memory back to its host, large write calls take large page-cache folios
// from those blocks and every page is faulted in again. Usage: npx tsx bench/probes/write-slices.ts [DIR] [rounds]
import { randomFillSync } from 'node:crypto'
import { mkdirSync, openSync, closeSync, rmSync, write } from 'node:fs'
import { join } from 'node:path'
import { FileStore } from '../../main/core/engine/file-store.js'
import { settleFreedMemory } from '../freed-memory.js'

const [dir = '/tmp/write-slices', roundsArg = '3'] = process.argv.slice(2)
const PIECE = 2 * 1024 * 1024
const PIECES = 512
const IN_FLIGHT = 8

const buffers = Array.from({ length: IN_FLIGHT }, () => randomFillSync(Buffer.allocUnsafe(PIECE)))

/** Writes every piece in random order with `put`, IN_FLIGHT at a time; wall and system seconds. */
async function timed (put: (index: number, buf: Buffer) => Promise<void>): Promise<{ wall: number, sys: number }> {
  const order = Array.from({ length: PIECES }, (_, i) => i).sort(() => Math.random() - 0.5)
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  let next = 0
  await Promise.all(buffers.map(async (buf) => {
    while (next < order.length) await put(order[next++] as number, buf)
  }))
  return { wall: (performance.now() - t0) / 1000, sys: process.cpuUsage(c0).system / 1e6 }
}

async function throughStore (path: string): Promise<{ wall: number, sys: number }> {
  const store = new FileStore(PIECE, { path: dir, files: [], length: PIECE * PIECES, name: 'f.bin', fileStore: { targets: [{ path, length: PIECE * PIECES, offset: 0 }], readOnly: false } } as never)
  const r = await timed(async (i, buf) => { await new Promise<void>((resolve, reject) => store.put(i, buf, e => e ? reject(e) : resolve())) })
  await new Promise<void>(resolve => store.close(() => resolve()))
  return r
}

async function wholePieces (path: string): Promise<{ wall: number, sys: number }> {
  const fd = openSync(path, 'w')
  const r = await timed(async (i, buf) => {
    await new Promise<void>((resolve, reject) => write(fd, buf, 0, PIECE, i * PIECE, e => e ? reject(e) : resolve()))
  })
  closeSync(fd)
  return r
}

async function main (): Promise<void> {
  for (let round = 1; round <= Number(roundsArg); round++) {
    for (const [label, run] of [['whole pieces', wholePieces], ['file store (disk thread, slices)', throughStore]] as const) {
      rmSync(dir, { recursive: true, force: true })
      mkdirSync(dir, { recursive: true })
      await settleFreedMemory() // freed pages go back to the host between runs, as between a bench's tools
      const r = await run(join(dir, 'f.bin'))
      console.log(`round ${round}, ${label}: ${r.wall.toFixed(2)} s wall, ${r.sys.toFixed(2)} s system for 1 GiB`)
    }
  }
  rmSync(dir, { recursive: true, force: true })
}
main().catch((err: unknown) => { console.error(err); process.exitCode = 1 })
