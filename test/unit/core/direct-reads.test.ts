// A member's large block is read from the socket straight into its piece's buffer (patches to
// bittorrent-protocol, torrent-piece and webtorrent): the wire names where the next read should
// land (readTarget), the piece lends that memory under a claim (Piece#claim), and nothing else may
// write there, complete the piece or free those blocks until the claim ends. Before, every byte was
// copied twice on the main thread: from the read buffer into the wire's assembly, and from there
// into the piece.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import Wire from 'bittorrent-protocol'
import Piece from 'torrent-piece'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { targetsFor } from '../../../main/core/distributions/finish.js'
import { engineFixture, torrentOf, until } from './engine-fixture.js'

const BLOCK = 16 * 1024
const KiB = 1024
const MiB = 1024 * KiB
const INFO_HASH = 'aa'.repeat(20)

interface Claimed { readonly view: Uint8Array, readonly release: () => boolean }
interface TestPiece {
  set (i: number, data: Uint8Array, source: unknown, buffers?: { take (length: number): Uint8Array }): boolean
  has (i: number): boolean
  reserveRun (maxBlocks: number): [number, number] | null
  cancel (i: number): void
  claim (offset: number, length: number, buffers: { take (length: number): Uint8Array }): Claimed | null
  isClaimed (i: number): boolean
  flush (): Uint8Array | null
}
const newPiece = (length: number): TestPiece => new (Piece as unknown as new (length: number) => TestPiece)(length)
const pool = (): { take (length: number): Uint8Array } => ({ take: (length: number) => new Uint8Array(length) })

interface TestWire {
  _sink: ((chunk: Uint8Array) => void) | null
  _writeBorrowed (chunk: Uint8Array): void
  reuseSpannedPieces: boolean
  agreedBlockLength?: number
  blockTarget: ((index: number, offset: number, length: number) => { view: Uint8Array, release: () => void } | null) | null
  readTarget (): Uint8Array | null
  dropReadTarget (): void
  handshake (infoHash: string, peerId: string): void
  unchoke (): void
  have (index: number): void
  piece (index: number, offset: number, block: Uint8Array): void
  request (index: number, offset: number, length: number, cb: (err: Error | null, block?: Uint8Array) => void): void
  on (event: string, fn: (...args: unknown[]) => void): void
  destroy (): void
}

/** Two wires past their handshake and unchoke: `a` sends into `out`, `b` reads with `readBuffer`. */
async function wirePair (blockLength: number): Promise<{ a: TestWire, b: TestWire, out: Uint8Array[], readBuffer: Uint8Array }> {
  const out: Uint8Array[] = []
  const a = new (Wire as unknown as new () => TestWire)()
  a._sink = chunk => { out.push(new Uint8Array(chunk)) }
  const b = new (Wire as unknown as new () => TestWire)()
  b._sink = () => {}
  b.reuseSpannedPieces = true
  b.agreedBlockLength = blockLength
  a.handshake(INFO_HASH, 'bb'.repeat(20))
  a.unchoke()
  await settle()
  const readBuffer = new Uint8Array(64 * KiB)
  feed(b, concat(out.splice(0)), [1 << 20], readBuffer)
  return { a, b, out, readBuffer }
}

function concat (parts: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) { all.set(p, at); at += p.length }
  return all
}

/**
 * Feeds `stream` the way Node's socket does with an `onread` buffer generator (webtorrent's patched
 * peer.js): each read lands where the wire asked after the last one (readTarget), else in the reused
 * read buffer, which is scribbled over after every read.
 */
function feed (wire: TestWire, stream: Uint8Array, cuts: number[], readBuffer: Uint8Array): void {
  let at = 0
  let k = 0
  while (at < stream.length) {
    const into = wire.readTarget() ?? readBuffer
    const n = Math.min(stream.length - at, cuts[k++ % cuts.length] ?? 1, into.length)
    into.set(stream.subarray(at, at + n), 0)
    wire._writeBorrowed(into.subarray(0, n))
    readBuffer.fill(0xee)
    at += n
  }
}

