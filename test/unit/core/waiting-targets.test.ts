// Machines away when a file was sent: which rows a new send keeps, the row of one that waits, and
// when one is offered the file again (once at a time, not more often than the retry period unless
// it just came back).
import { describe, expect, it } from 'vitest'
import type { RecipientStatus } from '../../../main/core/distributions/records.js'
import { keepsItsRow, RetryGate, waitingRow } from '../../../main/core/distributions/waiting.js'

const IH = 'e'.repeat(40)
const ID = 'a'.repeat(32)
const row = (state: RecipientStatus['state']): RecipientStatus => ({ ...waitingRow({ id: ID, name: 'lab-02' }, new Date(0)), state })

describe('waiting targets', () => {
  it('a waiting row holds nothing yet and says since when it waits', () => {
    const r = waitingRow({ id: ID, name: 'lab-02' }, new Date('2026-12-04T10:00:00.000Z'))
    expect(r).toMatchObject({ id: ID, name: 'lab-02', state: 'waiting', verifiedBytes: 0, waitingSince: '2026-12-04T10:00:00.000Z', address: '' })
    expect(r.reason).toBeUndefined()
  })

  it('a machine that has the file, or resumes by itself, keeps its row; others start waiting', () => {
    expect(keepsItsRow(row('verified'))).toBe(true)
    expect(keepsItsRow(row('lost'))).toBe(true)
    expect(keepsItsRow(row('waiting'))).toBe(true)
    for (const s of ['declined', 'failed', 'unreachable', 'timeout', 'offering'] as const) expect(keepsItsRow(row(s))).toBe(false)
    expect(keepsItsRow(undefined)).toBe(false)
  })

  it('offers to one machine once at a time, and again only after the retry period or when it reappears', () => {
    const gate = new RetryGate(10_000)
    expect(gate.take(IH, ID, false, 0)).toBe(true)
    expect(gate.take(IH, ID, true, 1)).toBe(false)
    gate.release(IH, ID)
    expect(gate.take(IH, ID, false, 5_000)).toBe(false)
    expect(gate.take(IH, ID, true, 5_000)).toBe(true)
    gate.release(IH, ID)
    expect(gate.take(IH, ID, false, 14_000)).toBe(false)
    expect(gate.take(IH, ID, false, 15_001)).toBe(true)
    gate.release(IH, ID)
    gate.keepOnly(new Set())
    expect(gate.take(IH, ID, false, 15_002)).toBe(true)
  })
})
