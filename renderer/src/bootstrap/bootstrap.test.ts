// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest'
import { appState } from '../test/fixtures.js'
import { RecordingApi } from '../test/recording-api.js'
import { findApi } from './find-api.js'
import { loadTheme, saveTheme } from './theme-preference.js'

afterEach(() => {
  Reflect.deleteProperty(window, 'swarmdrop')
  window.localStorage.clear()
})

describe('bootstrap', () => {
  it('uses the API the desktop preload exposes on window.swarmdrop', async () => {
    const api = new RecordingApi(appState())
    Object.defineProperty(window, 'swarmdrop', { value: api, configurable: true })
    const found = await findApi(window)
    expect(found.ok && found.value).toBe(api)
  })

  it('remembers the theme choice, and forgets it to follow the OS again', () => {
    expect(loadTheme(window.localStorage)).toBeNull()
    saveTheme(window.localStorage, 'dark')
    expect(loadTheme(window.localStorage)).toBe('dark')
    saveTheme(window.localStorage, null)
    expect(loadTheme(window.localStorage)).toBeNull()
    window.localStorage.setItem('swarmdrop.theme', 'purple')
    expect(loadTheme(window.localStorage)).toBeNull()
  })
})
