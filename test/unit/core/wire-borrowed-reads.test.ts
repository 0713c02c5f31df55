// A wire parses reads made into one reused buffer (bittorrent-protocol's patched _writeBorrowed):
// whatever it keeps past a read — a bitfield, an extension message, the head of a message that
// goes on in the next read — must be its own copy, since the next read overwrites the buffer. The
// test feeds a real wire's output in random cuts through one buffer that is scribbled over after
// every read, and checks every message arrives intact.
import { randomBytes } from 'node:crypto'
import Wire from 'bittorrent-protocol'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

interface TestWire {
  _sink: ((chunk: Uint8Array) => void) | null
  _writeBorrowed (chunk: Uint8Array): void
  _write (chunk: Uint8Array, cb: (err: Error | null) => void): void
  reuseSpannedPieces: boolean
  agreedBlockLength?: number
  handshake (infoHash: string, peerId: string, extensions?: Record<string, boolean>): void
  unchoke (): void
  bitfield (bits: Uint8Array): void
  have (index: number): void
  piece (index: number, offset: number, block: Uint8Array): void
  request (index: number, offset: number, length: number, cb: (err: Error | null, block?: Uint8Array) => void): void
  on (event: string, fn: (...args: unknown[]) => void): void
  destroy (): void
}

const INFO_HASH = 'aa'.repeat(20)
const SCRATCH_LIMIT = 128 * 1024

function sender (): { wire: TestWire, bytes: Uint8Array[] } {
  const wire = new (Wire as unknown as new () => TestWire)()
  const bytes: Uint8Array[] = []
  wire._sink = chunk => { bytes.push(new Uint8Array(chunk)) }
  return { wire, bytes }
}

function concat (parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) { out.set(p, at); at += p.length }
  return out
}

/** Feeds `stream` to `wire` in the given cut lengths through one reused buffer, scribbled after each read. */
function feed (wire: TestWire, stream: Uint8Array, cuts: number[], readBuffer: Uint8Array): void {
  let at = 0
  let k = 0
  while (at < stream.length) {
    const n = Math.min(stream.length - at, cuts[k++ % cuts.length] ?? 1, readBuffer.length)
    readBuffer.set(stream.subarray(at, at + n), 0)
    wire._writeBorrowed(readBuffer.subarray(0, n))
    readBuffer.fill(0xee) // the next read lands here
    at += n
  }
}

/** Feeds `stream` to `wire` as owned chunks, the way a throttled connection does (`_write`). */
function feedOwned (wire: TestWire, stream: Uint8Array, cuts: number[]): void {
  let at = 0
  let k = 0
  while (at < stream.length) {
    const n = Math.min(stream.length - at, cuts[k++ % cuts.length] ?? 1)
    wire._write(stream.slice(at, at + n), () => {})
    at += n
  }
}

async function settle (): Promise<void> { await new Promise(resolve => setTimeout(resolve, 0)) }

