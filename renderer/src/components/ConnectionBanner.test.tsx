// @vitest-environment jsdom
// The lost-connection banner's age ticks every second: inside the alert, a screen reader would read
// the whole banner out again each second.
import { act, cleanup, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { appState } from '../test/fixtures.js'
import { renderWithStore } from '../test/render.js'
import { ConnectionBanner } from './ConnectionBanner.js'

afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

describe('the lost-connection banner', () => {
  it('alerts with what happened once, and keeps the ticking age out of the alert', () => {
    vi.useFakeTimers({ now: Date.parse('2026-12-07T16:00:12.000Z') })
    const { store } = renderWithStore(<ConnectionBanner />, appState())
    act(() => store.setState({ connection: { status: 'lost', message: 'The agent stopped answering.', since: '2026-12-07T16:00:00.000Z' } }))
    const alert = screen.getByRole('alert')
    expect(alert.textContent).toBe('Lost the connection to Swarmdrop. The agent stopped answering.')
    expect(screen.getByTestId('connection-lost').textContent).toContain('Below is what it said 0:12 ago')
    act(() => { vi.advanceTimersByTime(3_000) })
    expect(screen.getByTestId('connection-lost').textContent).toContain('Below is what it said 0:15 ago')
    expect(screen.getByRole('alert').textContent).toBe('Lost the connection to Swarmdrop. The agent stopped answering.')
  })
})
