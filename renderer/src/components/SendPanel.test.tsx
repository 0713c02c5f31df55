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