describe('wire parsing reads in a reused buffer', () => {
  it('delivers handshakes, bitfields and blocks intact however the reads are cut', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 12 }),
      fc.constantFrom(16 * 1024, 128 * 1024, 1024 * 1024),
      async (cuts, blockLength) => {
        const a = sender()
        const b = new (Wire as unknown as new () => TestWire)()
        b._sink = () => {}
        b.reuseSpannedPieces = true
        b.agreedBlockLength = blockLength
        const bits = randomBytes(40)
        let gotBits: Uint8Array | undefined
        b.on('bitfield', (bf: unknown) => { gotBits = (bf as { buffer: Uint8Array }).buffer })
        let handshook = false
        b.on('handshake', () => { handshook = true })
        a.wire.handshake(INFO_HASH, 'bb'.repeat(20))
        a.wire.bitfield(bits)
        a.wire.unchoke()
        await settle()
        const readBuffer = new Uint8Array(256 * 1024)
        feed(b, concat(a.bytes.splice(0)), cuts, readBuffer)
        expect(handshook).toBe(true)
        expect(gotBits && Buffer.from(gotBits.subarray(0, bits.length)).equals(bits)).toBe(true)

        const blocks = [randomBytes(blockLength), randomBytes(blockLength), randomBytes(blockLength)]
        const got: Buffer[] = []
        blocks.forEach((_, i) => b.request(i, 0, blockLength, (err, block) => {
          expect(err).toBeNull()
          got[i] = Buffer.from(block as Uint8Array) // the owner's copy, taken in the callback
        }))
        blocks.forEach((block, i) => { a.wire.piece(i, 0, block); a.wire.have(i) })
        await settle()
        feed(b, concat(a.bytes.splice(0)), cuts, readBuffer)
        expect(got.length).toBe(blocks.length)
        blocks.forEach((block, i) => expect(got[i]?.equals(block)).toBe(true))
        a.wire.destroy()
        b.destroy()
      }
    ), { numRuns: 60 })
  }, 120_000)

  // A rate limit set mid-transfer moves the connection from borrowed reads to owned writes
  // (webtorrent's patched peer.js, leanPipes), at any byte, often inside a piece message whose
  // head the wire keeps in its assembly buffer. Without the assembly finished first, the wire read
  // a length out of block data and waited for it: the connection stalled with its requests open.
  it('finishes a piece message begun in borrowed reads when the rest comes as owned writes', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 8 }),
      fc.array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 8 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.constantFrom(16 * 1024, 128 * 1024),
      async (borrowedCuts, ownedCuts, switchAt, blockLength) => {
        const a = sender()
        const b = new (Wire as unknown as new () => TestWire)()
        b._sink = () => {}
        b.reuseSpannedPieces = true
        b.agreedBlockLength = blockLength
        a.wire.handshake(INFO_HASH, 'bb'.repeat(20))
        a.wire.unchoke()
        await settle()
        const readBuffer = new Uint8Array(256 * 1024)
        feed(b, concat(a.bytes.splice(0)), [1 << 20], readBuffer)
        const blocks = [randomBytes(blockLength), randomBytes(blockLength), randomBytes(blockLength)]
        const got: Buffer[] = []
        const haves: number[] = []
        b.on('have', (i: unknown) => { haves.push(i as number) })
        blocks.forEach((_, i) => b.request(i, 0, blockLength, (err, block) => {
          expect(err).toBeNull()
          got[i] = Buffer.from(block as Uint8Array)
        }))
        blocks.forEach((block, i) => { a.wire.piece(i, 0, block); a.wire.have(i) })
        await settle()
        const stream = concat(a.bytes.splice(0))
        const cut = Math.floor(switchAt * stream.length)
        feed(b, stream.subarray(0, cut), borrowedCuts, readBuffer)
        feedOwned(b, stream.subarray(cut), ownedCuts)
        expect(got.length).toBe(blocks.length)
        blocks.forEach((block, i) => expect(got[i]?.equals(block)).toBe(true))
        expect(haves).toEqual([0, 1, 2])
        a.wire.destroy()
        b.destroy()
      }
    ), { numRuns: 80 })
  }, 120_000)

  it('finishes the piece message whose head waits in the assembly when owned writes take over', async () => {
    const a = sender()
    const b = new (Wire as unknown as new () => TestWire)()
    b._sink = () => {}
    b.reuseSpannedPieces = true
    b.agreedBlockLength = 16 * 1024
    a.wire.handshake(INFO_HASH, 'bb'.repeat(20))
    a.wire.unchoke()
    await settle()
    const readBuffer = new Uint8Array(64 * 1024)
    feed(b, concat(a.bytes.splice(0)), [1 << 20], readBuffer)
    const block = randomBytes(16 * 1024)
    let got: Buffer | undefined
    b.request(0, 0, block.length, (err, data) => { expect(err).toBeNull(); got = Buffer.from(data as Uint8Array) })
    a.wire.piece(0, 0, block)
    a.wire.have(5)
    await settle()
    const stream = concat(a.bytes.splice(0))
    feed(b, stream.subarray(0, 1000), [1000], readBuffer)
    expect((b as unknown as { _assembly?: unknown })._assembly ?? null).not.toBeNull()
    let have = -1
    b.on('have', (i: unknown) => { have = i as number })
    feedOwned(b, stream.subarray(1000), [7000])
    expect(got?.equals(block)).toBe(true)
    expect(have).toBe(5)
    b.destroy()
  })

  it('allocates nothing for a piece message header that claims more than the reused buffer holds', () => {
    const b = new (Wire as unknown as new () => TestWire)()
    b._sink = () => {}
    b.reuseSpannedPieces = true
    const a = sender()
    a.wire.handshake(INFO_HASH, 'bb'.repeat(20))
    const hs = concat(a.bytes.splice(0))
    const readBuffer = new Uint8Array(64 * 1024)
    feed(b, hs, [hs.length], readBuffer)
    // A header claiming a 4 GiB piece message, then 100 bytes of it.
    const header = new Uint8Array([0xff, 0xff, 0xff, 0xf0, 7, ...new Array(100).fill(1)])
    feed(b, header, [header.length], readBuffer)
    const scratch = (b as unknown as { _pieceScratch: Uint8Array | null })._pieceScratch
    expect(scratch === null || scratch.length <= SCRATCH_LIMIT + 13).toBe(true)
    expect((b as unknown as { _assembly?: unknown })._assembly ?? null).toBeNull()
    b.destroy()
  })
})
