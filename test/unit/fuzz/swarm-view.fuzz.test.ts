// Property-based fuzzing of the swarm view a sender answers to reports (swarm-view.ts): whatever
// arrives, the parser returns a typed view or a 400 reason, never throws, and what it takes holds
// only known states, device ids and display-safe names and reasons.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isDisplayText } from '../../../common/network-text.js'
import { parseSwarmView, RELAYED_STATES } from '../../../main/core/protocol/swarm-view.js'

const id = fc.oneof(fc.stringMatching(/^[0-9a-f]{32}$/), fc.string({ maxLength: 40 }))
const nameish = fc.oneof(fc.string({ maxLength: 70 }), fc.constantFrom('lab-01', '\u001b[2K\r✓ verified', 'a\u202eb', '', 'x'.repeat(65)))
const member = fc.record({
  id,
  name: nameish,
  state: fc.oneof(fc.constantFrom(...RELAYED_STATES), fc.string({ maxLength: 12 })),
  verifiedPieces: fc.oneof(fc.nat(), fc.integer(), fc.double()),
  verifiedBytes: fc.oneof(fc.maxSafeNat(), fc.integer({ min: -5, max: 5 })),
  downloadSpeed: fc.oneof(fc.double({ min: 0, max: 1e12, noNaN: true }), fc.double()),
  hashFailures: fc.nat(),
  seq: fc.oneof(fc.maxSafeNat(), fc.constant(-1)),
  lostSince: fc.option(fc.oneof(fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) }).map(d => d.toISOString()), fc.string({ maxLength: 40 })), { nil: undefined }),
  alreadyHad: fc.option(fc.oneof(fc.boolean(), fc.string()), { nil: undefined }),
  reason: fc.option(nameish, { nil: undefined })
}, { requiredKeys: [] })
// Mostly well-formed members, so the accepting path is exercised as much as the refusing one.
const goodMember = fc.record({
  id: fc.stringMatching(/^[0-9a-f]{32}$/),
  name: fc.oneof(fc.constantFrom('lab-01', 'm02', 'ünïcode ☃'), nameish),
  state: fc.constantFrom(...RELAYED_STATES),
  verifiedPieces: fc.nat(),
  verifiedBytes: fc.maxSafeNat(),
  downloadSpeed: fc.double({ min: 0, max: 1e12, noNaN: true }),
  hashFailures: fc.nat(),
  seq: fc.maxSafeNat(),
  lostSince: fc.option(fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) }).map(d => d.toISOString()), { nil: undefined }),
  reason: fc.option(fc.constantFrom('declined by the recipient', 'a\u0007b'), { nil: undefined })
}, { requiredKeys: ['id', 'name', 'state', 'verifiedPieces', 'verifiedBytes', 'downloadSpeed', 'hashFailures', 'seq'] })
const view = fc.record({
  protocol: fc.oneof(fc.constant(3), fc.integer({ min: -1, max: 9 })),
  infoHash: fc.oneof(fc.stringMatching(/^[0-9a-f]{40}$/), fc.string({ maxLength: 41 })),
  members: fc.oneof(fc.array(goodMember, { maxLength: 4 }), fc.array(fc.oneof(goodMember, member), { maxLength: 6 }), fc.anything())
}, { requiredKeys: ['members'] })

describe('parseSwarmView fuzz', () => {
  it('never throws; takes only well-formed views with safe text', () => {
    let accepted = 0
    fc.assert(fc.property(fc.oneof(view, fc.anything()), body => {
      const r = parseSwarmView(body)
      if (!r.ok) return r.error.code === 'bad-request' && r.error.message.startsWith('swarm')
      accepted++
      return /^[0-9a-f]{40}$/.test(r.value.infoHash) && r.value.members.every(m =>
        /^[0-9a-f]{32}$/.test(m.id) && isDisplayText(m.name, 64) && RELAYED_STATES.includes(m.state) &&
        Number.isSafeInteger(m.seq) && m.seq >= 0 && (m.reason === undefined || isDisplayText(m.reason, 500)) &&
        (m.lostSince === undefined || !Number.isNaN(Date.parse(m.lostSince))))
    }), { numRuns: 10_000 })
    expect(accepted).toBeGreaterThan(150)
  })
})
