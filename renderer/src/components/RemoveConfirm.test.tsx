// @vitest-environment jsdom
// Stop sending, cancel a download, remove a copy: the header button says which it will do, its
// confirmation says what happens with the distribution's own figures (who is told, how much is
// deleted, what is kept), the engine is asked with the right arguments only once confirmed, and
// the view moves on after a success or keeps the error in the dialog after a failure.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import type { ApiResult, Distribution, RemoveReply } from '../../../preload/api.js'
import { createUiStore } from '../store/app-store.js'
import { StoreContext } from '../store/context.js'
import { INFO_HASH, appState, originDistribution, recipientDistribution } from '../test/fixtures.js'
import { RecordingApi } from '../test/recording-api.js'
import { settle } from '../test/settle.js'
import { DistributionView } from './DistributionView.js'
import { MessageBar } from './MessageBar.js'

afterEach(cleanup)

/** The message bar and the distribution view over a fresh store, `dists[0]` selected. */
function show (...dists: Distribution[]) {
  const state = appState({ distributions: dists })
  const api = new RecordingApi(state)
  const store = createUiStore(api)
  store.getState().receive(state)
  const wrapper = ({ children }: { readonly children: ReactNode }) => <StoreContext.Provider value={store}>{children}</StoreContext.Provider>
  const view = render(<><MessageBar /><DistributionView /></>, { wrapper })
  return { api, store, ...view }
}

const button = () => screen.getByTestId('remove-button')
const dialog = () => screen.getByRole('alertdialog')
const open = () => { fireEvent.click(button()) }
const sentences = () => within(dialog()).getByTestId('remove-consequences').textContent ?? ''

/** The fixture's origin with every recipient past the point of being told (verified or declined). */
function originDone (): Distribution {
  const d = originDistribution()
  return { ...d, members: d.members.map(m => m.state === 'downloading' ? { ...m, state: 'verified' as const, verified: true, verifiedBytes: d.totalLength, verifiedPieces: d.pieceCount } : m) }
}

describe('the button says what it will do', () => {
  it('origin: "Stop sending…" while a recipient has not finished, "Remove…" once all have', () => {
    show(originDistribution())
    expect(button().textContent).toBe('Stop sending…')
    cleanup()
    show(originDone())
    expect(button().textContent).toBe('Remove…')
  })

  it('recipient: "Cancel download…" while not verified, "Remove…" for a verified copy, paused or not', () => {
    show(recipientDistribution())
    expect(button().textContent).toBe('Cancel download…')
    cleanup()
    show(recipientDistribution({}, { verified: true }))
    expect(button().textContent).toBe('Remove…')
    cleanup()
    show(recipientDistribution({ state: 'paused' }, { verified: true, state: 'paused' }))
    expect(button().textContent).toBe('Remove…')
  })

  it('opens nothing and asks nothing until pressed', () => {
    const { api } = show(originDistribution())
    expect(screen.queryByRole('alertdialog')).toBeNull()
    expect(button().getAttribute('aria-expanded')).toBe('false')
    expect(api.callsOf('remove')).toEqual([])
  })
})

