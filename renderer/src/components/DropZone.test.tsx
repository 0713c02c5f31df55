// @vitest-environment jsdom
import { cleanup, fireEvent, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { emptyState } from '../test/fixtures.js'
import { renderWithStore } from '../test/render.js'
import { settle } from '../test/settle.js'
import { App } from './App.js'

afterEach(cleanup)

function dataTransfer (files: File[]) {
  return { files, types: ['Files'], dropEffect: 'none' }
}

describe('drop zone', () => {
  it('shows the overlay while a file is dragged over and creates a distribution from the drop', async () => {
    const { api } = renderWithStore(<App />, emptyState())
    const zone = screen.getByTestId('drop-zone')
    const file = new File(['x'.repeat(100)], 'ubuntu-24.04-server.iso', { type: 'application/octet-stream' })

    fireEvent.dragEnter(zone, { dataTransfer: dataTransfer([file]) })
    expect(screen.getByText('Drop to send this file to machines on your network')).toBeTruthy()
    fireEvent.drop(zone, { dataTransfer: dataTransfer([file]) })
    await settle()

    expect(screen.queryByText('Drop to send this file to machines on your network')).toBeNull()
    expect(api.callsOf('createFromFiles')).toEqual([[[file]]])
  })

  it('ignores drags that carry no files', () => {
    const { api } = renderWithStore(<App />, emptyState())
    const zone = screen.getByTestId('drop-zone')
    fireEvent.dragEnter(zone, { dataTransfer: { files: [], types: ['text/plain'] } })
    expect(screen.queryByText('Drop to send this file to machines on your network')).toBeNull()
    fireEvent.drop(zone, { dataTransfer: { files: [], types: ['text/plain'] } })
    expect(api.callsOf('createFromFiles')).toEqual([])
  })

  it('sends a file chosen with the button', async () => {
    const { api } = renderWithStore(<App />, emptyState())
    const file = new File(['abc'], 'notes.txt')
    fireEvent.change(screen.getByTestId('file-input'), { target: { files: [file] } })
    await settle()
    expect(api.callsOf('createFromFiles')).toEqual([[[file]]])
  })

  it('shows hashing progress for a dropped file', () => {
    renderWithStore(<App />, emptyState({ hashing: [{ jobId: 'j', path: '/tmp/big.iso', name: 'big.iso', bytesDone: 1_300_000_000, bytesTotal: 2_600_000_000 }] }))
    expect(screen.getByTestId('hashing').textContent).toContain('1.3 GB of 2.6 GB')
    expect(screen.getByRole('progressbar', { name: 'Hashing big.iso' }).getAttribute('aria-valuetext')).toBe('50%')
  })
})
