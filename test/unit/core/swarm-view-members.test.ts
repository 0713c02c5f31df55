// The sender's swarm view names where each member takes part (issue 14: a machine away when a file
// was sent joins later, and the members offered earlier admit it from this address). The address
// comes with its port or not at all, and is checked like an offer's member addresses. A verified
// member whose device went away carries offlineSince.
import { describe, expect, it } from 'vitest'
import { PROTOCOL } from '../../../main/core/protocol/messages.js'
import { parseSwarmView } from '../../../main/core/protocol/swarm-view.js'

const ID = '0123456789abcdef0123456789abcdef'
const member = (extra: Record<string, unknown>): Record<string, unknown> => ({ id: ID, name: 'lab-02', state: 'accepted', verifiedPieces: 0, verifiedBytes: 0, downloadSpeed: 0, hashFailures: 0, seq: 0, ...extra })
const view = (m: Record<string, unknown>): unknown => ({ protocol: PROTOCOL, infoHash: 'a'.repeat(40), members: [m] })

describe('member addresses in the swarm view', () => {
  it('takes an IPv4 address with its BitTorrent port, and a member without either', () => {
    const r = parseSwarmView(view(member({ address: '10.0.0.12', btPort: 47621 })))
    expect(r.ok && r.value.members[0]).toMatchObject({ address: '10.0.0.12', btPort: 47621 })
    const none = parseSwarmView(view(member({})))
    expect(none.ok && 'address' in (none.value.members[0] ?? {})).toBe(false)
  })

  it('refuses an address without a port, a bad port, or what is not an IPv4 address', () => {
    for (const extra of [{ address: '10.0.0.12' }, { address: '10.0.0.12', btPort: 0 }, { address: '010.0.0.12', btPort: 1 }, { address: 'lab-02.local', btPort: 1 }, { address: 12, btPort: 1 }]) {
      const r = parseSwarmView(view(member(extra)))
      expect(r.ok).toBe(false)
    }
  })
})

describe('a verified member marked offline in the swarm view', () => {
  it('carries offlineSince as an ISO time and refuses anything else', () => {
    const r = parseSwarmView(view(member({ state: 'verified', offlineSince: '2026-12-04T12:00:00Z' })))
    expect(r.ok && r.value.members[0]).toMatchObject({ state: 'verified', offlineSince: '2026-12-04T12:00:00Z' })
    const none = parseSwarmView(view(member({ state: 'verified' })))
    expect(none.ok && 'offlineSince' in (none.value.members[0] ?? {})).toBe(false)
    for (const offlineSince of ['yesterday', 12, '2026-12-04 12:00']) expect(parseSwarmView(view(member({ state: 'verified', offlineSince }))).ok).toBe(false)
  })
})
