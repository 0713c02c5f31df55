// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { INFO_HASH, MACHINES, appState, emptyState, machine, originDistribution } from '../test/fixtures.js'
import { renderWithStore } from '../test/render.js'
import { settle } from '../test/settle.js'
import { App } from './App.js'
import { SendPanel } from './SendPanel.js'

afterEach(cleanup)

const button = () => screen.getByTestId('send-button') as HTMLButtonElement

describe('send panel', () => {
  it('counts ticked machines on the button and offers to exactly those ids', async () => {
    const { api } = renderWithStore(<SendPanel dist={originDistribution()} />, appState())
    expect(button().textContent).toBe('Send to 0 machines')
    expect(button().disabled).toBe(true)

    fireEvent.click(screen.getByTestId('machine-lab-01'))
    expect(button().textContent).toBe('Send to 1 machine')
    fireEvent.click(screen.getByTestId('machine-lab-03'))
    expect(button().textContent).toBe('Send to 2 machines')

    fireEvent.click(button())
    await settle()
    expect(api.callsOf('offer')).toEqual([[INFO_HASH, [machine(1).id, machine(3).id]]])
    await waitFor(() => expect(button().textContent).toBe('Send to 0 machines'))
  })

  it('"All online" ticks every online machine and never an offline one', async () => {
    const { api } = renderWithStore(<SendPanel dist={originDistribution()} />, appState())
    fireEvent.click(screen.getByTestId('select-all-online'))
    expect((screen.getByTestId('machine-lab-09') as HTMLInputElement).checked).toBe(false)
    expect(button().textContent).toBe('Send to 3 machines')
    fireEvent.click(button())
    await settle()
    expect(api.callsOf('offer')).toEqual([[INFO_HASH, [machine(1).id, machine(2).id, machine(3).id]]])
  })

  it('filters machines by the search box', () => {
    renderWithStore(<SendPanel dist={originDistribution()} />, appState())
    fireEvent.change(screen.getByTestId('machine-search'), { target: { value: '10.0.0.2' } })
    expect(screen.queryByTestId('machine-lab-01')).toBeNull()
    expect(screen.getByTestId('machine-lab-02')).toBeTruthy()
    fireEvent.change(screen.getByTestId('machine-search'), { target: { value: 'nothing-like-this' } })
    expect(screen.getByText('No machine matches “nothing-like-this”.')).toBeTruthy()
  })

  it('marks trusted machines with a word, not colour alone', () => {
    renderWithStore(<SendPanel dist={originDistribution()} />, appState())
    const row = screen.getByTestId('machine-lab-02').closest('li')
    expect(row?.textContent).toContain('trusted')
    expect(row?.textContent).toContain('online')
  })
})

