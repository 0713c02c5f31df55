// @vitest-environment jsdom
// Issue 13: the desktop app's engine runs in its own process; while it restarts or after the shell
// gave up on it, the window says so above the last known state.
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { appState, originDistribution } from '../test/fixtures.js'
import { renderWithStore } from '../test/render.js'
import { App } from './App.js'
import { EngineBanner } from './EngineBanner.js'

afterEach(cleanup)

const RESTARTING = 'The engine stopped unexpectedly (ended by SIGKILL); restarting it, and transfers resume once it is back.'
const GAVE_UP = 'The engine stopped 5 times in a row soon after starting (last: exit code 1), so Swarmdrop stopped restarting it: try again once that is mended, or quit and open Swarmdrop again.'

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
    expect(banner.textContent).toBe(`The engine is not running. ${GAVE_UP}Try again`)
  })

  it('offers "Try again" once the engine is given up on: it asks the shell to start it again, and the banner follows the state', async () => {
    const d = originDistribution()
    const { api, store } = renderWithStore(<App />, appState({ distributions: [d], engine: { status: 'restarting', message: RESTARTING } }))
    // Not while the shell restarts it by itself.
    expect(screen.queryByTestId('engine-retry')).toBeNull()
    act(() => store.getState().receive(appState({ distributions: [d], engine: { status: 'failed', message: GAVE_UP } })))
    fireEvent.click(screen.getByTestId('engine-retry'))
    await waitFor(() => expect(api.callsOf('restartEngine')).toEqual([[]]))
    // The shell answers with the state: restarting, then running.
    act(() => api.push(appState({ distributions: [d], engine: { status: 'restarting', message: 'Starting the engine again, as asked.' } })))
    expect(screen.getByTestId('engine-status').textContent).toBe('The engine is restarting. Starting the engine again, as asked. Showing the last known state until it is back.')
    expect(screen.queryByTestId('engine-retry')).toBeNull()
    act(() => api.push(appState({ distributions: [d], engine: { status: 'running', message: 'The engine runs.' } })))
    expect(screen.queryByTestId('engine-status')).toBeNull()
  })

  it('shows why the shell refused to start it again, in the banner', async () => {
    const { api } = renderWithStore(<EngineBanner />, appState({ engine: { status: 'failed', message: GAVE_UP } }))
    api.reply('restartEngine', { ok: false, error: { code: 'closed', message: 'the app is shutting down' } })
    fireEvent.click(screen.getByTestId('engine-retry'))
    await waitFor(() => expect(screen.getByTestId('engine-retry-error').textContent).toBe('The app is shutting down.'))
    expect((screen.getByTestId('engine-retry') as HTMLButtonElement).disabled).toBe(false)
  })
})
