import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { OriginPolicy, RecipientPolicy } from '../../../main/core/engine/swarm-policy.js'
import type { WireLike } from '../../../main/core/engine/webtorrent-types.js'

// Wires here are real objects with just the fields the policy reads; nothing is faked beyond that.
function wire (address: string, pieces: number[] = []): WireLike & { destroyed: boolean; has: Set<number> } {
  const has = new Set(pieces)
  const w = Object.assign(new EventEmitter(), {
    remoteAddress: address, remotePort: 6881, type: 'tcpOutgoing', amChoking: false, peerChoking: false, peerInterested: true,
    destroyed: false, uploaded: 0, downloaded: 0, has,
    peerPieces: { buffer: new Uint8Array(), get: (i: number) => has.has(i), set: (i: number) => { has.add(i) } },
    downloadSpeed: () => 0, uploadSpeed: () => 0, unchoke: () => {}, choke: () => {}, destroy: () => { w.destroyed = true }
  })
  return w
}

describe('origin policy: each piece leaves the origin once', () => {
  it('hands a piece to the first requester and refuses it to others while it is in flight', () => {
    let now = 0
    const a = wire('10.0.0.2'); const b = wire('10.0.0.3')
    const p = new OriginPolicy(() => [a, b], () => now)
    expect(p.mayServe(a, 5)).toBe(true)
    expect(p.mayServe(a, 5)).toBe(true) // further blocks of the same piece
    expect(p.mayServe(b, 5)).toBe(false)
    now = 1_000
    a.has.add(5) // a announced it: b must get it from a
    expect(p.mayServe(b, 5)).toBe(false)
    expect(p.resent).toBe(0)
  })

  it('sends again when the first receiver left or the hand-off is stuck', () => {
    let now = 0
    const a = wire('10.0.0.2'); const b = wire('10.0.0.3')
    const p = new OriginPolicy(() => [a, b], () => now)
    p.mayServe(a, 1)
    a.destroy()
    expect(p.mayServe(b, 1)).toBe(true)
    p.mayServe(b, 2)
    const c = wire('10.0.0.4')
    now = 10_000 // b never announced piece 2
    expect(p.mayServe(c, 2)).toBe(true)
    expect(p.resent).toBe(2)
  })
})

describe('recipient policy: spare the origin', () => {
  it('asks the origin only for pieces no other member has, and backs off after a refusal', () => {
    let now = 0
    const origin = wire('10.0.0.1', [0, 1, 2]); const peer = wire('10.0.0.3', [1])
    const p = new RecipientPolicy('10.0.0.1', () => [origin, peer], () => now)
    expect(p.mayRequest(origin, 0)).toBe(true)
    expect(p.mayRequest(origin, 1)).toBe(false)
    expect(p.mayRequest(peer, 1)).toBe(true)
    p.onRefused(origin, 0)
    expect(p.mayRequest(origin, 0)).toBe(false)
    now = 1_000
    expect(p.mayRequest(origin, 0)).toBe(true)
  })
})
