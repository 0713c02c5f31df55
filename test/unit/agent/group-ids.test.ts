// `swarmdrop group add NAME ID...` takes device ids or prefixes of machines seen, never names.
import { describe, expect, it } from 'vitest'
import { resolveIds } from '../../../main/agent/cli/commands/group.js'

const A = '9f3ac21e' + '0'.repeat(24)
const B = '9f3a0000' + '1'.repeat(24)
const seen = [{ id: A, name: 'lab-01' }, { id: B, name: 'lab-02' }]

describe('group ids from the command line', () => {
  it('takes a full id as it is, and a prefix (or fingerprint) naming one machine seen', () => {
    expect(resolveIds([A.toUpperCase()], [])).toEqual([A])
    expect(resolveIds(['9f3ac21e', '9f3a·0000', A], seen)).toEqual([A, B])
  })

  it('refuses names, unknown prefixes and prefixes naming two machines', () => {
    expect(() => resolveIds(['lab-01'], seen)).toThrow(/not a device id or id prefix/)
    expect(() => resolveIds(['abcd'], seen)).toThrow(/no machine seen here has an id starting abcd/)
    expect(() => resolveIds(['9f3a'], seen)).toThrow(/names lab-01 \(9f3a·c21e\), lab-02 \(9f3a·0000\)/)
  })
})