describe('the confirmation', () => {
  it('origin mid-transfer: who is told to stop and how much they delete, who keeps a verified copy, the source untouched', () => {
    show(originDistribution())
    open()
    const d = dialog()
    expect(screen.getByRole('alertdialog', { name: 'Stop sending ubuntu-24.04-server.iso?' })).toBe(d)
    expect(button().getAttribute('aria-expanded')).toBe('true')
    // lab-02 holds 6 pieces of 4 MiB; lab-03 declined (nothing to stop); lab-01 is verified.
    expect(sentences()).toContain('lab-02 has not finished: it will be told to stop and delete what it received (25.2 MB).')
    expect(sentences()).toContain('lab-01 has a verified copy and keeps it.')
    expect(sentences()).toContain('The file on this device is not touched (/home/lab/ubuntu-24.04-server.iso).')
    expect(within(d).queryByRole('checkbox')).toBeNull()
    expect(within(d).getByTestId('remove-confirm').textContent).toBe('Stop sending')
    // The description is what a screen reader reads with the title.
    expect(document.getElementById(d.getAttribute('aria-describedby') ?? '')?.textContent).toBe(sentences())
  })

  it('origin with many machines still receiving: names three, counts the rest, adds up what they hold', () => {
    const base = originDistribution()
    const self = base.members[0]
    if (self === undefined) throw new Error('fixture')
    const receiving = [1, 2, 3, 4, 5].map(n => ({ ...self, id: `${n}`.repeat(32), name: `node-${n}`, self: false, origin: false, state: 'downloading' as const, verified: false, verifiedPieces: n, verifiedBytes: n * 1_000_000 }))
    const waiting = { ...self, id: 'f'.repeat(32), name: 'node-6', self: false, origin: false, state: 'waiting' as const, verified: false, verifiedPieces: 0, verifiedBytes: 0 }
    show({ ...base, isFolder: true, path: '/srv/share/hls', members: [self, ...receiving, waiting] })
    open()
    // node-6 waits to be seen: it holds nothing and is not told (only never offered it again).
    expect(sentences()).toContain('node-1, node-2, node-3 and 2 more machines have not finished: they will be told to stop and delete what they received (15.0 MB between them).')
    expect(sentences()).not.toContain('verified copy')
    expect(sentences()).toContain('The folder on this device is not touched (/srv/share/hls).')
  })

  it('origin with a machine away: it is told when it comes back, in the dialog and in the outcome', async () => {
    const base = originDistribution()
    const members = base.members.map(m => m.name === 'lab-03' ? { ...m, state: 'lost' as const } : m)
    const { api } = show({ ...base, members })
    open()
    expect(sentences()).toContain('lab-03 is away now: told when it comes back.')
    api.reply('remove', { ok: true, value: { name: base.name, outcome: 'withdrawn', told: 1, unreached: 1, deletedBytes: 0 } })
    await act(async () => { fireEvent.click(within(dialog()).getByRole('button', { name: 'Stop sending' })); await settle() })
    expect(screen.getByTestId('notice').textContent).toBe('Stopped sending ubuntu-24.04-server.iso: 1 machine told to stop; 1 machine not reached now stops when it comes back.')
  })

  it('origin whose recipients all finished: it leaves the list, the copies stay where they are', () => {
    show(originDone())
    open()
    expect(screen.getByRole('alertdialog', { name: 'Remove ubuntu-24.04-server.iso from this list?' })).toBeTruthy()
    expect(sentences()).toContain('It is no longer shared from this device and leaves this list.')
    expect(sentences()).toContain('lab-01 and lab-02 have verified copies and keep them.')
    expect(sentences()).toContain('The file on this device is not touched')
    expect(within(dialog()).getByTestId('remove-confirm').textContent).toBe('Remove')
  })

  it('recipient mid-download: how much received is deleted, that the sender is told; no checkbox', () => {
    show(recipientDistribution())
    open()
    expect(screen.getByRole('alertdialog', { name: 'Cancel the download of ubuntu-24.04-server.iso?' })).toBeTruthy()
    expect(sentences()).toContain('The 25.2 MB received so far (of 46.1 MB) will be deleted from this device.')
    expect(sentences()).toContain('lab-01, the sender, is told you cancelled.')
    expect(within(dialog()).queryByRole('checkbox')).toBeNull()
    expect(within(dialog()).getByTestId('remove-confirm').textContent).toBe('Cancel download')
  })

  it('recipient with nothing received yet says nothing is deleted', () => {
    show(recipientDistribution({}, { state: 'accepted', verifiedBytes: 0, verifiedPieces: 0 }))
    open()
    expect(sentences()).toContain('Nothing of its 46.1 MB has been received yet, so nothing is deleted.')
  })

  it('a verified copy: no longer shared, leaves the list; the file is kept unless the box is ticked', () => {
    show(recipientDistribution({}, { verified: true }))
    open()
    expect(screen.getByRole('alertdialog', { name: 'Remove ubuntu-24.04-server.iso from this list?' })).toBeTruthy()
    expect(sentences()).toContain('Your verified copy is no longer shared with the other machines, and it leaves this list.')
    expect(sentences()).toContain('The file stays on this device.')
    const box = within(dialog()).getByRole('checkbox', { name: 'Also delete the file from this device' })
    expect((box as HTMLInputElement).checked).toBe(false)
    expect(within(dialog()).getByTestId('remove-delete-where').textContent).toBe('46.1 MB at /home/lab/Downloads/ubuntu-24.04-server.iso')
    expect(within(dialog()).getByTestId('remove-confirm').textContent).toBe('Remove')
    fireEvent.click(box)
    expect(sentences()).toContain('The file is deleted from this device too (46.1 MB).')
    expect(within(dialog()).getByTestId('remove-confirm').textContent).toBe('Remove and delete file')
  })

  it('a verified folder says folder', () => {
    show(recipientDistribution({ isFolder: true, fileCount: 3, name: 'hls-2024-06', path: '/home/lab/Downloads/hls-2024-06' }, { verified: true }))
    open()
    expect(within(dialog()).getByRole('checkbox', { name: 'Also delete the folder from this device' })).toBeTruthy()
    expect(within(dialog()).getByTestId('remove-delete-where').textContent).toBe('46.1 MB at /home/lab/Downloads/hls-2024-06')
  })

  it('takes the focus; Escape and Keep close it, give the focus back to the button, and ask nothing', () => {
    const { api } = show(originDistribution())
    open()
    expect(dialog().contains(document.activeElement)).toBe(true)
    expect(document.activeElement).toBe(within(dialog()).getByTestId('remove-keep'))
    fireEvent.keyDown(document.activeElement ?? dialog(), { key: 'Escape' })
    expect(screen.queryByRole('alertdialog')).toBeNull()
    expect(document.activeElement).toBe(button())
    open()
    fireEvent.click(within(dialog()).getByTestId('remove-keep'))
    expect(screen.queryByRole('alertdialog')).toBeNull()
    expect(document.activeElement).toBe(button())
    expect(api.callsOf('remove')).toEqual([])
  })
})

