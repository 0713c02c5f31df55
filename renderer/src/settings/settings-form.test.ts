import { describe, expect, it } from 'vitest'
import { appState, offer } from '../test/fixtures.js'
import { fieldOfError, formFromSettings, savedStatus, settingsPatch } from './settings-form.js'

const settings = appState().settings

describe('settings form', () => {
  it('shows limits in MB/s and an unchanged form makes an empty patch', () => {
    const form = formFromSettings(settings)
    expect(form.uploadLimit).toBe('0')
    expect(form.downloadLimit).toBe('25')
    expect(settingsPatch(settings, form)).toEqual({ patch: {}, errors: {} })
  })

  it('sends only the changed fields, limits in bytes per second', () => {
    const form = { ...formFromSettings(settings), name: '  lab-07b ', uploadLimit: '12.5', startHidden: true }
    expect(settingsPatch(settings, form)).toEqual({ patch: { name: 'lab-07b', uploadLimit: 12_500_000, startHidden: true }, errors: {} })
  })

  it('refuses an empty name, an empty folder and a limit that is not a number', () => {
    const form = { ...formFromSettings(settings), name: ' ', downloadsDir: '', downloadLimit: 'fast' }
    const { patch, errors } = settingsPatch(settings, form)
    expect(Object.keys(errors).sort()).toEqual(['downloadLimit', 'downloadsDir', 'name'])
    expect(patch).toEqual({})
  })

  it('finds the field an engine error is about', () => {
    expect(fieldOfError('downloadsDir must be an absolute path.')).toBe('downloadsDir')
    expect(fieldOfError('uploadLimit must be at most 10 GB/s.')).toBe('uploadLimit')
    expect(fieldOfError('downloadLimit must be a whole number.')).toBe('downloadLimit')
    expect(fieldOfError('name is too long.')).toBe('name')
    expect(fieldOfError('Could not write settings.json.')).toBeNull()
  })

  it('takes a name of 64 characters, as every other machine does, and refuses 65 saying how many', () => {
    const at64 = settingsPatch(settings, { ...formFromSettings(settings), name: 'x'.repeat(64) })
    expect(at64).toEqual({ patch: { name: 'x'.repeat(64) }, errors: {} })
    expect(settingsPatch(settings, { ...formFromSettings(settings), name: 'x'.repeat(65) }).errors.name)
      .toBe('Keep the name to 64 characters or fewer (this one has 65).')
  })

  it('names the invisible characters a name may not hold instead of sending it', () => {
    const { patch, errors } = settingsPatch(settings, { ...formFromSettings(settings), name: 'evil\u202eexe.fdp\u0007' })
    expect(patch).toEqual({})
    expect(errors.name).toBe('Remove the control or text-direction characters (U+202E, U+0007): other machines refuse a name with them.')
  })

  it('says why a limit is refused: negative, beyond the engine, or so small it would read back as no limit', () => {
    const errorFor = (text: string): string | undefined => settingsPatch(settings, { ...formFromSettings(settings), uploadLimit: text }).errors.uploadLimit
    expect(errorFor('-1')).toBe('A limit cannot be negative: enter MB/s, or 0 for no limit.')
    expect(errorFor('99999999999')).toBe('Enter at most 1,000,000 MB/s, or 0 for no limit.')
    expect(errorFor('0.0000001')).toBe('Enter at least 0.01 MB/s, or 0 for no limit.')
    expect(errorFor('1e9')).toBe('Enter a number of MB/s, or 0 for no limit.')
    expect(errorFor('1000000')).toBeUndefined()
    expect(errorFor('0.01')).toBeUndefined()
  })

  it('puts an engine check on its field by its code, whatever words a quoted name holds', () => {
    expect(fieldOfError('another machine on this network is already called upload-box', 'name-taken')).toBe('name')
    expect(fieldOfError('Cannot save here: /mnt/upload is on a read-only file system. Choose another folder', 'not-writable')).toBe('downloadsDir')
  })

  it('says an offer already waiting still needs an answer after the policy would now take it', () => {
    const all = { ...settings, accept: 'all' as const }
    const trusted = { ...settings, accept: 'trusted' as const }
    expect(savedStatus(settings, all, [offer({ name: 'wait.bin' })])).toBe('Saved. The offer of wait.bin already waiting in Incoming still needs your answer: the new policy applies to offers that arrive from now on.')
    expect(savedStatus(settings, all, [offer(), offer({ offerId: 'of-2' })])).toBe('Saved. The 2 offers already waiting in Incoming still need your answer: the new policy applies to offers that arrive from now on.')
    // Trusted takes only a trusted sender's offers: an untrusted one waiting is what that policy means.
    expect(savedStatus(settings, trusted, [offer()])).toBe('Saved.')
    expect(savedStatus(settings, all, [])).toBe('Saved.')
    expect(savedStatus(all, settings, [offer()])).toBe('Saved.')
  })
})
