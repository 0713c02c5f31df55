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
const good = Buffer.alloc(2 * BLOCK, 7)
const bad = Buffer.alloc(BLOCK, 9)

describe('piece audit', () => {
  it('bans a sole sender of bad pieces after two of them', () => {
    const bans: string[] = []
    const a = new PieceAudit(addr => bans.push(addr))
    const liar = wire('10.0.0.6')
    for (const piece of [1, 2]) {
      a.onBlock(piece, 0, bad, liar)
      a.onFailed(piece)
    }
    expect(bans).toEqual(['10.0.0.6'])
    expect(a.isBanned(liar)).toBe(true)
  })

  it('with several senders, blames only those whose blocks differ from the piece that passed', () => {
    const bans: string[] = []
    const a = new PieceAudit(addr => bans.push(addr))
    const honest = wire('10.0.0.2'); const liar = wire('10.0.0.6')
    for (const piece of [3, 4]) {
      a.onBlock(piece, 0, good.subarray(0, BLOCK), honest)
      a.onBlock(piece, BLOCK, bad, liar)
      a.onFailed(piece)
      expect(bans).toEqual([]) // not yet known who lied
      a.onBlock(piece, 0, good.subarray(0, BLOCK), honest)
      a.onBlock(piece, BLOCK, good.subarray(BLOCK), honest)
      a.onPassed(piece, good)
    }
    expect(bans).toEqual(['10.0.0.6'])
    expect(a.isBanned(honest)).toBe(false)
  })
})
