import { describe, expect, it } from 'vitest'
import { PIECE } from '../../../preload/api.js'
import { SELF_ID, bitfield, machine, originDistribution } from '../test/fixtures.js'
import { SWARM, bitfieldCells, cellsFor, hasPiece, localCells, swarmCells, swarmHolders, swarmLevel, swarmScale, swarmSize } from './cells.js'
import { gridLayout, pieceAt, pieceBytes } from './layout.js'

describe('piece cells', () => {
  it('reads BitTorrent-order bitfields (high bit of byte 0 is piece 0)', () => {
    const bits = Uint8Array.from([0b1000_0001, 0b0100_0000])
    expect([0, 1, 7, 8, 9].map(i => hasPiece(bits, i))).toEqual([true, false, true, false, true])
    expect(hasPiece(bits, 100)).toBe(false)
  })

  it('grades swarm cells by copies, from none to all, and counts the held-by-all ones', () => {
    const frame = swarmCells(Uint8Array.from([0, 1, 2, 3, 4]), 5, 4)
    expect(Array.from(frame.values)).toEqual([SWARM.none, SWARM.few, SWARM.some, SWARM.most, SWARM.all])
    expect(frame.verified).toBe(1)
  })

  it('shows progress in three machines as distinct shades: 1 copy, 2 copies, all', () => {
    // The origin plus two recipients mid-transfer: before, nearly every cell was one "some" shade.
    expect([1, 2, 3].map(h => swarmLevel(h, 3))).toEqual([SWARM.few, SWARM.most, SWARM.all])
    expect(swarmScale(3).map(s => s.text)).toEqual(['no machine yet', '1 machine', '2 machines', 'all 3 machines'])
  })

  it('groups copies into ranges in a big swarm, every level used once', () => {
    const scale = swarmScale(13)
    expect(scale.map(s => s.level)).toEqual([SWARM.none, SWARM.few, SWARM.some, SWARM.most, SWARM.all])
    expect(scale.map(s => s.text)).toEqual(['no machine yet', '1–3 machines', '4–9 machines', '10–12 machines', 'all 13 machines'])
  })

  it('counts verified and refetched pieces of this device as verified', () => {
    const frame = localCells(Uint8Array.from([PIECE.missing, PIECE.inFlight, PIECE.verified, PIECE.refetched, PIECE.failed]), 5)
    expect(frame.verified).toBe(2)
    expect(Array.from(frame.values)).toEqual([0, 1, 2, 3, 4])
  })

  it('shows another member from its bitfield, and says when none is known', () => {
    const frame = bitfieldCells(bitfield(10, i => i % 2 === 0), 10)
    expect(frame.verified).toBe(5)
    expect(frame.values[0]).toBe(PIECE.verified)
    expect(frame.values[1]).toBe(PIECE.missing)
    expect(bitfieldCells(undefined, 10)).toMatchObject({ known: false, verified: 0 })
  })

  it('counts as "all" every member taking part, never one that declined, known map or not', () => {
    const dist = originDistribution()
    // self, lab-01 and lab-02 take part; lab-03 declined.
    expect(swarmSize(dist)).toBe(3)
    // lab-02's map is not known here: it still counts, so no piece is "on every machine" for it.
    const { [machine(2).id]: _gone, ...rest } = dist.pieces.members
    const unseen = originDistribution({ pieces: { ...dist.pieces, members: rest, holders: new Uint8Array(12).fill(2) } })
    expect(swarmSize(unseen)).toBe(3)
    expect(cellsFor(unseen, 'swarm').verified).toBe(0)
  })

  it('counts a verified member whose map is unknown here as holding every piece', () => {
    const dist = originDistribution()
    const { [machine(1).id]: _gone, ...rest } = dist.pieces.members
    // lab-01 verified, its bitfield not known: holders lack it, its row says verified.
    const holders = new Uint8Array(12).map((_, i) => 1 + (i < 6 ? 1 : 0))
    const unseen = originDistribution({ pieces: { ...dist.pieces, members: rest, holders } })
    expect(Array.from(swarmHolders(unseen))).toEqual(Array.from(dist.pieces.holders))
    expect(cellsFor(unseen, 'swarm').verified).toBe(6)
  })

  it('says no piece is on every machine while recipients that accepted are still at 0 %', () => {
    // The "1,600 of 1,600 held by every machine" with both recipients at 0 %.
    const dist = originDistribution()
    const starting = originDistribution({
      members: dist.members.map(m => m.origin ? m : { ...m, state: 'accepted', verified: false, verifiedBytes: 0, verifiedPieces: 0 }),
      pieces: { ...dist.pieces, members: { [SELF_ID]: bitfield(12, () => true) }, holders: new Uint8Array(12).fill(1) }
    })
    const frame = cellsFor(starting, 'swarm')
    expect(frame.verified).toBe(0)
    expect(Array.from(frame.values).every(v => v === SWARM.few)).toBe(true)
  })

  it('picks the right source for each view of a distribution', () => {
    const dist = originDistribution()
    expect(cellsFor(dist, 'swarm').kind).toBe('swarm')
    // Self: the engine's PIECE codes; lab-02: half its bitfield.
    expect(cellsFor(dist, { member: SELF_ID }).verified).toBe(12)
    expect(cellsFor(dist, { member: machine(2).id }).verified).toBe(6)
    expect(cellsFor(dist, { member: machine(3).id }).known).toBe(false)
  })
})

describe('grid layout', () => {
  it('fits 20,000 pieces in a window-wide grid of small cells', () => {
    const layout = gridLayout(20_000, 800)
    expect(layout.columns * layout.rows).toBeGreaterThanOrEqual(20_000)
    expect(layout.width).toBeLessThanOrEqual(800)
    expect(layout.cell).toBeLessThanOrEqual(4)
  })

  it('maps a point back to its piece', () => {
    const layout = gridLayout(100, 160) // 14 px cells, 2 px gap: 10 columns
    expect(layout.columns).toBe(10)
    expect(pieceAt(layout, 100, 0, 0)).toBe(0)
    expect(pieceAt(layout, 100, 17, 1)).toBe(1)
    expect(pieceAt(layout, 100, 1, 17)).toBe(10)
    expect(pieceAt(layout, 100, 1, 16 * 10 + 1)).toBeNull()
    expect(pieceAt(layout, 100, -1, 0)).toBeNull()
  })

  it('gives byte ranges, the last piece short', () => {
    expect(pieceBytes(1, 100, 250)).toEqual({ start: 100, end: 200 })
    expect(pieceBytes(2, 100, 250)).toEqual({ start: 200, end: 250 })
  })
})
