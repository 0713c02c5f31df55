// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest'
import { createUiStore } from '../store/app-store.js'
import { appState } from '../test/fixtures.js'
import { RecordingApi } from '../test/recording-api.js'
import { followHash, parseHash } from './follow-hash.js'

const HASH = 'ab'.repeat(20)

afterEach(() => { window.location.hash = '' })

describe('following the URL hash the desktop shell sets', () => {
  it('reads the two targets and ignores anything else', () => {
    expect(parseHash('#/incoming')).toEqual({ view: 'incoming' })
    expect(parseHash(`#/distribution/${HASH}`)).toEqual({ view: 'distribution', infoHash: HASH })
    expect(parseHash('#/distribution/xyz')).toBeNull()
    expect(parseHash('#/settings/../incoming')).toBeNull()
    expect(parseHash('')).toBeNull()
  })

  it('shows Incoming when a notification asks for it, then a distribution', async () => {
    const store = createUiStore(new RecordingApi(appState()))
    expect(store.getState().view).toBe('distribution')
    const stop = followHash(window, store)
    window.location.hash = '#/incoming'
    await new Promise(resolve => setTimeout(resolve, 20))
    expect(store.getState().view).toBe('incoming')
    window.location.hash = `#/distribution/${HASH}`
    await new Promise(resolve => setTimeout(resolve, 20))
    expect(store.getState()).toMatchObject({ view: 'distribution', selected: HASH })
    stop()
    window.location.hash = '#/incoming'
    await new Promise(resolve => setTimeout(resolve, 20))
    expect(store.getState().view).toBe('distribution')
  })

  it('applies the hash present at start', () => {
    window.location.hash = '#/incoming'
    const store = createUiStore(new RecordingApi(appState()))
    const stop = followHash(window, store)
    expect(store.getState().view).toBe('incoming')
    stop()
  })
})
