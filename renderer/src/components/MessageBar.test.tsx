// @vitest-environment jsdom
// What another machine did to this device's list reaches the person: a sender's withdrawal is a
// notice in the window until dismissed there (the engine keeps it for every other window).
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { createUiStore } from '../store/app-store.js'
import { StoreContext } from '../store/context.js'
import { appState } from '../test/fixtures.js'
import { RecordingApi } from '../test/recording-api.js'
import { MessageBar } from './MessageBar.js'

afterEach(cleanup)

const WITHDRAWN = { id: 'n1', at: '2026-12-07T16:00:00.000Z', text: 'lab-01 withdrew ubuntu.iso before it finished here; the 1.2 GB received were deleted' }

describe('the engine\'s notices', () => {
  it('shows a sender\'s withdrawal until it is dismissed, and a later one after it', () => {
    // Its first word is a machine's name, kept as that machine spells it.
    const state = appState({ distributions: [], notices: [{ ...WITHDRAWN, text: WITHDRAWN.text.replace('lab-01', 'studio') }] })
    const store = createUiStore(new RecordingApi(state))
    store.getState().receive(state)
    const wrapper = ({ children }: { readonly children: ReactNode }) => <StoreContext.Provider value={store}>{children}</StoreContext.Provider>
    render(<MessageBar />, { wrapper })
    expect(screen.getByTestId('device-notice').textContent).toMatch(/^studio withdrew ubuntu\.iso before it finished here; the 1\.2 GB received were deleted\. \(/)
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }))
    expect(screen.queryByTestId('device-notice')).toBeNull()
    act(() => store.getState().receive(appState({ distributions: [], notices: [WITHDRAWN, { ...WITHDRAWN, id: 'n2', text: 'lab-01 withdrew its offer of notes.pdf' }] })))
    expect(screen.getAllByTestId('device-notice').map(n => n.textContent?.split(' (')[0])).toEqual(['lab-01 withdrew its offer of notes.pdf.'])
  })
})
