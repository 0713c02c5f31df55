// The watch commands as the contract validates them before the engine sees them.
import { describe, expect, it } from 'vitest'
import { parseCommand } from '../../../common/commands.js'

const ID = 'ab'.repeat(16)

describe('watch-add and watch-remove', () => {
  it('take a folder and a group and/or device ids, and a settle time', () => {
    expect(parseCommand({ type: 'watch-add', path: '/srv/seg', group: 'lab' })).toEqual({ ok: true, value: { type: 'watch-add', path: '/srv/seg', group: 'lab' } })
    expect(parseCommand({ type: 'watch-add', path: '/srv/seg', ids: [ID, ID], settleSeconds: 0.5 }))
      .toEqual({ ok: true, value: { type: 'watch-add', path: '/srv/seg', ids: [ID], settleSeconds: 0.5 } })
    expect(parseCommand({ type: 'watch-remove', channel: '0123456789abcdef' })).toEqual({ ok: true, value: { type: 'watch-remove', channel: '0123456789abcdef' } })
  })

  it('refuse a watch with nowhere to send, a bad group, a bad settle time or an unknown field', () => {
    const refused = (raw: unknown): string => {
      const r = parseCommand(raw)
      return r.ok ? 'accepted' : r.error.code
    }
    expect(refused({ type: 'watch-add', path: '/srv/seg' })).toBe('bad-request')
    expect(refused({ type: 'watch-add', path: '/srv/seg', group: '@lab' })).toBe('bad-request')
    expect(refused({ type: 'watch-add', path: '/srv/seg', group: 'lab', settleSeconds: -1 })).toBe('bad-request')
    expect(refused({ type: 'watch-add', path: '/srv/seg', group: 'lab', settleSeconds: 'soon' })).toBe('bad-request')
    expect(refused({ type: 'watch-add', path: '/srv/seg', group: 'lab', mirror: true })).toBe('bad-request')
    expect(refused({ type: 'watch-add', path: '', group: 'lab' })).toBe('bad-request')
    expect(refused({ type: 'watch-remove' })).toBe('bad-request')
  })
})
