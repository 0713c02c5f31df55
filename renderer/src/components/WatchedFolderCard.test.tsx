// @vitest-environment jsdom
// The watched folder as a whole at the top of the batch its row opens: the last batch alone named
// only who lacked that batch ("offline" on it), not who was behind over the folder, nor by how much.
import { cleanup, fireEvent, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { WatchedFolder } from '../../../preload/api.js'
import { appState, originDistribution, watchedFolder } from '../test/fixtures.js'
import { renderWithStore } from '../test/render.js'
import { DistributionView } from './DistributionView.js'
import { Sidebar } from './Sidebar.js'

afterEach(cleanup)

const folder: WatchedFolder = watchedFolder({
  batches: 3,
  filesSent: 6,
  lastBatch: { seq: 3, infoHash: 'b'.repeat(40), fileCount: 2, totalLength: 6_291_456, createdAt: '2026-12-07T21:00:00.000Z', verifiedRecipients: 1, recipients: 2 },
  members: [
    { id: 'c'.repeat(32), fingerprint: 'cccc·cccc', name: 'lab-01', online: true, behindBatches: 0, behindBytes: 0 },
    { id: 'd'.repeat(32), fingerprint: 'dddd·dddd', name: 'lab-02', online: false, behindBatches: 2, behindBytes: 31_457_280 }
  ]
})

describe('a watched folder\'s batch in the window', () => {
  it('the folder\'s row opens its last batch, led by the folder as a whole: who is behind, by how much', () => {
    const batch = originDistribution({ infoHash: 'b'.repeat(40), name: 'segments', channel: folder.id })
    const other = originDistribution({ infoHash: 'e'.repeat(40), name: 'ubuntu.iso' })
    renderWithStore(<><Sidebar /><DistributionView /></>, appState({ channels: [folder], distributions: [other, batch] }))
    expect(screen.queryByTestId('channel-card')).toBeNull()
    fireEvent.click(screen.getByText('segments → @lab'))
    const card = screen.getByTestId('channel-card')
    expect(card.querySelector('h3')?.textContent).toBe('Watched folder segments → @lab')
    expect(screen.getByTestId('channel-card-verdict').textContent).toBe('1 machine of 2 lacks batches:')
    expect([...screen.getByTestId('channel-card-members').querySelectorAll('li')].map(li => li.textContent))
      .toEqual(['lab-01 up to date', 'lab-02 away: 2 batches behind (31.5 MB), sent when it is back'])
    expect(screen.getByTestId('channel-card-shown').textContent).toBe('Below: batch 3, the last of 3 batches sent.')
  })

  it('says when every machine holds every batch, and that a batch shown is an earlier one', () => {
    const done: WatchedFolder = { ...folder, members: folder.members.map(m => ({ ...m, online: true, behindBatches: 0, behindBytes: 0 })) }
    const earlier = originDistribution({ infoHash: 'a'.repeat(40), name: 'segments', channel: folder.id })
    renderWithStore(<DistributionView />, appState({ channels: [done], distributions: [earlier] }))
    expect(screen.getByTestId('channel-card-verdict').textContent).toBe('Every machine holds every batch sent (6 files).')
    expect(screen.getByTestId('channel-card-shown').textContent).toBe('Below: an earlier batch of this folder (3 batches sent).')
  })
})
