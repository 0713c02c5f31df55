import { describe, expect, it } from 'vitest'
import { closeAction, isBusy } from '../../../main/electron/close-policy.js'
import { HASH_A, appState, distribution } from './app-state-fixture.js'

const seeding = appState({ distributions: [distribution({ infoHash: HASH_A, name: 'a.iso', state: 'seeding' })] })
const idle = appState({ distributions: [distribution({ infoHash: HASH_A, name: 'a.iso', state: 'verified', role: 'recipient' })] })

describe('close policy', () => {
  it('hides the window while something is seeding, downloading or hashing', () => {
    expect(closeAction({ platform: 'linux', quitting: false, state: seeding })).toBe('hide')
    expect(closeAction({ platform: 'win32', quitting: false, state: appState({ hashing: [{ jobId: 'j', path: '/x', name: 'x', bytesDone: 0, bytesTotal: 1 }] }) })).toBe('hide')
    const receiving = appState({ distributions: [distribution({ infoHash: HASH_A, name: 'a', role: 'recipient', state: 'downloading' })] })
    expect(closeAction({ platform: 'linux', quitting: false, state: receiving })).toBe('hide')
  })

  it('quits when nothing would stop, or while the engine has not started', () => {
    expect(closeAction({ platform: 'linux', quitting: false, state: idle })).toBe('quit')
    expect(closeAction({ platform: 'win32', quitting: false, state: null })).toBe('quit')
  })

  it('counts paused seeding as idle: nothing would stop', () => {
    expect(isBusy({ ...seeding, seedingPaused: true })).toBe(false)
    expect(isBusy(seeding)).toBe(true)
  })

  it('always closes for real once Quit was chosen', () => {
    expect(closeAction({ platform: 'linux', quitting: true, state: seeding })).toBe('quit')
    expect(closeAction({ platform: 'darwin', quitting: true, state: seeding })).toBe('quit')
  })

  it('follows the macOS convention: closing the window never quits the app', () => {
    expect(closeAction({ platform: 'darwin', quitting: false, state: idle })).toBe('hide')
  })
})
