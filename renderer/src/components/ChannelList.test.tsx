// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { Distribution, WatchedFolder } from '../../../preload/api.js'
import { memberRow } from '../../../test/unit/member-row-fixture.js'
import { appState, originDistribution, SELF_ID, watchedFolder } from '../test/fixtures.js'
import { renderWithStore } from '../test/render.js'
import { settle } from '../test/settle.js'
import { ChannelList } from './ChannelList.js'
import { Sidebar } from './Sidebar.js'

afterEach(cleanup)

const channel: WatchedFolder = watchedFolder({ backlogFiles: 1200, backlogBytes: 3_500_000 })

describe('watched folders in the sidebar', () => {
  it('shows a channel as one row with its target, backlog and last batch', () => {
    renderWithStore(<ChannelList />, appState({ channels: [channel] }))
    expect(screen.getByTestId('channel-segments').textContent).toContain('segments → @lab')
    const summary = screen.getByTestId('channel-segments-summary').textContent ?? ''
    expect(summary).toContain('1,200 waiting')
    expect(summary).toContain('batch 4: 1 of 2 verified')
    expect(summary).not.toContain('up to date')
  })

  it('names each machine behind, by how much, and whether it is away (it said only "1 behind")', () => {
    const slow = { id: 'e'.repeat(32), fingerprint: 'eeee·eeee', name: '', online: true, behindBatches: 1, behindBytes: 25_165_824 }
    renderWithStore(<ChannelList />, appState({ channels: [{ ...channel, members: [...channel.members, slow] }] }))
    const lines = [...screen.getByTestId('channel-segments-details').querySelectorAll('li')].map(li => li.textContent)
    expect(lines).toEqual(['lab-03 is away: 2 batches behind (2.0 MB), sent when it is back', 'eeee·eeee: 1 batch behind (25.2 MB)'])
  })

  it('says everyone is up to date only when nothing waits here and no machine lacks a batch', () => {
    const done: WatchedFolder = { ...channel, backlogFiles: 0, backlogBytes: 0, lastBatch: channel.lastBatch === null ? null : { ...channel.lastBatch, verifiedRecipients: 2 }, members: channel.members.map(m => ({ ...m, behindBatches: 0, behindBytes: 0 })) }
    const { store } = renderWithStore(<ChannelList />, appState({ channels: [done] }))
    expect(screen.getByTestId('channel-segments-summary').textContent).toBe('nothing waiting · batch 4: 2 of 2 verified · everyone up to date')
    expect(screen.queryByTestId('channel-segments-details')).toBeNull()
    // A file still settling is not up to date yet.
    act(() => { store.getState().receive(appState({ channels: [{ ...done, backlogFiles: 1, backlogBytes: 1000 }] })) })
    expect(screen.getByTestId('channel-segments-summary').textContent).toBe('1 waiting · 1.0 KB · batch 4: 2 of 2 verified')
  })

  it('makes a stopped channel stand out with its reason, and names no machine behind meanwhile', () => {
    const gone: WatchedFolder = { ...channel, state: 'error', reason: 'the watched folder /srv/segments is gone (moved, renamed or deleted); nothing is sent until it is back' }
    renderWithStore(<ChannelList />, appState({ channels: [gone] }))
    expect(screen.getByTestId('channel-segments').className).toContain('channel-attention')
    expect(screen.getByTestId('channel-segments-summary').textContent).toBe(`! ${gone.reason ?? ''}`)
    expect(screen.queryByTestId('channel-segments-details')).toBeNull()
  })

  it('watches a typed folder for the chosen group, and stops watching by id', async () => {
    const group = { name: 'lab', members: [], createdAt: '2026-11-22T06:00:00.000Z' }
    const { api } = renderWithStore(<ChannelList />, appState({ channels: [channel], groups: [group] }))
    fireEvent.click(screen.getByTestId('watch-add'))
    fireEvent.change(screen.getByTestId('watch-path'), { target: { value: '/srv/renders' } })
    fireEvent.submit(screen.getByTestId('watch-form'))
    await settle()
    expect(api.callsOf('watchFolder')).toEqual([['/srv/renders', { group: 'lab' }]])
    fireEvent.click(screen.getByTestId('watch-add'))
    fireEvent.change(screen.getByTestId('watch-path'), { target: { value: '/srv/frames' } })
    fireEvent.click(screen.getByTestId('watch-mirror'))
    fireEvent.submit(screen.getByTestId('watch-form'))
    await settle()
    expect(api.callsOf('watchFolder')[1]).toEqual(['/srv/frames', { group: 'lab', mirrorDeletes: true }])
    fireEvent.click(screen.getByRole('button', { name: 'Stop watching segments' }))
    await settle()
    expect(api.callsOf('unwatchFolder')).toEqual([['0123456789abcdef']])
  })

  it('folds the channel\'s batches into its row, which opens the last batch', () => {
    const batch = originDistribution({ infoHash: 'b'.repeat(40), name: 'segments', channel: channel.id })
    const other = originDistribution({ infoHash: 'e'.repeat(40), name: 'ubuntu.iso' })
    const { store } = renderWithStore(<Sidebar />, appState({ channels: [channel], distributions: [batch, other] }))
    expect(screen.queryByTestId('dist-segments')).toBeNull()
    expect(screen.getByTestId('dist-ubuntu.iso')).toBeTruthy()
    fireEvent.click(screen.getByText('segments → @lab'))
    expect(store.getState().selected).toBe('b'.repeat(40))
  })
})