describe('the group picker', () => {
  const NEVER_SEEN = 'ee'.repeat(16)
  const lab = {
    name: 'lab',
    createdAt: '2026-11-20T09:00:00.000Z',
    members: [
      { id: machine(1).id, fingerprint: machine(1).fingerprint, name: 'lab-01', online: true },
      { id: machine(9).id, fingerprint: machine(9).fingerprint, name: 'lab-09', online: false },
      { id: NEVER_SEEN, fingerprint: 'eeee·eeee', name: '', online: false }
    ]
  }

  it('ticks every machine of a group, offline ones too, and sends to all of them', async () => {
    const { api } = renderWithStore(<SendPanel dist={originDistribution()} />, appState({ groups: [lab] }))
    const pick = screen.getByTestId('group-pick-lab')
    expect(pick.textContent).toBe('@lab 1/3 online')
    fireEvent.click(screen.getByTestId('machine-lab-03'))
    fireEvent.click(pick)
    // A member this device does not list (never seen in this run) is listed by its fingerprint.
    expect((screen.getByTestId('machine-eeee·eeee') as HTMLInputElement).checked).toBe(true)
    expect((screen.getByTestId('machine-lab-09') as HTMLInputElement).checked).toBe(true)
    expect(button().textContent).toBe('Send to 4 machines')
    expect(screen.getByTestId('send-away-hint').textContent).toBe('2 ticked machines are off the network: they get the file when they come back.')
    expect(screen.getByTestId('machine-lab-09').closest('li')?.textContent).toContain('gets it when back')
    fireEvent.click(button())
    await settle()
    expect(api.callsOf('offer')).toEqual([[INFO_HASH, [machine(3).id, machine(1).id, machine(9).id, NEVER_SEEN]]])
  })

  it('cannot tick an id two machines answer for: not by hand, "All online", a group or an earlier tick; says why', async () => {
    const why = 'lab-02 (02a1·b202) answers from 10.0.0.2 and 10.0.0.12, each holding its device key: two machines share one identity.'
    const twin = machine(2, { twinAddresses: ['10.0.0.12', '10.0.0.2'], twinProblem: why })
    const group = { name: 'lab', createdAt: '2026-11-20T09:00:00.000Z', members: [{ id: twin.id, fingerprint: twin.fingerprint, name: 'lab-02', online: true }, { id: machine(3).id, fingerprint: machine(3).fingerprint, name: 'lab-03', online: true }] }
    const start = appState({ groups: [group] })
    const { api, store } = renderWithStore(<SendPanel dist={originDistribution()} />, start)
    // Ticked while it was one machine; then a second machine answers for its id.
    fireEvent.click(screen.getByTestId('machine-lab-02'))
    expect(button().textContent).toBe('Send to 1 machine')
    act(() => { store.getState().receive({ ...start, machines: [machine(1), twin, machine(3)] }) })
    const box = screen.getByTestId('machine-lab-02') as HTMLInputElement
    expect(box.disabled).toBe(true)
    expect(box.checked).toBe(false)
    expect(button().textContent).toBe('Send to 0 machines')
    expect(screen.getByTestId('send-twin-problem-lab-02').textContent).toBe(why)
    expect(box.getAttribute('aria-describedby')).toBe(screen.getByTestId('send-twin-problem-lab-02').id)
    expect(box.closest('li')?.textContent).toContain('2 machines, one id')
    fireEvent.click(screen.getByTestId('select-all-online'))
    expect(button().textContent).toBe('Send to 2 machines')
    fireEvent.click(screen.getByTestId('group-pick-lab'))
    expect(button().textContent).toBe('Send to 2 machines')
    expect(store.getState().ticked).not.toContain(twin.id)
    fireEvent.click(button())
    await settle()
    expect(api.callsOf('offer')).toEqual([[INFO_HASH, [machine(1).id, machine(3).id]]])
  })

  it('shows no picker without groups', () => {
    renderWithStore(<SendPanel dist={originDistribution()} />, appState())
    expect(screen.queryByText('Tick a group:')).toBeNull()
  })
})

describe('sending from a fresh start', () => {
  it('lets machines be ticked before the file exists, then sends the dropped file to them', async () => {
    const start = emptyState({ machines: MACHINES })
    const { api } = renderWithStore(<App />, start)
    fireEvent.click(screen.getByTestId('machine-lab-02'))
    expect(button().disabled).toBe(true)
    expect(screen.getByText('Choose or drop a file first; it goes to the machines ticked here.')).toBeTruthy()

    const file = new File(['payload'], 'payload.bin')
    fireEvent.drop(screen.getByTestId('drop-zone'), { dataTransfer: { files: [file], types: ['Files'] } })
    await settle()
    const job = { jobId: 'job-1', path: '/tmp/payload.bin', name: 'payload.bin', bytesDone: 3, bytesTotal: 7 }
    act(() => { api.push({ ...start, hashing: [job] }) })
    const made = originDistribution({ name: 'payload.bin', infoHash: 'c'.repeat(40), members: [] })
    act(() => { api.push({ ...start, distributions: [made] }) })

    expect(screen.getByTestId('dist-sha256').textContent).toBe(made.sha256)
    expect(button().textContent).toBe('Send to 1 machine')
    fireEvent.click(button())
    await settle()
    expect(api.callsOf('offer')).toEqual([['c'.repeat(40), [machine(2).id]]])
  })
})
