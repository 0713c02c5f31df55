// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { ApiResult, CreateOptions } from '../../../preload/api.js'
import { emptyState } from '../test/fixtures.js'
import { renderWithStore } from '../test/render.js'
import { settle } from '../test/settle.js'
import { App } from './App.js'

afterEach(cleanup)

describe('sending a path on the agent\'s machine (web UI)', () => {
  it('browses folders, picks a file and shares it where it is', async () => {
    const { api, store } = renderWithStore(<App />, emptyState({ shell: 'web' }))
    expect(screen.getByTestId('path-sender').textContent).toContain('nothing is copied')
    expect(screen.getByTestId('path-sender').textContent).toContain('uploads a copy into the agent’s data folder')
    fireEvent.click(screen.getByTestId('path-browse'))
    await settle()
    expect(api.callsOf('browse')).toEqual([[undefined]])
    expect(screen.getByTestId('folder-path').textContent).toBe('/home/lab')
    fireEvent.click(screen.getByTestId('entry-isos'))
    await settle()
    expect(api.callsOf('browse').at(-1)).toEqual(['/home/lab/isos'])
    fireEvent.click(screen.getByTestId('entry-ubuntu-24.04-server.iso'))
    expect((screen.getByTestId('path-input') as HTMLInputElement).value).toBe('/home/lab/isos/ubuntu-24.04-server.iso')
    fireEvent.click(screen.getByTestId('path-send'))
    await settle()
    expect(api.callsOf('createFromPath')).toEqual([['/home/lab/isos/ubuntu-24.04-server.iso']])
    // Its distribution is selected once hashed, as for a dropped file.
    expect(store.getState().pendingCreate?.name).toBe('ubuntu-24.04-server.iso')
  })

  it('shows a folder it cannot read as a sentence, in place', async () => {
    const { api } = renderWithStore(<App />, emptyState({ shell: 'web' }))
    api.reply('browse', { ok: false, error: { code: 'unreadable', message: '/root cannot be read: permission denied' } })
    fireEvent.change(screen.getByTestId('path-input'), { target: { value: '/root' } })
    fireEvent.click(screen.getByTestId('path-browse'))
    await settle()
    expect(screen.getByTestId('browse-error').textContent).toBe('/root cannot be read: permission denied.')
  })

  it('is not offered in the desktop app, which has a file dialog', () => {
    renderWithStore(<App />, emptyState())
    expect(screen.queryByTestId('path-sender')).toBeNull()
  })
})

describe('a browser upload', () => {
  it('shows bytes and a bar while it goes, and Cancel aborts it', async () => {
    const { api, store } = renderWithStore(<App />, emptyState({ shell: 'web' }))
    let progress: CreateOptions['onProgress']
    let aborted = false
    let finish: (r: ApiResult<{ jobId: string }>) => void = () => {}
    api.createFromFiles = (_files, opts) => {
      progress = opts?.onProgress
      opts?.signal?.addEventListener('abort', () => {
        aborted = true
        finish({ ok: false, error: { code: 'cancelled', message: 'the upload of big.iso was cancelled' } })
      })
      return new Promise(resolve => { finish = resolve })
    }
    const uploading = store.getState().createFromFiles([new File(['x'], 'big.iso')])
    act(() => progress?.({ bytesSent: 1_300_000_000, bytesTotal: 2_600_000_000 }))
    expect(screen.getByTestId('upload-bytes').textContent).toBe('1.3 GB of 2.6 GB')
    expect(screen.getByRole('progressbar', { name: 'Uploading big.iso' }).getAttribute('aria-valuetext')).toBe('50%')
    fireEvent.click(screen.getByTestId('upload-cancel'))
    await act(async () => { await uploading })
    expect(aborted).toBe(true)
    expect(screen.queryByTestId('upload')).toBeNull()
    // A cancel is what the person asked for: a notice, not an error.
    expect(store.getState().lastError).toBeNull()
    expect(store.getState().notice).toContain('Upload of big.iso cancelled')
  })
})
