// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { appState } from '../test/fixtures.js'
import { renderWithStore } from '../test/render.js'
import { MachinesView } from './MachinesView.js'

afterEach(cleanup)

const add = (text: string): void => {
  fireEvent.change(screen.getByTestId('pair-input'), { target: { value: text } })
  fireEvent.click(screen.getByTestId('pair-add'))
}

describe('Add by address', () => {
  it('sends the host and port to the engine, and the default port as none', async () => {
    const { api } = renderWithStore(<MachinesView />, appState())
    add(' 10.1.2.30:47700 ')
    await waitFor(() => expect(api.callsOf('pair')).toEqual([['10.1.2.30', 47700]]))
    add('build-07.example')
    await waitFor(() => expect(api.callsOf('pair')[1]).toEqual(['build-07.example', undefined]))
  })

  it('shows the engine\'s refusal in one sentence, in place', async () => {
    const { api } = renderWithStore(<MachinesView />, appState())
    api.reply('pair', { ok: false, error: { code: 'key-changed', message: '10.1.2.30:47620 now answers with a different device key (2390·08ae instead of 2ff2·5616), so it was refused; if that machine was reinstalled, unpair it and pair again' } })
    add('10.1.2.30')
    const error = await screen.findByTestId('pair-error')
    expect(error.textContent).toBe('10.1.2.30:47620 now answers with a different device key (2390·08ae instead of 2ff2·5616), so it was refused; if that machine was reinstalled, unpair it and pair again.')
  })

  it('refuses text that is not HOST or HOST:PORT before asking the engine', () => {
    const { api } = renderWithStore(<MachinesView />, appState())
    add('10.1.2.30:99999')
    expect(screen.getByTestId('pair-error').textContent).toBe('The port must be a number from 1 to 65535.')
    add('http://10.1.2.30/')
    expect(screen.getByTestId('pair-error').textContent).toMatch(/^Type an address as HOST or HOST:PORT/)
    expect(api.callsOf('pair')).toEqual([])
  })

  it('marks a machine added by address, says why it is offline, and can forget it', async () => {
    const paired = { id: 'ab'.repeat(16), fingerprint: 'abab·abab', name: 'site-b-01', platform: 'linux', address: '10.1.2.30', online: false, trusted: false, lastSeen: '', pairedAddress: '10.1.2.30:47620', pairProblem: 'cannot reach 10.1.2.30:47620 (connection refused); check the address and that Swarmdrop runs there' }
    const { api } = renderWithStore(<MachinesView />, appState({ machines: [paired] }))
    expect(screen.getByText('added by address')).toBeTruthy()
    expect(screen.getByTestId('pair-problem-site-b-01').textContent).toBe('Cannot reach 10.1.2.30:47620 (connection refused); check the address and that Swarmdrop runs there.')
    fireEvent.click(screen.getByText('Forget'))
    await waitFor(() => expect(api.callsOf('unpair')).toEqual([[paired.id]]))
  })
})
