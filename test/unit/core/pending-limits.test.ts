// Offers waiting for a person are bounded per sender, in all, and by metadata bytes (a flood of
// offers carrying 66.8 MiB torrents grew an agent from 505 MiB to 6.3 GiB before these limits).
import { describe, expect, it } from 'vitest'
import { PENDING_LIMITS, roomToWait, type WaitingOffer } from '../../../main/core/node/pending-limits.js'

const offer = (offerId: string, senderId: string, torrentBytes = 1_000): WaitingOffer => ({ offerId, senderId, torrentBytes })

describe('pending offer limits', () => {
  it('refuses a ninth offer from one sender, but not one from another sender', () => {
    const waiting = Array.from({ length: PENDING_LIMITS.perSender }, (_, i) => offer(`o${i}`, 'evil'))
    const r = roomToWait(waiting, offer('o-next', 'evil'))
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.message).toMatch(/8 offers from this device/)
    expect(roomToWait(waiting, offer('o-other', 'friend')).ok).toBe(true)
  })

  it('the same offer sent again replaces itself; another sender cannot take its id', () => {
    const waiting = Array.from({ length: PENDING_LIMITS.perSender }, (_, i) => offer(`o${i}`, 'a'))
    expect(roomToWait(waiting, offer('o3', 'a')).ok).toBe(true)
    const stolen = roomToWait(waiting, offer('o3', 'b'))
    expect(stolen.ok).toBe(false)
    if (!stolen.ok) expect(stolen.error.code).toBe('forbidden')
  })

  it('bounds the total count, many keys or not', () => {
    const waiting = Array.from({ length: PENDING_LIMITS.total }, (_, i) => offer(`o${i}`, `key-${i}`))
    expect(roomToWait(waiting, offer('one-more', 'fresh-key')).ok).toBe(false)
  })

  it('bounds the metadata held, whatever the count', () => {
    const big = 30 * 1024 * 1024
    const waiting = [offer('a', 'k1', big), offer('b', 'k2', big)]
    const r = roomToWait(waiting, offer('c', 'k3', big))
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.message).toMatch(/metadata/)
    expect(roomToWait(waiting, offer('c', 'k3', 1024)).ok).toBe(true)
  })
})
