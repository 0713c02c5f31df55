// @vitest-environment jsdom
import { cleanup, fireEvent, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { MachineGroup } from '../../../preload/api.js'
import { appState, machine } from '../test/fixtures.js'
import { renderWithStore } from '../test/render.js'
import { settle } from '../test/settle.js'
import { SettingsView } from './SettingsView.js'

afterEach(cleanup)

const lab: MachineGroup = {
  name: 'lab',
  createdAt: '2026-11-20T09:00:00.000Z',
  members: [
    { id: machine(1).id, fingerprint: machine(1).fingerprint, name: 'lab-01', online: true },
    { id: machine(9).id, fingerprint: machine(9).fingerprint, name: 'lab-09', online: false }
  ]
}

describe('settings: groups', () => {
  it('creates a group from known machines, offline ones included, by id', async () => {
    const { api } = renderWithStore(<SettingsView />, appState())
    expect(screen.getByText('No groups yet.')).toBeTruthy()
    fireEvent.click(screen.getByTestId('group-new'))
    fireEvent.change(screen.getByTestId('group-name'), { target: { value: 'farm' } })
    fireEvent.click(screen.getByTestId('group-member-lab-02'))
    fireEvent.click(screen.getByTestId('group-member-lab-09'))
    expect(screen.getByTestId('group-save').textContent).toBe('Save 2 machines')
    fireEvent.click(screen.getByTestId('group-save'))
    await settle()
    expect(api.callsOf('setGroup')).toEqual([['farm', [machine(2).id, machine(9).id]]])
    expect(screen.getByTestId('groups-status').textContent).toBe('Saved @farm.')
    expect(screen.queryByTestId('group-editor')).toBeNull()
  })

  it('says what is wrong before sending: no name, a name taken, no machine; and shows what the engine refuses', async () => {
    const { api } = renderWithStore(<SettingsView />, appState({ groups: [lab] }))
    fireEvent.click(screen.getByTestId('group-new'))
    fireEvent.click(screen.getByTestId('group-save'))
    expect(screen.getByRole('alert').textContent).toBe('Give the group a name.')
    fireEvent.change(screen.getByTestId('group-name'), { target: { value: 'LAB' } })
    fireEvent.click(screen.getByTestId('group-save'))
    expect(screen.getByRole('alert').textContent).toBe('There is already a group LAB.')
    fireEvent.change(screen.getByTestId('group-name'), { target: { value: 'lab 2' } })
    fireEvent.click(screen.getByTestId('group-save'))
    expect(screen.getByRole('alert').textContent).toBe('Tick at least one machine.')
    expect(api.callsOf('setGroup')).toEqual([])
    api.reply('setGroup', { ok: false, error: { code: 'bad-request', message: 'name must be a group name: 1 to 32 letters, digits, dots, dashes or underscores, starting with a letter or digit' } })
    fireEvent.click(screen.getByTestId('group-member-lab-01'))
    fireEvent.click(screen.getByTestId('group-save'))
    await settle()
    expect(screen.getByRole('alert').textContent).toMatch(/^Name must be a group name: 1 to 32 letters/)
    expect(screen.getByTestId('group-editor')).toBeTruthy()
  })

  it('lists each group with its machines, edits its members and deletes it after a confirmation', async () => {
    const { api } = renderWithStore(<SettingsView />, appState({ groups: [lab] }))
    const row = screen.getByTestId('group-lab')
    expect(row.textContent).toContain('@lab 2 machines, 1 online')
    expect(row.textContent).toContain('lab-01, lab-09')
    fireEvent.click(screen.getByTestId('group-edit-lab'))
    expect((screen.getByTestId('group-name') as HTMLInputElement).disabled).toBe(true)
    expect((screen.getByTestId('group-member-lab-09') as HTMLInputElement).checked).toBe(true)
    fireEvent.click(screen.getByTestId('group-member-lab-09'))
    fireEvent.click(screen.getByTestId('group-member-lab-03'))
    fireEvent.click(screen.getByTestId('group-save'))
    await settle()
    expect(api.callsOf('setGroup')).toEqual([['lab', [machine(1).id, machine(3).id]]])

    fireEvent.click(screen.getByTestId('group-delete-lab'))
    expect(api.callsOf('deleteGroup')).toEqual([])
    fireEvent.click(screen.getByTestId('group-delete-yes-lab'))
    await settle()
    expect(api.callsOf('deleteGroup')).toEqual([['lab']])
    expect(screen.getByTestId('groups-status').textContent).toBe('Deleted @lab.')
  })
})
