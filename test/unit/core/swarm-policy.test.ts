import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { MemberRates } from '../../../main/core/engine/member-rates.js'
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

  it('follows the origin to a new address', () => {
    const moved = wire('10.0.0.7', [0, 1, 2]); const peer = wire('10.0.0.3', [1])
    const p = new RecipientPolicy('10.0.0.1', () => [moved, peer], () => 0)
    // Not yet known as the origin: asked like any member.
    expect(p.mayRequest(moved, 1)).toBe(true)
    p.moveOrigin('10.0.0.7')
    expect(p.mayRequest(moved, 1)).toBe(false)
    expect(p.mayRequest(moved, 0)).toBe(true)
  })
})

describe('one slow machine among fast ones', () => {
  const MB = 1_000_000
  function rated (now: () => number): MemberRates {
    const r = new MemberRates(now)
    r.set('10.0.0.2', 20 * MB); r.set('10.0.0.3', 22 * MB); r.set('10.0.0.4', 21 * MB); r.set('10.0.0.9', 2 * MB)
    return r
  }

  it('a slow member gets no first copy while a fast one can take it', () => {
    const now = (): number => 0
    const slow = wire('10.0.0.9'); const fast = wire('10.0.0.2')
    const p = new OriginPolicy(() => [slow, fast], now, rated(now), 10)
    expect(p.mayServe(slow, 1)).toBe(false)
    expect(p.mayServe(fast, 1)).toBe(true)
    // Without rates nobody is slow: the first requester gets it, as before.
    const plain = new OriginPolicy(() => [slow, fast], now)
    expect(plain.mayServe(slow, 1)).toBe(true)
  })

  it('a piece only slow members hold leaves the origin again for one fast member, within the budget', () => {
    let t = 0
    const now = (): number => t
    const slow = wire('10.0.0.9'); const a = wire('10.0.0.2'); const b = wire('10.0.0.3')
    const rates = new MemberRates(now)
    const p = new OriginPolicy(() => [slow, a, b], now, rates, 1)
    expect(p.mayServe(slow, 3)).toBe(true) // before any rate is known
    expect(p.mayServe(slow, 4)).toBe(true)
    slow.has.add(3); slow.has.add(4)
    rates.set('10.0.0.2', 20 * MB); rates.set('10.0.0.3', 22 * MB); rates.set('10.0.0.4', 21 * MB); rates.set('10.0.0.9', 2 * MB)
    t = 500
    expect(p.mayServe(a, 3)).toBe(true) // only the slow one holds it: an extra copy
    expect(p.mayServe(a, 3)).toBe(true) // its other blocks
    expect(p.mayServe(b, 3)).toBe(false) // b gets it from a
    expect(p.mayServe(b, 4)).toBe(false) // budget spent: from the slow one
    expect(p.resent).toBe(1)
  })

  it('a recipient asks the origin for a piece only slow members hold', () => {
    const now = (): number => 0
    const origin = wire('10.0.0.1', [7]); const slow = wire('10.0.0.9', [7])
    const r = new RecipientPolicy('10.0.0.1', () => [origin, slow], now, rated(now))
    expect(r.mayRequest(origin, 7)).toBe(true)
    const fastHolder = wire('10.0.0.3', [7])
    const r2 = new RecipientPolicy('10.0.0.1', () => [origin, slow, fastHolder], now, rated(now))
    expect(r2.mayRequest(origin, 7)).toBe(false)
  })

  it('calls a member slow only against the median of at least three, and forgets stale rates', () => {
    let t = 0
    const r = new MemberRates(() => t)
    r.set('a', 10 * MB); r.set('b', 1 * MB)
    expect(r.isSlow('b')).toBe(false)
    r.set('c', 12 * MB)
    expect(r.isSlow('b')).toBe(true)
    expect(r.isSlow('a')).toBe(false)
    t = 20_000
    expect(r.isSlow('b')).toBe(false)
  })
})
