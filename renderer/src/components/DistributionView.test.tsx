// @vitest-environment jsdom
// A connection from a member's address that failed the member key proof is a visible notice on its
// distribution, naming the address and the id it claimed; none is shown when there was none.
import { act, cleanup, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { appState, originDistribution, recipientDistribution } from '../test/fixtures.js'
import { renderWithStore } from '../test/render.js'
import { DistributionView } from './DistributionView.js'

afterEach(cleanup)

describe('distribution view', () => {
  it('warns of a connection refused for failing the member key proof', () => {
    const dist = originDistribution({
      impostors: [{ address: '10.77.0.9', claimedId: '9f3ac21e0123456789abcdef01234567', reason: 'the proof signature does not verify', at: '2026-11-22T08:00:30.000Z' }]
    })
    const { store } = renderWithStore(<DistributionView />, appState({ distributions: [dist] }))
    act(() => { store.getState().select(dist.infoHash) })
    const notice = screen.getByTestId('impostor-notice')
    expect(notice.getAttribute('role')).toBe('alert')
    expect(notice.textContent).toContain('10.77.0.9')
    expect(notice.textContent).toContain('claimed 9f3a·c21e')
    expect(notice.textContent).toContain('the proof signature does not verify')
  })

  it('shows no such notice when every connection proved its key', () => {
    const dist = originDistribution()
    const { store } = renderWithStore(<DistributionView />, appState({ distributions: [dist] }))
    act(() => { store.getState().select(dist.infoHash) })
    expect(screen.getByTestId('distribution')).toBeTruthy()
    expect(screen.queryByTestId('impostor-notice')).toBeNull()
  })

  it('calls a folder a folder: the whole-folder column and piece-map line, its size multiple, the send hint', () => {
    const folder = originDistribution({ name: 'hls-2024-06', isFolder: true, fileCount: 3001 })
    const { store } = renderWithStore(<DistributionView />, appState({ distributions: [folder] }))
    act(() => { store.getState().select(folder.infoHash) })
    const view = screen.getByTestId('distribution')
    expect(screen.getByRole('columnheader', { name: 'Whole folder' })).toBeTruthy()
    expect(screen.getByTestId('piece-verified-machines').textContent).toMatch(/^Whole folder verified on \d+ of \d+ machines\.$/)
    expect(view.textContent).toContain('sent by the origin (× folder size)')
    expect(view.textContent).toContain('Tick the machines that should get this folder.')
    expect(view.textContent).not.toMatch(/whole file|× file size|get this file/i)
    cleanup()
    // A single file keeps its words.
    const file = originDistribution()
    const again = renderWithStore(<DistributionView />, appState({ distributions: [file] }))
    act(() => { again.store.getState().select(file.infoHash) })
    expect(screen.getByRole('columnheader', { name: 'Whole file' })).toBeTruthy()
    expect(screen.getByTestId('piece-verified-machines').textContent).toMatch(/^Whole file verified on/)
  })

  it('offers Pause on a download under way, not on one that failed (nothing runs there to pause)', () => {
    const arriving = recipientDistribution({ state: 'downloading' })
    const { store } = renderWithStore(<DistributionView />, appState({ distributions: [arriving] }))
    act(() => { store.getState().select(arriving.infoHash) })
    expect(screen.getByTestId('pause-button').textContent).toBe('Pause')
    const failed = recipientDistribution({ state: 'failed', reason: 'tidy.iso.part was deleted from /dl while it was arriving; the download stopped (a new send starts it over)' })
    act(() => { store.getState().receive(appState({ distributions: [failed] })); store.getState().select(failed.infoHash) })
    expect(screen.queryByTestId('pause-button')).toBeNull()
    expect(screen.getByTestId('remove-button').textContent).toBe('Cancel download…')
  })
})