const MIB = 1024 * 1024
const lab01 = memberRow({ id: '01'.repeat(16), name: 'lab-01', origin: true, state: 'verified', verified: true })

/** Batch `n` of a channel this device receives from `sender`, into its folder `dir`. */
function received (n: number, over: Partial<Distribution> = {}, sender = lab01, dir = 'segments'): Distribution {
  return originDistribution({
    infoHash: n.toString(16).padStart(40, '0'),
    name: 'segments',
    role: 'recipient',
    isFolder: true,
    totalLength: MIB,
    state: 'verified',
    channel: channel.id,
    path: `/home/lab/Downloads/${dir}`,
    createdAt: new Date(Date.UTC(2026, 11, 4, 8, 0, n)).toISOString(),
    members: [sender, memberRow({ id: SELF_ID, name: 'lab-07', self: true, state: 'verified', verifiedBytes: MIB, verified: true })],
    ...over
  })
}

describe('a channel received from another machine', () => {
  it('shows 300 batches as one row that opens the batch still arriving', () => {
    const self = memberRow({ id: SELF_ID, name: 'lab-07', self: true, verifiedBytes: MIB / 4 })
    const arriving = received(150, { state: 'downloading', members: [lab01, self] })
    const batches = Array.from({ length: 300 }, (_, i) => i + 1 === 150 ? arriving : received(i + 1))
    const other = originDistribution({ infoHash: 'e'.repeat(40), name: 'ubuntu.iso' })
    const { store } = renderWithStore(<Sidebar />, appState({ distributions: [...batches, other] }))
    expect(screen.queryAllByTestId('dist-segments')).toHaveLength(0)
    expect(screen.getAllByTestId('received-segments')).toHaveLength(1)
    expect(screen.getByTestId('dist-ubuntu.iso')).toBeTruthy()
    expect(screen.getByTestId('received-segments-summary').textContent).toBe('from lab-01 · 300 batches · 1 arriving · 315 MB · last batch 25%')
    fireEvent.click(screen.getByText('segments'))
    expect(store.getState().selected).toBe(arriving.infoHash)
  })

  it('opens the newest batch once all arrived, says when it failed, and keeps senders apart', () => {
    const lab02 = memberRow({ id: '02'.repeat(16), name: 'lab-02', origin: true, state: 'verified', verified: true })
    const dists = [received(1), received(3, { state: 'failed' }), received(2), received(4, {}, lab02, 'segments (2)')]
    const { store } = renderWithStore(<Sidebar />, appState({ distributions: dists }))
    expect(screen.getByTestId('received-segments-summary').textContent).toBe('from lab-01 · 3 batches · 3.1 MB · last batch failed')
    expect(screen.getByTestId('received-segments (2)-summary').textContent).toContain('from lab-02 · 1 batch ·')
    fireEvent.click(screen.getByText('segments'))
    expect(store.getState().selected).toBe((dists[1] as Distribution).infoHash)
    // The row's name is the folder; its full path shows on hover.
    expect(screen.getByText('segments').getAttribute('title')).toBe('/home/lab/Downloads/segments')
  })
})