const settle = async (): Promise<void> => { await new Promise(resolve => setTimeout(resolve, 0)) }

describe('a claimed run of a piece', () => {
  it('lends the missing blocks\' memory once, takes no other data for them, and marks its own bytes without copying', () => {
    const piece = newPiece(8 * BLOCK)
    const buffers = pool()
    expect(piece.reserveRun(4)).toEqual([0, 4])
    const claimed = piece.claim(0, 4 * BLOCK, buffers)
    expect(claimed).not.toBeNull()
    expect(piece.claim(2 * BLOCK, 2 * BLOCK, buffers)).toBeNull() // already claimed
    expect(piece.claim(BLOCK + 1, BLOCK, buffers)).toBeNull() // not on a block
    // Another copy of the run (a second peer) is not taken while the claim lasts.
    expect(piece.set(0, new Uint8Array(4 * BLOCK).fill(9), 'other', buffers)).toBe(false)
    expect(piece.has(0)).toBe(false)
    // The claimed bytes land where they belong and are only marked.
    const view = (claimed as Claimed).view
    view.fill(7)
    const viewSet = view.set.bind(view)
    let copiedIntoView = 0
    view.set = (...args: Parameters<Uint8Array['set']>) => { copiedIntoView++; viewSet(...args) }
    expect(piece.set(0, view, 'owner', buffers)).toBe(false)
    expect(copiedIntoView).toBe(0)
    expect([0, 1, 2, 3].every(i => piece.has(i))).toBe(true)
    expect((claimed as Claimed).release()).toBe(false) // no cancel waited
    expect(piece.isClaimed(0)).toBe(false)
    expect(piece.claim(0, 4 * BLOCK, buffers)).toBeNull() // present now
    expect(piece.set(4 * BLOCK / BLOCK, new Uint8Array(4 * BLOCK).fill(8), 'other', buffers)).toBe(true)
    const whole = piece.flush() as Uint8Array
    expect(whole.subarray(0, 4 * BLOCK).every(b => b === 7)).toBe(true)
    expect(whole.subarray(4 * BLOCK).every(b => b === 8)).toBe(true)
  })

  it('frees a cancelled block only once the read into it has ended', () => {
    const piece = newPiece(4 * BLOCK)
    const buffers = pool()
    expect(piece.reserveRun(4)).toEqual([0, 4])
    const claimed = piece.claim(0, 4 * BLOCK, buffers) as Claimed
    for (let i = 0; i < 4; i++) piece.cancel(i) // the request failed while its bytes still arrive
    expect(piece.reserveRun(4)).toBeNull() // nothing to ask again yet: the memory is still being read into
    expect(claimed.release()).toBe(true)
    expect(piece.reserveRun(4)).toEqual([0, 4])
    expect(piece.set(0, new Uint8Array(4 * BLOCK).fill(3), 'other', buffers)).toBe(true)
    expect(piece.flush()?.every(b => b === 3)).toBe(true)
  })
})

