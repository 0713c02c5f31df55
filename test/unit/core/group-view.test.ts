// A group as AppState shows it: members by id, each named as this device last heard it (on the
// network now, lost in this run, met before, trusted), online only when discovery sees it now.
import { describe, expect, it } from 'vitest'
import { groupView } from '../../../main/core/app/groups.js'
import type { Peer } from '../../../main/core/discovery/peer-info.js'

const id = (c: string): string => c.repeat(32)
const peer = (i: string, name: string): Peer => ({ id: i, name, platform: 'linux', version: '0.1.0', controlPort: 47620, btPort: 47621, address: '10.0.0.2', lastSeen: 0 })

describe('groupView', () => {
  it('names each member from the freshest source and marks only those seen now as online', () => {
    const g = { name: 'lab', members: [id('a'), id('b'), id('c'), id('d'), id('e')], createdAt: '2026-12-04T10:00:00.000Z' }
    const v = groupView(g, {
      online: [peer(id('a'), 'lab-01')],
      gone: [peer(id('b'), 'lab-02')],
      known: x => x === id('c') ? { id: x, publicKey: '', name: 'lab-03', firstSeen: '', lastSeen: '' } : undefined,
      trusted: [{ id: id('d'), name: 'lab-04', addedAt: '' }]
    })
    expect(v.name).toBe('lab')
    expect(v.createdAt).toBe(g.createdAt)
    expect(v.members.map(m => [m.name, m.online])).toEqual([['lab-01', true], ['lab-02', false], ['lab-03', false], ['lab-04', false], ['', false]])
    expect(v.members[4]?.fingerprint).toBe('eeee·eeee')
  })
})
