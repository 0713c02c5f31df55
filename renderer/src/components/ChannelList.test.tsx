// @vitest-environment jsdom
import { cleanup, fireEvent, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { WatchedFolder } from '../../../preload/api.js'
import { appState, originDistribution } from '../test/fixtures.js'
import { renderWithStore } from '../test/render.js'
import { settle } from '../test/settle.js'
import { ChannelList } from './ChannelList.js'
import { Sidebar } from './Sidebar.js'

afterEach(cleanup)

const channel: WatchedFolder = {
  id: '0123456789abcdef',
  name: 'segments',
  dir: '/srv/segments',
  group: 'lab',
  ids: [],
  settleSeconds: 3,
  mirrorDeletes: false,
  state: 'watching',
  backlogFiles: 1200,
  backlogBytes: 3_500_000,
  batches: 4,
  filesSent: 503,
  lastBatch: { seq: 4, infoHash: 'b'.repeat(40), fileCount: 500, totalLength: 1_200_000, createdAt: '2026-11-22T07:00:00.000Z', verifiedRecipients: 1, recipients: 2 },
  members: [
    { id: 'c'.repeat(32), fingerprint: 'cccc·cccc', name: 'lab-02', online: true, behindBatches: 0, behindBytes: 0 },
    { id: 'd'.repeat(32), fingerprint: 'dddd·dddd', name: 'lab-03', online: false, behindBatches: 2, behindBytes: 2_000_000 }
  ],
  createdAt: '2026-11-22T06:00:00.000Z'
}

describe('watched folders in the sidebar', () => {
  it('shows a channel as one row with its target, backlog and last batch', () => {
    renderWithStore(<ChannelList />, appState({ channels: [channel] }))
    expect(screen.getByTestId('channel-segments').textContent).toContain('segments → @lab')
    const summary = screen.getByTestId('channel-segments-summary').textContent ?? ''
    expect(summary).toContain('1,200 waiting')
    expect(summary).toContain('batch 4: 1 of 2 verified')
    expect(summary).toContain('1 behind')
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
