// The watch on this machine's own addresses (local-addresses.ts): which went and which came, told
// once per change, and loopback and link-local addresses left out of the listing.
import { describe, expect, it } from 'vitest'
import { currentAddresses, LocalAddresses } from '../../../main/core/node/local-addresses.js'

describe('this machine\'s addresses, watched', () => {
  it('tells which addresses went and which came, once per change', () => {
    let now = new Set(['10.0.0.5', '192.168.1.20'])
    const watch = new LocalAddresses(() => new Set(now), 60_000)
    const told: Array<{ gone: string[]; added: string[] }> = []
    watch.on('changed', e => told.push({ gone: [...e.gone], added: [...e.added] }))
    watch.check()
    expect(told).toEqual([])
    now = new Set(['10.0.0.77', '192.168.1.20'])
    watch.check()
    watch.check()
    now = new Set(['10.0.0.77'])
    watch.check()
    watch.stop()
    expect(told).toEqual([{ gone: ['10.0.0.5'], added: ['10.0.0.77'] }, { gone: ['192.168.1.20'], added: [] }])
  })

  it('lists neither loopback nor link-local addresses', () => {
    const entry = (address: string, internal: boolean, family: 'IPv4' | 'IPv6') => ({ address, internal, family, netmask: '', mac: '00:00:00:00:00:00', cidr: null, ...(family === 'IPv6' ? { scopeid: 0 } : {}) })
    const list = {
      lo: [entry('127.0.0.1', true, 'IPv4'), entry('::1', true, 'IPv6')],
      eth0: [entry('10.0.0.5', false, 'IPv4'), entry('fe80::1', false, 'IPv6'), entry('2001:db8::5', false, 'IPv6')]
    }
    expect([...currentAddresses(list as unknown as Parameters<typeof currentAddresses>[0])]).toEqual(['10.0.0.5', '2001:db8::5'])
  })
})
