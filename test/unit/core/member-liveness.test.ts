// A recipient whose reports stop is asked once; if its control port does not answer it is lost
// (within 10 s of going away), and one that answers, or reports meanwhile, is not.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { MemberLiveness, SILENCE_MS, VERIFIED_SILENCE_MS, type WatchedMember } from '../../../main/core/node/member-liveness.js'

const IH = 'c'.repeat(40)
const member: WatchedMember = { infoHash: IH, id: 'a'.repeat(32), state: 'downloading' }

afterEach(() => { vi.useRealTimers() })

describe('member liveness', () => {
  it('loses a silent member whose control port does not answer, saying when it was last heard', async () => {
    vi.useFakeTimers()
    const lost: Array<[string, number]> = []
    const l = new MemberLiveness({ members: () => [member], probe: async () => false, lost: (m, since) => lost.push([m.id, since]) })
    l.heardFrom(IH, member.id)
    const heardAt = Date.now()
    await vi.advanceTimersByTimeAsync(SILENCE_MS - 1_000)
    expect(lost).toEqual([])
    await vi.advanceTimersByTimeAsync(2_000)
    expect(lost).toEqual([[member.id, heardAt]])
    l.stop()
  })

  it('keeps a member that answers, or reports while it is being asked', async () => {
    vi.useFakeTimers()
    const lost: string[] = []
    let answer: (alive: boolean) => void = () => {}
    const l = new MemberLiveness({
      members: () => [member],
      probe: async () => await new Promise<boolean>(resolve => { answer = resolve }),
      lost: m => lost.push(m.id)
    })
    l.heardFrom(IH, member.id)
    await vi.advanceTimersByTimeAsync(SILENCE_MS + 1_000)
    // A report arrives while the question is out; then the question fails: the report wins.
    l.heardFrom(IH, member.id)
    answer(false)
    await vi.advanceTimersByTimeAsync(10)
    expect(lost).toEqual([])
    l.stop()
  })

  it('asks about a verified member (which reports rarely) only after the longer verified silence', async () => {
    vi.useFakeTimers()
    const verified: WatchedMember = { ...member, state: 'verified' }
    const asked: number[] = []
    const lost: Array<[string, string]> = []
    const l = new MemberLiveness({ members: () => [verified], probe: async () => { asked.push(Date.now()); return false }, lost: (m, _since) => lost.push([m.id, m.state]) })
    l.heardFrom(IH, verified.id)
    await vi.advanceTimersByTimeAsync(SILENCE_MS + 1_000)
    expect(asked).toEqual([])
    await vi.advanceTimersByTimeAsync(VERIFIED_SILENCE_MS - SILENCE_MS + 1_000)
    expect(asked).toHaveLength(1)
    // The origin's hook tells a verified member (marked offline) from one on its way (lost) by its state.
    expect(lost).toEqual([[verified.id, 'verified']])
    l.stop()
  })

  it('asks at once when told the member\'s connections closed, and loses it if it does not answer', async () => {
    vi.useFakeTimers()
    const asked: string[] = []
    const lost: Array<[string, number]> = []
    let alive = true
    const l = new MemberLiveness({ members: () => [member], probe: async m => { asked.push(m.id); return alive }, lost: (m, since) => lost.push([m.id, since]) })
    l.heardFrom(IH, member.id)
    const heardAt = Date.now()
    await vi.advanceTimersByTimeAsync(200)
    // Still answering (a connection closed for another reason): nothing changes.
    l.askNow(IH, member.id)
    await vi.advanceTimersByTimeAsync(10)
    expect(asked).toEqual([member.id])
    expect(lost).toEqual([])
    // Killed: its connection closed and its control port is gone; lost long before the silence ends.
    alive = false
    l.askNow(IH, member.id)
    await vi.advanceTimersByTimeAsync(10)
    expect(lost).toHaveLength(1)
    expect(lost[0]?.[0]).toBe(member.id)
    expect(lost[0]?.[1]).toBeGreaterThanOrEqual(heardAt)
    expect(Date.now() - heardAt).toBeLessThan(SILENCE_MS)
    // Not watched (another swarm): not asked.
    l.askNow('d'.repeat(40), member.id)
    await vi.advanceTimersByTimeAsync(10)
    expect(asked).toHaveLength(2)
    l.stop()
  })

  it('does not ask about members it no longer watches', async () => {
    vi.useFakeTimers()
    let asked = 0
    let watched: WatchedMember[] = [member]
    const l = new MemberLiveness({ members: () => watched, probe: async () => { asked++; return true }, lost: () => {} })
    await vi.advanceTimersByTimeAsync(1_000)
    watched = []
    await vi.advanceTimersByTimeAsync(SILENCE_MS * 3)
    expect(asked).toBe(0)
    expect(l.lastHeard(IH, member.id)).toBeUndefined()
    l.stop()
  })
})
