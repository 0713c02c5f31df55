import { describe, expect, it } from 'vitest'
import { appState } from '../test/fixtures.js'
import { fieldOfError, formFromSettings, settingsPatch } from './settings-form.js'

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
})
