// @vitest-environment jsdom
import { cleanup, fireEvent, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { appState, offer } from '../test/fixtures.js'
import { renderWithStore } from '../test/render.js'
import { settle } from '../test/settle.js'
import { SettingsView } from './SettingsView.js'

afterEach(cleanup)

describe('settings', () => {
  it('Save sends only the changed fields', async () => {
    const { api } = renderWithStore(<SettingsView />, appState())
    fireEvent.change(screen.getByTestId('settings-name'), { target: { value: 'lab-07-renamed' } })
    fireEvent.change(screen.getByTestId('settings-upload-limit'), { target: { value: '40' } })
    fireEvent.click(screen.getByTestId('settings-accept-trusted'))
    fireEvent.click(screen.getByTestId('settings-save'))
    await settle()
    expect(api.callsOf('updateSettings')).toEqual([[{ name: 'lab-07-renamed', uploadLimit: 40_000_000, accept: 'trusted' }]])
    expect(screen.getByTestId('settings-status').textContent).toBe('Saved.')
  })

  it('shows a problem beside its field and sends nothing', async () => {
    const { api } = renderWithStore(<SettingsView />, appState())
    fireEvent.change(screen.getByTestId('settings-download-limit'), { target: { value: 'lots' } })
    fireEvent.click(screen.getByTestId('settings-save'))
    await settle()
    expect(api.callsOf('updateSettings')).toEqual([])
    const input = screen.getByTestId('settings-download-limit')
    expect(input.getAttribute('aria-invalid')).toBe('true')
    expect(document.getElementById(input.getAttribute('aria-describedby') ?? '')?.textContent).toBe('Enter a number of MB/s, or 0 for no limit.')
  })

  it('puts an engine error beside the field it names', async () => {
    const { api } = renderWithStore(<SettingsView />, appState())
    api.reply('updateSettings', { ok: false, error: { code: 'bad-request', message: 'downloadsDir must be an absolute path.' } })
    fireEvent.change(screen.getByTestId('settings-downloads-dir'), { target: { value: 'relative/dir' } })
    fireEvent.click(screen.getByTestId('settings-save'))
    await settle()
    expect(screen.getByTestId('settings-downloads-dir').getAttribute('aria-invalid')).toBe('true')
    expect(screen.getByText('downloadsDir must be an absolute path.')).toBeTruthy()
  })

  it('says which options only the desktop app honours in the web UI', () => {
    renderWithStore(<SettingsView />, appState({ shell: 'web' }))
    expect(screen.getByText('Start Swarmdrop when I log in (desktop app only)')).toBeTruthy()
    expect(screen.getByText('Start hidden in the tray (desktop app only)')).toBeTruthy()
  })

  it('puts a name already used on the network beside the name, whatever field the quoted name suggests', async () => {
    const { api } = renderWithStore(<SettingsView />, appState())
    api.reply('updateSettings', { ok: false, error: { code: 'name-taken', message: 'another machine on this network is already called upload-box (10.0.0.9, 77aa·0011): choose another name, or the two cannot be told apart when sending by name' } })
    fireEvent.change(screen.getByTestId('settings-name'), { target: { value: 'upload-box' } })
    fireEvent.click(screen.getByTestId('settings-save'))
    await settle()
    const input = screen.getByTestId('settings-name')
    expect(input.getAttribute('aria-invalid')).toBe('true')
    expect(document.getElementById(input.getAttribute('aria-describedby') ?? '')?.textContent).toBe('Another machine on this network is already called upload-box (10.0.0.9, 77aa·0011): choose another name, or the two cannot be told apart when sending by name.')
    expect(screen.getByTestId('settings-upload-limit').getAttribute('aria-invalid')).toBe('false')
  })

  it('says after Save that an offer already waiting still needs an answer', async () => {
    renderWithStore(<SettingsView />, appState({ offers: [offer({ name: 'wait.bin' })] }))
    fireEvent.click(screen.getByTestId('settings-accept-all'))
    fireEvent.click(screen.getByTestId('settings-save'))
    await settle()
    expect(screen.getByTestId('settings-status').textContent).toBe('Saved. The offer of wait.bin already waiting in Incoming still needs your answer: the new policy applies to offers that arrive from now on.')
  })

  it('saves a change back made before the next state arrives, instead of saying nothing changed', async () => {
    const { api } = renderWithStore(<SettingsView />, appState())
    fireEvent.change(screen.getByTestId('settings-name'), { target: { value: 'lab-07-renamed' } })
    fireEvent.click(screen.getByTestId('settings-save'))
    await settle()
    fireEvent.change(screen.getByTestId('settings-name'), { target: { value: 'lab-07' } })
    fireEvent.click(screen.getByTestId('settings-save'))
    await settle()
    expect(api.callsOf('updateSettings')).toEqual([[{ name: 'lab-07-renamed' }], [{ name: 'lab-07' }]])
    expect(screen.getByTestId('settings-status').textContent).toBe('Saved.')
  })
})
