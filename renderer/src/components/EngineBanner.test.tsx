// @vitest-environment jsdom
// Issue 13: the desktop app's engine runs in its own process; while it restarts or after the shell
// gave up on it, the window says so above the last known state.
import { act, cleanup, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { appState, originDistribution } from '../test/fixtures.js'
import { renderWithStore } from '../test/render.js'
import { App } from './App.js'
import { EngineBanner } from './EngineBanner.js'

afterEach(cleanup)

const RESTARTING = 'The engine stopped unexpectedly (ended by SIGKILL); restarting it, and transfers resume once it is back.'
const GAVE_UP = 'The engine stopped 5 times in a row soon after starting (last: exit code 1), so Swarmdrop stopped restarting it: quit and open Swarmdrop again.'

describe('engine banner', () => {
  it('shows nothing while the engine runs, or where there is no engine process (web UI)', () => {
    renderWithStore(<EngineBanner />, appState({ engine: { status: 'running', message: 'The engine runs.' } }))
    expect(screen.queryByTestId('engine-status')).toBeNull()
    cleanup()
    renderWithStore(<EngineBanner />, appState({ shell: 'web' }))
    expect(screen.queryByTestId('engine-status')).toBeNull()
  })

  it('says the engine restarts, as a warning over the last known state, and goes when it is back', () => {
    const d = originDistribution()
    const { api, store } = renderWithStore(<App />, appState({ distributions: [d] }))
    expect(screen.queryByTestId('engine-status')).toBeNull()
    act(() => store.getState().receive(appState({ distributions: [d], engine: { status: 'restarting', message: RESTARTING } })))
    const banner = screen.getByTestId('engine-status')
    expect(banner.getAttribute('role')).toBe('alert')
    expect(banner.className).toBe('banner banner-warn')
    expect(banner.textContent).toBe(`The engine is restarting. ${RESTARTING} Showing the last known state until it is back.`)
    // The last known state stays below it.
    expect(screen.getAllByText(d.name).length).toBeGreaterThan(0)
    act(() => api.push(appState({ distributions: [d], engine: { status: 'running', message: 'The engine runs.' } })))
    expect(screen.queryByTestId('engine-status')).toBeNull()
  })

  it('says the engine stopped for good, as a danger, with what to do', () => {
    renderWithStore(<EngineBanner />, appState({ engine: { status: 'failed', message: GAVE_UP } }))
    const banner = screen.getByTestId('engine-status')
    expect(banner.className).toBe('banner banner-danger')
    expect(banner.textContent).toBe(`The engine stopped. ${GAVE_UP}`)
  })
})
