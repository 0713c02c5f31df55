// @vitest-environment jsdom
import { cleanup, fireEvent, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { appState, machine, offer } from '../test/fixtures.js'
import { renderWithStore } from '../test/render.js'
import { settle } from '../test/settle.js'
import { App } from './App.js'
import { IncomingView } from './IncomingView.js'

afterEach(cleanup)

const NAME = 'hls-2024-06.tar'

describe('offer card', () => {
  it('shows sender, fingerprint, file, size, SHA-256 and destination', () => {
    renderWithStore(<IncomingView />, appState({ offers: [offer()] }))
    const card = screen.getByTestId(`offer-${NAME}`)
    for (const text of ['lab-01', '01a1·b201', NAME, '2.6 GB', 'c0ffee', '/home/lab/Downloads', '50.0 GB free', 'not trusted yet']) {
      expect(card.textContent).toContain(text)
    }
  })

  it('Accept, Decline and "Always accept from" call the API with the offer id, and the card goes', async () => {
    const answers: Array<[string, string, unknown[]]> = [
      [`accept-${NAME}`, 'accept', ['of-5a1c2e7d', {}]],
      [`decline-${NAME}`, 'decline', ['of-5a1c2e7d']],
      ['always-accept', 'accept', ['of-5a1c2e7d', { alwaysTrust: true }]]
    ]
    for (const [button, call, args] of answers) {
      const { api } = renderWithStore(<IncomingView />, appState({ offers: [offer()] }))
      fireEvent.click(button === 'always-accept' ? screen.getByText('Always accept from lab-01') : screen.getByTestId(button))
      await settle()
      expect(api.callsOf(call as 'accept' | 'decline')).toEqual([args])
      // Answered: the card does not invite a second answer while the next state is on its way.
      expect(screen.queryByTestId(`accept-${NAME}`)).toBeNull()
      cleanup()
    }
  })

  it('says when the sender is known to be off the network, and not when it is online or not listed', () => {
    const gone = machine(1, { online: false, lastSeen: new Date(Date.now() - 20_000).toISOString() })
    renderWithStore(<IncomingView />, appState({ offers: [offer()], machines: [gone] }))
    expect(screen.getByTestId(`sender-away-${NAME}`).textContent)
      .toMatch(/^lab-01 is not on the network now \(last seen 2\d s ago\)\. Accepting starts the\s+download when it is back\.$/)
    // Still answerable: an accept waits for the sender.
    expect((screen.getByTestId(`accept-${NAME}`) as HTMLButtonElement).disabled).toBe(false)
    cleanup()
    renderWithStore(<IncomingView />, appState({ offers: [offer()], machines: [machine(1)] }))
    expect(screen.queryByTestId(`sender-away-${NAME}`)).toBeNull()
    cleanup()
    renderWithStore(<IncomingView />, appState({ offers: [offer()], machines: [machine(2)] }))
    expect(screen.queryByTestId(`sender-away-${NAME}`)).toBeNull()
  })

  it('says a folder is a folder: how many files, that it lands as a new folder, and "this folder" when it does not fit', () => {
    const folder = offer({ name: 'hls-2024-07', isFolder: true, fileCount: 3001, totalLength: 82_400_000, destination: { dir: '/home/lab/Downloads', freeBytes: 50_000_000, fits: false } })
    renderWithStore(<IncomingView />, appState({ offers: [folder] }))
    expect(screen.getByTestId('offer-size-hls-2024-07').textContent).toBe('82.4 MB · folder of 3,001 files')
    expect(screen.getByTestId('offer-dest-hls-2024-07').textContent).toMatch(/^Saves as a new folder in \/home\/lab\/Downloads, which has 50\.0 MB free\./)
    expect(screen.getByTestId('no-space-hls-2024-07').textContent).toContain('needs 32.4 MB more free space for this folder.')
    cleanup()
    // A folder of one file is still a folder: it lands as one.
    renderWithStore(<IncomingView />, appState({ offers: [offer({ name: 'one-segment', isFolder: true, fileCount: 1, totalLength: 4096 })] }))
    expect(screen.getByTestId('offer-size-one-segment').textContent).toBe('4.1 KB · folder of 1 file')
    expect(screen.getByTestId('offer-dest-one-segment').textContent).toMatch(/^Saves as a new folder in /)
    cleanup()
    // A single file reads as before.
    renderWithStore(<IncomingView />, appState({ offers: [offer()] }))
    expect(screen.getByTestId(`offer-size-${NAME}`).textContent).toBe('2.6 GB')
    expect(screen.getByTestId(`offer-dest-${NAME}`).textContent).toMatch(/^Saves to \/home\/lab\/Downloads, which has 50\.0 GB free\./)
  })

  it('disables Accept and says how much space is missing when the file does not fit', () => {
    const tight = offer({ destination: { dir: '/home/lab/Downloads', freeBytes: 1_100_000_000, fits: false } })
    renderWithStore(<IncomingView />, appState({ offers: [tight] }))
    expect((screen.getByTestId(`accept-${NAME}`) as HTMLButtonElement).disabled).toBe(true)
    expect(screen.getByTestId(`no-space-${NAME}`).textContent).toContain('needs 1.5 GB more free space')
  })

  it('says why nothing can be saved in the default folder, disables Accept, and lets another folder be chosen', async () => {
    const readOnly = offer({ destination: { dir: '/mnt/stick', freeBytes: 50_000_000_000, fits: true, problem: '/mnt/stick is on a read-only file system' } })
    const { api } = renderWithStore(<IncomingView />, appState({ offers: [readOnly] }))
    expect(screen.getByTestId(`not-writable-${NAME}`).textContent).toBe('Cannot save here: /mnt/stick is on a read-only file system. Choose another folder.')
    expect(screen.queryByTestId(`no-space-${NAME}`)).toBeNull()
    expect((screen.getByTestId(`accept-${NAME}`) as HTMLButtonElement).disabled).toBe(true)
    expect((screen.getByTestId(`always-${NAME}`) as HTMLButtonElement).disabled).toBe(true)
    api.reply('chooseFolder', { ok: true, value: { path: '/srv/big' } })
    fireEvent.click(screen.getByText('Choose another folder…'))
    await settle()
    expect(screen.queryByTestId(`not-writable-${NAME}`)).toBeNull()
    fireEvent.click(screen.getByTestId(`accept-${NAME}`))
    await settle()
    expect(api.callsOf('accept')).toEqual([['of-5a1c2e7d', { downloadsDir: '/srv/big' }]])
  })

  it('accepts into a folder typed by hand when there is no folder dialog', async () => {
    const { api } = renderWithStore(<IncomingView />, appState({ shell: 'web', offers: [offer()] }))
    api.reply('chooseFolder', { ok: false, error: { code: 'unsupported', message: 'No folder dialog in the web UI.' } })
    fireEvent.click(screen.getByText('Choose another folder…'))
    await settle()
    fireEvent.change(screen.getByTestId(`folder-input-${NAME}`), { target: { value: '/srv/big' } })
    fireEvent.click(screen.getByTestId(`accept-${NAME}`))
    await settle()
    expect(api.callsOf('accept')).toEqual([['of-5a1c2e7d', { downloadsDir: '/srv/big' }]])
  })

  it('accepts into a folder chosen in the dialog', async () => {
    const { api } = renderWithStore(<IncomingView />, appState({ offers: [offer()] }))
    api.reply('chooseFolder', { ok: true, value: { path: '/mnt/media' } })
    fireEvent.click(screen.getByText('Choose another folder…'))
    await settle()
    expect(screen.getByTestId(`offer-${NAME}`).textContent).toContain('/mnt/media')
    fireEvent.click(screen.getByTestId(`accept-${NAME}`))
    await settle()
    expect(api.callsOf('accept')).toEqual([['of-5a1c2e7d', { downloadsDir: '/mnt/media' }]])
  })

  it('stacks two offers from the same sender', () => {
    renderWithStore(<IncomingView />, appState({ offers: [offer(), offer({ offerId: 'of-2', name: 'second.bin' })] }))
    expect(screen.getByTestId(`offer-${NAME}`)).toBeTruthy()
    expect(screen.getByTestId('offer-second.bin')).toBeTruthy()
  })
})

describe('offers on the main view', () => {
  it('shows waiting offers above the distribution so they are answered without searching', () => {
    renderWithStore(<App />, appState({ offers: [offer()] }))
    expect(screen.getByTestId(`accept-${NAME}`)).toBeTruthy()
    expect(screen.getByTestId('dist-state').textContent).toBe('seeding')
  })
})