describe('a wire reading a block straight into its target', () => {
  it('delivers every block intact, the large ones where they were read, however the reads are cut', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.integer({ min: 1, max: 300_000 }), { minLength: 1, maxLength: 10 }),
      fc.constantFrom(16 * KiB, 128 * KiB, 512 * KiB, MiB),
      async (cuts, blockLength) => {
        const { a, b, out, readBuffer } = await wirePair(blockLength)
        const memory = new Uint8Array(3 * blockLength)
        const released: number[] = []
        b.blockTarget = (index, offset, length) => length === blockLength && offset === 0
          ? { view: memory.subarray(index * blockLength, (index + 1) * blockLength), release: () => { released.push(index) } }
          : null
        const blocks = [randomBytes(blockLength), randomBytes(blockLength), randomBytes(blockLength)]
        const got: Buffer[] = []
        const inPlace: boolean[] = []
        const haves: number[] = []
        b.on('have', (i: unknown) => { haves.push(i as number) })
        blocks.forEach((_, i) => b.request(i, 0, blockLength, (err, block) => {
          expect(err).toBeNull()
          const data = block as Uint8Array
          inPlace[i] = data.buffer === memory.buffer && data.byteOffset === i * blockLength
          got[i] = Buffer.from(data)
        }))
        blocks.forEach((block, i) => { a.piece(i, 0, block); a.have(i) })
        await settle()
        feed(b, concat(out.splice(0)), cuts, readBuffer)
        blocks.forEach((block, i) => expect(got[i]?.equals(block)).toBe(true))
        expect(haves).toEqual([0, 1, 2])
        // A block read straight into its target is its target; each claim ends once.
        blocks.forEach((_, i) => { if (inPlace[i]) expect(Buffer.from(memory.subarray(i * blockLength, (i + 1) * blockLength)).equals(blocks[i] as Buffer)).toBe(true) })
        expect(released.length).toBe(inPlace.filter(Boolean).length)
        expect(new Set(released).size).toBe(released.length)
        a.destroy()
        b.destroy()
      }
    ), { numRuns: 60 })
  }, 120_000)

  it('lands a 1 MiB block read after its 64 KiB head where it belongs', async () => {
    const { a, b, out, readBuffer } = await wirePair(MiB)
    const memory = new Uint8Array(MiB)
    let released = 0
    b.blockTarget = () => ({ view: memory, release: () => { released++ } })
    const block = randomBytes(MiB)
    let got: Uint8Array | undefined
    b.request(0, 0, MiB, (err, data) => { expect(err).toBeNull(); got = data })
    a.piece(0, 0, block)
    await settle()
    const reads: number[] = []
    const stream = concat(out.splice(0))
    let at = 0
    while (at < stream.length) {
      const into = b.readTarget() ?? readBuffer
      const n = Math.min(stream.length - at, into.length)
      into.set(stream.subarray(at, at + n), 0)
      reads.push(n)
      b._writeBorrowed(into.subarray(0, n))
      at += n
    }
    expect(got?.buffer).toBe(memory.buffer)
    expect(Buffer.from(memory).equals(block)).toBe(true)
    expect(reads).toEqual([64 * KiB, MiB + 13 - 64 * KiB]) // the rest of the block in one read
    expect(released).toBe(1)
    a.destroy()
    b.destroy()
  })

  it('gives the claim back when the connection closes in the middle of the block', async () => {
    const { a, b, out, readBuffer } = await wirePair(MiB)
    let released = 0
    const memory = new Uint8Array(MiB)
    b.blockTarget = () => ({ view: memory, release: () => { released++ } })
    b.request(0, 0, MiB, () => {})
    a.piece(0, 0, randomBytes(MiB))
    await settle()
    const stream = concat(out.splice(0))
    feed(b, stream.subarray(0, 200 * KiB), [64 * KiB], readBuffer)
    expect(b.readTarget()?.length).toBe(MiB - (200 * KiB - 13))
    b.dropReadTarget()
    expect(released).toBe(1)
    expect(b.readTarget()).toBeNull()
    b.dropReadTarget()
    expect(released).toBe(1)
    a.destroy()
    b.destroy()
  })
})

interface ReadingWire {
  blockTarget: ((index: number, offset: number, length: number) => { view: Uint8Array, release: () => void } | null) | null
  on: (event: string, listener: (...args: unknown[]) => void) => void
  destroy: () => void
  destroyed: boolean
}
interface WireEvents { on: (event: 'wire', listener: (wire: ReadingWire) => void) => void }

const { tmp, engine, memberOrigin } = engineFixture('sd-direct-')

