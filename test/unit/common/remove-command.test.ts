// The remove command at the contract's gate: an infohash and an optional deleteFiles, nothing else.
import { describe, expect, it } from 'vitest'
import { parseCommand } from '../../../common/commands.js'

const IH = 'a'.repeat(40)

describe('remove command', () => {
  it('takes an infohash and an optional deleteFiles flag', () => {
    expect(parseCommand({ type: 'remove', infoHash: IH })).toEqual({ ok: true, value: { type: 'remove', infoHash: IH } })
    expect(parseCommand({ type: 'remove', infoHash: IH, deleteFiles: true })).toEqual({ ok: true, value: { type: 'remove', infoHash: IH, deleteFiles: true } })
    expect(parseCommand({ type: 'remove', infoHash: IH, deleteFiles: false })).toEqual({ ok: true, value: { type: 'remove', infoHash: IH, deleteFiles: false } })
  })

  it('refuses a missing or malformed infohash, a deleteFiles that is not a boolean, and extra fields', () => {
    const refused = (raw: unknown): string => { const r = parseCommand(raw); return r.ok ? 'accepted' : `${r.error.code}: ${r.error.message}` }
    expect(refused({ type: 'remove' })).toMatch(/^bad-request: infoHash/)
    expect(refused({ type: 'remove', infoHash: 'A'.repeat(40) })).toMatch(/^bad-request: infoHash/)
    expect(refused({ type: 'remove', infoHash: IH.slice(0, 39) })).toMatch(/^bad-request: infoHash/)
    expect(refused({ type: 'remove', infoHash: 'ubuntu.iso' })).toMatch(/^bad-request: infoHash/)
    expect(refused({ type: 'remove', infoHash: IH, deleteFiles: 'yes' })).toMatch(/^bad-request: deleteFiles/)
    expect(refused({ type: 'remove', infoHash: IH, deleteFiles: 1 })).toMatch(/^bad-request: deleteFiles/)
    expect(refused({ type: 'remove', infoHash: IH, force: true })).toMatch(/no field "force"/)
  })
})
