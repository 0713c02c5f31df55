// @vitest-environment jsdom
import { cleanup, fireEvent, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { appState, emptyState, originDistribution } from '../test/fixtures.js'
import { RecordingApi } from '../test/recording-api.js'
import { renderWithStore } from '../test/render.js'
import { settle } from '../test/settle.js'
import { createUiStore } from '../store/app-store.js'
import { StoreContext } from '../store/context.js'
import { render } from '@testing-library/react'
import { App } from './App.js'
import { MemberTable } from './MemberTable.js'

afterEach(cleanup)

describe('empty, loading and lost states', () => {
  it('says so when nothing is shared, no machine is known and no offer waits', () => {
    renderWithStore(<App />, emptyState())
    // Said once, in the empty state itself, with the first step right there.
    expect(screen.getAllByText(/Nothing shared yet/)).toHaveLength(1)
    fireEvent.click(screen.getByTestId('nav-machines'))
    expect(screen.getByText('No machines found yet.')).toBeTruthy()
    expect(screen.getByText(/Machines appear when they run Swarmdrop on this network/)).toBeTruthy()
    fireEvent.click(screen.getByTestId('nav-incoming'))
    expect(screen.getByText('No files waiting.')).toBeTruthy()
  })

  it('offers "Choose a file…" in the empty state, which sends the chosen file', async () => {
    const { api } = renderWithStore(<App />, emptyState())
    const empty = screen.getByText('Nothing shared yet.').closest('.empty') as HTMLElement
    const button = within(empty).getByRole('button', { name: 'Choose a file…' })
    expect(empty.textContent).toContain('drop one anywhere on this window')
    const input = screen.getByTestId('empty-pick-file-input') as HTMLInputElement
    let opened = false
    input.addEventListener('click', () => { opened = true })
    fireEvent.click(button)
    expect(opened).toBe(true)
    const file = new File(['abc'], 'notes.txt')
    fireEvent.change(input, { target: { files: [file] } })
    await settle()
    expect(api.callsOf('createFromFiles')).toEqual([[[file]]])
    // The sidebar's button says what it does.
    expect(screen.getByTestId('pick-file').textContent).toBe('Choose a file to send…')
  })

  it('says when a distribution has not been sent to anyone yet', () => {
    renderWithStore(<MemberTable dist={originDistribution({ members: [] })} />, appState())
    expect(screen.getByText('Not sent to any machine yet.')).toBeTruthy()
  })

  it('shows a connecting message before the first state', () => {
    const store = createUiStore(new RecordingApi(appState()))
    render(<StoreContext.Provider value={store}><App /></StoreContext.Provider>)
    expect(screen.getByText('Connecting to Swarmdrop…')).toBeTruthy()
  })

  it('shows a banner when the connection is lost, keeping the last state', () => {
    const { store } = renderWithStore(<App />, appState())
    store.setState({ connection: { status: 'lost', message: 'The agent stopped answering.', since: new Date(Date.now() - 12_000).toISOString() } })
    return Promise.resolve().then(() => {
      const banner = screen.getByTestId('connection-lost')
      expect(banner.textContent).toContain('Lost the connection to Swarmdrop.')
      expect(banner.textContent).toContain('The agent stopped answering.')
      expect(banner.textContent).toContain('Below is what it said 0:12 ago, without rates or times, until it answers again.')
      expect(screen.getByTestId('dist-ubuntu-24.04-server.iso')).toBeTruthy()
    })
  })

  // Seen in the screenshot of a killed agent's own window (session 27): under the banner it still
  // read "↓ 4.3 MB/s", "receiving 4.3 MB/s 0:21" and "0:21 until the slowest is done", as if live.
  it('shows no rate or time from the last state while the connection is lost', () => {
    const { store } = renderWithStore(<App />, appState())
    const live = (): string[] => ['rate-down', 'rate-up', 'member-rate-lab-02', 'member-eta-lab-02', 'totals-eta', 'totals-rate', 'totals-peers'].map(id => screen.getByTestId(id).textContent ?? '')
    const before = live()
    expect(before.filter(t => t.includes('—'))).toEqual([])
    store.setState({ connection: { status: 'lost', message: 'The agent stopped answering.', since: new Date().toISOString() } })
    return Promise.resolve().then(() => {
      expect(live().map(t => t.replace(/^[↑↓]\s*(Upload |Download )?/, ''))).toEqual(['—', '—', '—', '—', '—', '—', '—'])
      // The progress it had stays, as the last known state.
      expect(screen.getByTestId('member-lab-02').querySelector('progress')).not.toBeNull()
    })
  })
})