/** Watches the recipient's wires: the views it lent, the bytes that arrived in them, and releases. */
function watchDirect (wire: ReadingWire, seen: { lent: WeakSet<Uint8Array>, claims: number, releases: number, inPlaceBytes: number, pieceBytes: number }, onClaim?: (wire: ReadingWire) => void): void {
  const lend = wire.blockTarget
  if (lend === null) throw new Error('the wire has no blockTarget: the webtorrent patch is not applied')
  wire.blockTarget = (index, offset, length) => {
    const claimed = lend(index, offset, length)
    if (claimed === null) return null
    seen.claims++
    seen.lent.add(claimed.view)
    onClaim?.(wire)
    return { view: claimed.view, release: () => { seen.releases++; claimed.release() } }
  }
  wire.on('piece', (_index: unknown, _offset: unknown, block: unknown) => {
    const data = block as Uint8Array
    seen.pieceBytes += data.length
    if (seen.lent.has(data)) seen.inPlaceBytes += data.length
  })
}

describe('a member download', () => {
  it('reads most of its bytes straight into their pieces, with every claim given back', async () => {
    const { origin: o, recipient, members, metainfo: m, data } = await memberOrigin(24 * MiB, 512 * KiB)
    const r = await engine({ identity: recipient })
    const targets = targetsFor(m, { downloadsDir: tmp(), finalName: 'data.bin' }, true)
    expect(r.download({ metainfo: m, targets, members }).ok).toBe(true)
    const seen = { lent: new WeakSet<Uint8Array>(), claims: 0, releases: 0, inPlaceBytes: 0, pieceBytes: 0 }
    torrentOf<WireEvents>(r, m.infoHash).on('wire', wire => { watchDirect(wire, seen) })
    let done = false
    r.on('done', ih => { if (ih === m.infoHash) done = true })
    r.connect(m.infoHash, [`127.0.0.1:${o.port}`])
    await until(() => done, 30_000, 'the download')
    expect(readFileSync(targets[0]?.path ?? '').equals(data)).toBe(true)
    expect(seen.pieceBytes).toBeGreaterThanOrEqual(data.length)
    // The first read of each block (its head, up to 64 KiB) is copied; the rest lands in place.
    expect(seen.inPlaceBytes).toBeGreaterThan(0.8 * data.length)
    expect(seen.releases).toBe(seen.claims)
  }, 40_000)

  it('asks again for a block whose read was cut off by a closed connection, and completes', async () => {
    const { origin: o, recipient, members, metainfo: m, data } = await memberOrigin(16 * MiB, 512 * KiB)
    const r = await engine({ identity: recipient })
    const targets = targetsFor(m, { downloadsDir: tmp(), finalName: 'data.bin' }, true)
    expect(r.download({ metainfo: m, targets, members }).ok).toBe(true)
    const seen = { lent: new WeakSet<Uint8Array>(), claims: 0, releases: 0, inPlaceBytes: 0, pieceBytes: 0 }
    let cut: ReadingWire | undefined
    let openAtCut = 0
    torrentOf<WireEvents>(r, m.infoHash).on('wire', wire => {
      // The first connection is closed as its fifth block begins to land in place (after the read
      // of its head, before the next read).
      watchDirect(wire, seen, w => {
        if (cut !== undefined || seen.claims !== 5) return
        cut = w
        queueMicrotask(() => { openAtCut = seen.claims - seen.releases; w.destroy() })
      })
    })
    let done = false
    r.on('done', ih => { if (ih === m.infoHash) done = true })
    r.connect(m.infoHash, [`127.0.0.1:${o.port}`])
    await until(() => cut?.destroyed === true, 20_000, 'the first connection to close')
    expect(openAtCut).toBeGreaterThan(0)
    await until(() => seen.releases === seen.claims, 5_000, 'the cut-off claims to be given back')
    r.connect(m.infoHash, [`127.0.0.1:${o.port}`])
    await until(() => done, 30_000, 'the download after the connection was cut')
    expect(readFileSync(targets[0]?.path ?? '').equals(data)).toBe(true)
    expect(seen.releases).toBe(seen.claims)
  }, 60_000)
})