describe('confirming', () => {
  it('stops sending: asks the engine for this distribution, says what happened, shows the next one', async () => {
    const other = recipientDistribution({}, { verified: true })
    const { api, store } = show(originDistribution(), other)
    open()
    fireEvent.click(within(dialog()).getByTestId('remove-confirm'))
    await act(settle)
    expect(api.callsOf('remove')).toEqual([[INFO_HASH, undefined]])
    expect(screen.getByTestId('notice').textContent).toBe('Stopped sending ubuntu-24.04-server.iso: 1 machine told to stop.')
    expect(store.getState().selected).toBe(other.infoHash)
    expect(screen.getByTestId('remove-button').textContent).toBe('Remove…')
    expect(screen.queryByRole('alertdialog')).toBeNull()
    // The keyboard lands on the next distribution's title, not on the page's start.
    await act(async () => { await new Promise(resolve => setTimeout(resolve, 0)) })
    expect(document.activeElement?.id).toBe('dist-title')
  })

  it('removes a verified copy with its file when ticked, and without it when not', async () => {
    const copy = recipientDistribution({}, { verified: true })
    let view = show(copy)
    open()
    fireEvent.click(within(dialog()).getByRole('checkbox'))
    fireEvent.click(within(dialog()).getByTestId('remove-confirm'))
    await act(settle)
    expect(view.api.callsOf('remove')).toEqual([[copy.infoHash, { deleteFiles: true }]])
    expect(screen.getByTestId('notice').textContent).toBe('Removed ubuntu-24.04-server.iso from this list and deleted its file (46.1 MB).')
    // The last one: the empty state.
    expect(view.store.getState().selected).toBeNull()
    expect(screen.getByText('Nothing shared yet.')).toBeTruthy()
    cleanup()
    view = show(copy)
    open()
    fireEvent.click(within(dialog()).getByTestId('remove-confirm'))
    await act(settle)
    expect(view.api.callsOf('remove')).toEqual([[copy.infoHash, { deleteFiles: false }]])
    expect(screen.getByTestId('notice').textContent).toBe('Removed ubuntu-24.04-server.iso from this list; its file stays on disk.')
  })

  it('cancels a download: the deleted bytes said in the message bar', async () => {
    const dl = recipientDistribution()
    const { api } = show(dl)
    open()
    fireEvent.click(within(dialog()).getByTestId('remove-confirm'))
    await act(settle)
    expect(api.callsOf('remove')).toEqual([[dl.infoHash, undefined]])
    expect(screen.getByTestId('notice').textContent).toBe('Cancelled ubuntu-24.04-server.iso: 25.2 MB received were deleted.')
  })

  it('disables its buttons while the engine works', async () => {
    const { api } = show(recipientDistribution({}, { verified: true }))
    let answer: (r: ApiResult<RemoveReply>) => void = () => {}
    api.remove = () => new Promise(resolve => { answer = resolve })
    open()
    fireEvent.click(within(dialog()).getByTestId('remove-confirm'))
    const d = dialog()
    expect((within(d).getByTestId('remove-confirm') as HTMLButtonElement).disabled).toBe(true)
    expect(within(d).getByTestId('remove-confirm').textContent).toBe('Remove…')
    expect((within(d).getByTestId('remove-keep') as HTMLButtonElement).disabled).toBe(true)
    expect((within(d).getByRole('checkbox') as HTMLInputElement).disabled).toBe(true)
    expect(d.getAttribute('aria-busy')).toBe('true')
    // Escape does not walk away from a command under way.
    fireEvent.keyDown(d, { key: 'Escape' })
    expect(screen.getByRole('alertdialog')).toBe(d)
    await act(async () => { answer({ ok: true, value: { name: 'ubuntu-24.04-server.iso', outcome: 'removed', told: 0, unreached: 0, deletedBytes: 0 } }); await settle() })
    expect(screen.queryByRole('alertdialog')).toBeNull()
  })

  it('a failure stays in the dialog, buttons usable again, the distribution still shown', async () => {
    const dist = originDistribution()
    const { api, store } = show(dist, recipientDistribution())
    api.reply('remove', { ok: false, error: { code: 'busy', message: 'the engine is still writing the resume data' } })
    open()
    fireEvent.click(within(dialog()).getByTestId('remove-confirm'))
    await act(settle)
    const d = dialog()
    expect(within(d).getByRole('alert').textContent).toBe('The engine is still writing the resume data.')
    expect((within(d).getByTestId('remove-confirm') as HTMLButtonElement).disabled).toBe(false)
    expect(document.activeElement).toBe(within(d).getByTestId('remove-keep'))
    expect(store.getState().selected).toBe(dist.infoHash)
    expect(store.getState().app?.distributions.map(x => x.infoHash)).toContain(dist.infoHash)
    // Said once, here, not a second time in the message bar.
    expect(screen.queryByTestId('error-message')).toBeNull()
    expect(screen.queryByTestId('notice')).toBeNull()
  })
})
