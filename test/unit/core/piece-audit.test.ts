import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { PieceAudit } from '../../../main/core/engine/piece-audit.js'
import type { WireLike } from '../../../main/core/engine/webtorrent-types.js'

// Wires carry just what the audit reads: their address.
const wire = (address: string): WireLike => Object.assign(new EventEmitter(), {
  remoteAddress: address, remotePort: 6881, type: 'tcpIncoming', amChoking: false, peerChoking: false, peerInterested: true, destroyed: false,
  uploaded: 0, downloaded: 0, peerPieces: { buffer: new Uint8Array(), get: () => true, set: () => {} },
  downloadSpeed: () => 0, uploadSpeed: () => 0, unchoke: () => {}, choke: () => {}, destroy: () => {}
})

const BLOCK = 16 * 1024
const good = Buffer.alloc(4 * BLOCK, 7)
/** The good piece with the blocks at `badBlocks` overwritten, as a liar's blocks would make it. */
const spoiled = (...badBlocks: number[]): Buffer => {
  const piece = Buffer.from(good)
  for (const k of badBlocks) piece.fill(9, k * BLOCK, (k + 1) * BLOCK)
  return piece
}

describe('piece audit', () => {
  it('bans a sole sender of bad pieces after two of them', () => {
    const bans: string[] = []
    const a = new PieceAudit(addr => bans.push(addr))
    const liar = wire('10.0.0.6')
    for (const piece of [1, 2]) {
      a.onRun(piece, 0, 2 * BLOCK, liar)
      a.onRun(piece, 2 * BLOCK, 2 * BLOCK, liar)
      a.onFailed(piece, spoiled(3))
      expect(bans).toEqual(piece === 1 ? [] : ['10.0.0.6'])
    }
    expect(a.isBanned(liar)).toBe(true)
    expect([...a.banned]).toEqual(['10.0.0.6'])
  })

  it('with several senders, blames only those whose blocks differ from the piece that passed', () => {
    const bans: string[] = []
    const a = new PieceAudit(addr => bans.push(addr))
    const honest = wire('10.0.0.2'); const liar = wire('10.0.0.6'); const other = wire('10.0.0.7')
    for (const piece of [3, 4]) {
      a.onRun(piece, 0, BLOCK, honest)
      a.onRun(piece, BLOCK, 2 * BLOCK, liar) // a run of two blocks, one of them bad
      a.onRun(piece, 3 * BLOCK, BLOCK, other)
      a.onFailed(piece, spoiled(2))
      expect(bans).toEqual([]) // not yet known who lied
      a.onRun(piece, 0, 4 * BLOCK, honest)
      a.onPassed(piece, good)
    }
    expect(bans).toEqual(['10.0.0.6'])
    expect(a.isBanned(honest)).toBe(false)
    expect(a.isBanned(other)).toBe(false)
  })

  it('compares a short last block over its own length', () => {
    const bans: string[] = []
    const a = new PieceAudit(addr => bans.push(addr))
    const honest = wire('10.0.0.2'); const liar = wire('10.0.0.6')
    const length = BLOCK + 100
    const passed = good.subarray(0, length)
    for (const piece of [5, 6]) {
      const failed = Buffer.from(passed)
      failed[BLOCK + 99] = 9
      a.onRun(piece, 0, BLOCK, honest)
      a.onRun(piece, BLOCK, 100, liar)
      a.onFailed(piece, failed)
      a.onPassed(piece, passed)
    }
    expect(bans).toEqual(['10.0.0.6'])
  })
})
