// What `status` and `send --wait` print for a machine and at the end: plurals, no leftover ETA on
// a finished row, "already had it", a lost machine (waiting, then reported as lost) and an unknown
// one (never a made-up 0 %).
import { describe, expect, it } from 'vitest'
import type { MemberRow } from '../../../common/api.js'
import { plural } from '../../../main/agent/cli/format.js'
import { memberLine } from '../../../main/agent/cli/member-line.js'
import { outcomeOf, outcomeText, summaryLine, type Outcome } from '../../../main/agent/cli/send-outcome.js'
import { memberRow } from '../member-row-fixture.js'

const TOTAL = 1_000_000

const row = (over: Partial<MemberRow>): MemberRow => memberRow({ id: 'd'.repeat(32), name: 'lab-02', address: '10.0.0.12', ...over })

const outcome = (status: Outcome['status'], name = 'm'): Outcome => ({ name, id: name, status })

describe('plural', () => {
  it('says one machine, 3 machines, 1,600 pieces', () => {
    expect(plural(1, 'machine')).toBe('1 machine')
    expect(plural(0, 'machine')).toBe('0 machines')
    expect(plural(3, 'peer')).toBe('3 peers')
    expect(plural(1600, 'piece')).toBe('1,600 pieces')
  })
})

describe('the summary at the end of send --wait', () => {
  it('agrees in number', () => {
    expect(summaryLine([outcome('verified')])).toBe('The 1 machine verified')
    expect(summaryLine([outcome('verified', 'a'), outcome('verified', 'b'), outcome('verified', 'c')])).toBe('All 3 machines verified')
    expect(summaryLine([outcome('verified', 'a'), outcome('declined', 'b'), outcome('lost', 'c')])).toBe('1 of 3 machines verified (1 declined, 1 lost)')
    expect(summaryLine([outcome('timeout')])).toBe('0 of 1 machine verified (1 not done in time)')
  })
})

describe('a machine row', () => {
  it('shows no ETA once verified, and a rate and ETA while receiving', () => {
    const done = memberLine(row({ state: 'verified', verified: true, verifiedBytes: TOTAL, etaSeconds: null }), TOTAL, 10)
    expect(done).toContain('100%')
    expect(done).toContain('✓ verified')
    expect(done).not.toMatch(/\d:\d\d/)
    const busy = memberLine(row({ state: 'downloading', verifiedBytes: TOTAL / 4, rate: 50_000, etaSeconds: 15 }), TOTAL, 10)
    expect(busy).toContain('25%')
    expect(busy).toContain('50.0 KB/s')
    expect(busy).toContain('0:15')
    expect(busy).toContain('receiving')
  })

  it('says a receiver that cannot finish while a machine is away waits for it, with no ETA', () => {
    const line = memberLine(row({ state: 'downloading', verifiedBytes: TOTAL / 2, rate: 20_000, etaSeconds: null, waitsForSource: true }), TOTAL, 10)
    expect(line).toContain('50%')
    expect(line).toContain('receiving, the rest is on a machine that is away')
    expect(line).not.toMatch(/left/)
  })

  it('shows a long ETA in days and hours, as the window does', () => {
    const line = memberLine(row({ state: 'downloading', verifiedBytes: 1, rate: 1, etaSeconds: 378 * 3600 + 16 * 60 + 28 }), TOTAL, 10)
    expect(line).toContain('15 d 18 h left')
  })

  it('says a verified copy whose machine went away is verified and offline, for how long', () => {
    const now = Date.parse('2026-12-04T12:00:12Z')
    const line = memberLine(row({ state: 'verified', verified: true, verifiedBytes: TOTAL, etaSeconds: null, offlineSince: '2026-12-04T12:00:00Z' }), TOTAL, 10, now)
    expect(line).toContain('100%')
    expect(line).toContain('✓ verified · offline 0:12')
  })

  it('says "already had it" for a re-send of a held file', () => {
    expect(memberLine(row({ state: 'verified', verified: true, verifiedBytes: TOTAL, alreadyHad: true }), TOTAL, 10)).toContain('✓ verified (already had it)')
  })

  it('says how long ago contact was lost, with no rate and no ETA', () => {
    const now = Date.parse('2026-12-04T12:00:35Z')
    const line = memberLine(row({ state: 'lost', verifiedBytes: TOTAL / 3, lostSince: '2026-12-04T12:00:00Z' }), TOTAL, 10, now)
    expect(line).toContain('lost contact 0:35 ago, resumes when it returns')
    expect(line).toContain('33%')
    expect(line).not.toMatch(/B\/s/)
  })

  it('shows an unknown member as unknown, not as 0 %', () => {
    const line = memberLine(row({ state: 'unknown' }), TOTAL, 10)
    expect(line).toContain('unknown')
    expect(line).toContain('?')
    expect(line).not.toContain('0%')
  })
})

describe('how a recipient ends', () => {
  it('a lost machine at the deadline is reported as lost, with when', () => {
    const o = outcomeOf({ id: 'x', row: row({ state: 'lost', lostSince: '2026-12-04T12:00:00Z' }), sha256: undefined }, undefined)
    expect(o.status).toBe('lost')
    expect(o.lostSince).toBe('2026-12-04T12:00:00Z')
    expect(outcomeText(o)).toContain('lost contact at')
  })

  it('an unknown or still receiving machine at the deadline did not finish in time', () => {
    expect(outcomeOf({ id: 'x', row: row({ state: 'unknown' }), sha256: undefined }, undefined).status).toBe('timeout')
    const pending = outcomeOf({ id: 'x', row: row({ state: 'pending' }), sha256: undefined }, undefined)
    expect(outcomeText(pending)).toBe('not done in time (waiting for answer)')
    expect(outcomeOf({ id: 'x', row: undefined, sha256: undefined }, undefined).status).toBe('timeout')
  })

  it('a verified re-send says so in the summary', () => {
    const o = outcomeOf({ id: 'x', row: row({ state: 'verified', verified: true, alreadyHad: true }), sha256: undefined }, undefined)
    expect(o).toMatchObject({ status: 'verified', alreadyHad: true })
    expect(outcomeText(o)).toBe('✓ verified (already had it)')
  })

  it('a changed source fails whoever had not finished', () => {
    const o = outcomeOf({ id: 'x', row: row({ state: 'downloading' }), sha256: undefined }, 'the source changed')
    expect(o).toMatchObject({ status: 'failed', reason: 'the source changed' })
  })
})
