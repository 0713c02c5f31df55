// The patched rarity map's ranking: of the pieces in a range that a wire has and we lack, rarest
// first, in random order among the first few equally rare ones in index order (in index order
// with a single wire), so members complete a file roughly front to back. Its sort
// uses arrays the map lends to one ranking at a time; a ranking asked for while they are lent
// gets its own, so two walked side by side do not disturb each other.
import { EventEmitter } from 'node:events'
import RarityMap from 'webtorrent/lib/rarity-map.js'
import { describe, expect, it } from 'vitest'

type Ranked = () => number

interface Bits { readonly buffer: Uint8Array, get (i: number): boolean, setAll?: () => void }
interface TestMap {
  rankedPieces (wire: FakeWire, start: number, end: number, have: Bits): Ranked
  endRanking (ranked: Ranked): void
}
interface FakeWire extends EventEmitter { readonly peerPieces: Bits }

const NUM = 40

function bits (pieces: Iterable<number>): Bits {
  const buffer = new Uint8Array(Math.ceil(NUM / 8))
  for (const i of pieces) buffer[i >> 3] = (buffer[i >> 3] ?? 0) | (0x80 >> (i & 7))
  return { buffer, get: i => !!((buffer[i >> 3] ?? 0) & (0x80 >> (i & 7))), setAll: () => {} }
}
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, k) => from + k)
const wireWith = (peerPieces: Bits): FakeWire => Object.assign(new EventEmitter(), { peerPieces })

function mapOf (wires: FakeWire[], num = NUM): TestMap {
  const torrent = Object.assign(new EventEmitter(), { pieces: new Array<null>(num).fill(null), wires })
  return new (RarityMap as new (torrent: object) => TestMap)(torrent)
}

function drain (ranked: Ranked): number[] {
  const out: number[] = []
  for (let i = ranked(); i >= 0; i = ranked()) out.push(i)
  return out
}

describe('rarity map ranking', () => {
  // availability: pieces 0-9 on three wires, 10-19 on two, 20-39 on one (wire a has them all)
  const a = wireWith(bits(range(0, NUM)))
  const b = wireWith(bits(range(0, 20)))
  const c = wireWith(bits(range(0, 10)))
  const availability = (i: number): number => i < 10 ? 3 : i < 20 ? 2 : 1
  const have = bits([0, 5, 15, 25, 39])
  const expected = range(2, 38).filter(i => !have.get(i))

  it('ranks exactly the pieces in range the wire has and we lack, rarest first', () => {
    const map = mapOf([a, b, c])
    const order = drain(map.rankedPieces(a, 2, 37, have))
    expect([...order].sort((x, y) => x - y)).toEqual(expected.filter(i => i <= 37))
    const avail = order.map(availability)
    expect(avail).toEqual([...avail].sort((x, y) => x - y))
    expect(drain(map.rankedPieces(b, 0, NUM - 1, have)).slice(-8).sort((x, y) => x - y)).toEqual(range(0, 10).filter(i => !have.get(i)))
  })

  it('walks a single wire in index order', () => {
    const map = mapOf([a])
    expect(drain(map.rankedPieces(a, 0, NUM - 1, have))).toEqual(range(0, NUM).filter(i => !have.get(i)))
  })

  it('asks a have-all peer piece by piece, and counts availability below zero as none', () => {
    const all: FakeWire = wireWith({ buffer: new Uint8Array(), get: () => true })
    const map = mapOf([all])
    all.emit('close') // a have-all peer is not counted, yet is subtracted when it leaves
    expect(drain(map.rankedPieces(all, 30, 50, have))).toEqual(range(30, NUM).filter(i => !have.get(i)))
  })

  it('gives a ranking asked for while another is walked arrays of its own', () => {
    const map = mapOf([a, b, c])
    const first = map.rankedPieces(a, 0, NUM - 1, have)
    const firstOut = [first(), first()]
    const second = map.rankedPieces(b, 0, NUM - 1, have)
    const secondOut: number[] = []
    for (let k = ranked(first), j = ranked(second); k >= 0 || j >= 0; k = ranked(first), j = ranked(second)) {
      if (k >= 0) firstOut.push(k)
      if (j >= 0) secondOut.push(j)
    }
    expect([...firstOut].sort((x, y) => x - y)).toEqual(range(0, NUM).filter(i => !have.get(i)))
    expect([...secondOut].sort((x, y) => x - y)).toEqual(range(0, 20).filter(i => !have.get(i)))
    function ranked (r: Ranked): number { return r() }
  })

  it('lends its arrays again once a ranking is done with them', () => {
    const map = mapOf([a, b, c])
    const first = map.rankedPieces(a, 0, NUM - 1, have)
    first()
    map.endRanking(first)
    const second = map.rankedPieces(c, 0, NUM - 1, have) // reuses the first's arrays
    const third = map.rankedPieces(b, 0, NUM - 1, have) // while the second's are lent: its own
    const secondOut = [second()]
    const thirdOut = drain(third)
    secondOut.push(...drain(second))
    expect([...secondOut].sort((x, y) => x - y)).toEqual(range(0, 10).filter(i => !have.get(i)))
    expect([...thirdOut].sort((x, y) => x - y)).toEqual(range(0, 20).filter(i => !have.get(i)))
    expect(thirdOut.slice(9).map(availability)).toEqual(new Array(8).fill(3)) // 9 of availability 2 first
  })

  it('picks among equally rare pieces near the front, so the file completes roughly in order', () => {
    // 2,000 pieces all on one of three wires (one bucket of equal rarity), none of them ours.
    const num = 2000
    const all = (): Bits => {
      const buffer = new Uint8Array(num / 8).fill(0xff)
      return { buffer, get: () => true, setAll: () => {} }
    }
    const wires = [wireWith(all()), wireWith(bits([])), wireWith(bits([]))]
    const none: Bits = { buffer: new Uint8Array(num / 8), get: () => false, setAll: () => {} }
    const map = mapOf(wires, num)
    const order = drain(map.rankedPieces(wires[0] as FakeWire, 0, num - 1, none))
    expect([...order].sort((x, y) => x - y)).toEqual(range(0, num))
    // Each pick is one of the 64 lowest pieces not picked yet (the reach with three wires).
    const left = new Set(range(0, num))
    let worst = 0
    for (const i of order) {
      const below = [...left].filter(j => j < i).length
      worst = Math.max(worst, below)
      left.delete(i)
    }
    expect(worst).toBeLessThan(64)
    // And still random within that reach: the first 64 picks are not simply 0..63 in order.
    expect(order.slice(0, 64)).not.toEqual(range(0, 64))
  })
})
