// One identity on two machines, the pure parts: which addresses answer for an id and for how long
// (discovery/id-addresses.ts), the sentences (identity/identity-clash.ts), and the machine list
// that carries both addresses and a shared name (app/machines-view.ts).
import { describe, expect, it } from 'vitest'
import { machinesView } from '../../../main/core/app/machines-view.js'
import { IdAddresses, idFromRawTxt } from '../../../main/core/discovery/id-addresses.js'
import { addressList, ownIdClashMessage, twinMessage } from '../../../main/core/identity/identity-clash.js'

const ID = '7e4f6ec20a3569012b7f46314c202a3e'
const OTHER = '301009238c504e1fcecc0971b401b734'
const peer = (id: string, name: string, address: string) => ({ id, name, platform: 'linux', version: '1', controlPort: 47620, btPort: 47621, address, lastSeen: 0 })

describe('the addresses answering for an id', () => {
  it('are live while heard, sorted, and two of them make the id shared', () => {
    const a = new IdAddresses(16_000)
    a.heardAt(ID, '10.0.0.11', 1_000)
    a.heardAt(ID, '10.0.0.10', 2_000)
    a.heardAt(OTHER, '10.0.0.12', 2_000)
    expect(a.live(ID, 3_000)).toEqual(['10.0.0.10', '10.0.0.11'])
    expect(a.shared(3_000)).toEqual([ID])
    // 10.0.0.11 not heard again: after the live window only 10.0.0.10 answers.
    a.heardAt(ID, '10.0.0.10', 12_000)
    expect(a.isLive(ID, '10.0.0.11', 17_001)).toBe(false)
    expect(a.live(ID, 17_001)).toEqual(['10.0.0.10'])
    expect(a.shared(17_001)).toEqual([])
  })

  it('a goodbye ends an address at once; a stretch heard again after a gap starts again', () => {
    const a = new IdAddresses(16_000)
    a.heardAt(ID, '10.0.0.10', 0)
    a.heardAt(ID, '10.0.0.11', 0)
    a.goodbye(ID, '10.0.0.11')
    expect(a.live(ID, 1)).toEqual(['10.0.0.10'])
    a.heardAt(ID, '10.0.0.10', 10_000)
    expect(a.since(ID, '10.0.0.10', 10_000)).toBe(0)
    a.heardAt(ID, '10.0.0.10', 40_000)
    expect(a.since(ID, '10.0.0.10', 40_000)).toBe(40_000)
    a.prune(80_000)
    expect(a.live(ID, 80_000)).toEqual([])
  })

  it('the id is read from a TXT record as multicast-dns decodes it', () => {
    expect(idFromRawTxt([Buffer.from('v=1'), Buffer.from(`id=${ID}`), Buffer.from('name=lab-a')])).toBe(ID)
    expect(idFromRawTxt([Buffer.from('v=1')])).toBeUndefined()
    expect(idFromRawTxt(undefined)).toBeUndefined()
  })
})

describe('what is said', () => {
  it('names the other address and the way out, on the device itself and on the others', () => {
    expect(addressList(['a'])).toBe('a')
    expect(addressList(['a', 'b', 'c'])).toBe('a, b and c')
    expect(ownIdClashMessage(['10.0.0.11'], '7e4f·6ec2', '/var/lib/swarmdrop/identity.json')).toBe(
      'Another machine, at 10.0.0.11, answers for this device\'s id 7e4f·6ec2: they hold the same device key (a cloned disk image or a copied data folder), so other machines cannot tell them apart and refuse to send to it; stop Swarmdrop on one of them, or move its /var/lib/swarmdrop/identity.json aside so it makes a new identity at its next start.')
    expect(twinMessage('lab-a', '7e4f·6ec2', ['10.0.0.10', '10.0.0.11'])).toContain('lab-a (7e4f·6ec2) answers from 10.0.0.10 and 10.0.0.11, each holding its device key')
  })
})

describe('the machine list', () => {
  it('carries every address of a twin and why, and marks names shared on the network or with this device', () => {
    const twins = new Map([[ID, { addresses: ['10.0.0.10', '10.0.0.11'], message: 'why' }]])
    const list = machinesView([peer(ID, 'lab-a', '10.0.0.10'), peer(OTHER, 'Lab-C', '10.0.0.12'), peer('c'.repeat(32), 'lab-d', '10.0.0.13')], [peer('d'.repeat(32), 'lab-d', '10.0.0.14')], [], [], { twins, selfName: 'lab-c' })
    const byId = new Map(list.map(m => [m.id, m]))
    expect(byId.get(ID)).toMatchObject({ address: '10.0.0.10', twinAddresses: ['10.0.0.10', '10.0.0.11'], twinProblem: 'why' })
    expect(byId.get(ID)?.sharedName).toBeUndefined()
    // Case-insensitive, as send --to matches names.
    expect(byId.get(OTHER)?.sharedName).toBe(true)
    // A machine that is away shares no name now.
    expect(byId.get('c'.repeat(32))?.sharedName).toBeUndefined()
    expect(byId.get('d'.repeat(32))?.sharedName).toBeUndefined()
    expect(list.filter(m => m.twinAddresses !== undefined)).toHaveLength(1)
  })
})
