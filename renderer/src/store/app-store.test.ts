import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ApiResult } from '../../../preload/api.js'
import { INFO_HASH, appState, emptyState, machine, offer, originDistribution, recipientDistribution } from '../test/fixtures.js'
import { RecordingApi } from '../test/recording-api.js'
import { settle } from '../test/settle.js'
import { NOTICE_MS, createUiStore } from './app-store.js'

describe('UI store', () => {
  beforeEach(() => { vi.useFakeTimers() })
  afterEach(() => { vi.useRealTimers() })

  it('connects: loads the state, follows updates, and selects the first distribution', async () => {
    const api = new RecordingApi(appState())
    const store = createUiStore(api)
    expect(store.getState().connection.status).toBe('connecting')
    const stop = store.getState().start(1000)
    await settle()
    expect(store.getState().connection.status).toBe('connected')
    expect(store.getState().selected).toBe(INFO_HASH)
    api.push(appState({ rates: { upload: 5, download: 6 } }))
    expect(store.getState().app?.rates.download).toBe(6)
    stop()
    expect(api.listenerCount).toBe(0)
  })

  it('reports a lost link with the transport\'s message, and recovers', async () => {
    const api = new RecordingApi(appState())
    const store = createUiStore(api)
    const stop = store.getState().start(1000)
    await settle()
    api.reply('getState', { ok: false, error: { code: 'disconnected', message: 'The agent closed the connection.' } })
    await vi.advanceTimersByTimeAsync(1000)
    const lost = store.getState().connection
    // Since the last answer, a heartbeat before: the state on screen is that old.
    expect(lost).toEqual({ status: 'lost', message: 'The agent closed the connection.', since: new Date(Date.now() - 1000).toISOString() })
    // Since the first failure, not the latest.
    await vi.advanceTimersByTimeAsync(1000)
    expect(store.getState().connection).toEqual(lost)
    // The last known state stays on screen.
    expect(store.getState().app).not.toBeNull()
    api.reply('getState', { ok: true, value: appState() })
    await vi.advanceTimersByTimeAsync(1000)
    expect(store.getState().connection.status).toBe('connected')
    stop()
  })

  it('marks the link lost when a command finds it down, until a new state arrives', async () => {
    const state = appState()
    const api = new RecordingApi(state)
    const store = createUiStore(api)
    const stop = store.getState().start(1000)
    await settle()
    api.reply('pause', { ok: false, error: { code: 'disconnected', message: 'not connected to the agent right now' } })
    await store.getState().pause()
    expect(store.getState().connection.status).toBe('lost')
    // The heartbeat answered from a cache (the same state object): still lost.
    await vi.advanceTimersByTimeAsync(1000)
    expect(store.getState().connection.status).toBe('lost')
    api.push(appState())
    expect(store.getState().connection.status).toBe('connected')
    stop()
  })

  it('says at once when the bridge reports the link lost, keeps those words, and says when it is back', async () => {
    // The web bridge's LinkWatch: its socket to the agent closed.
    const api = Object.assign(new RecordingApi(appState()), {
      lost: new Set<(message: string) => void>(),
      onLinkLost (listener: (message: string) => void) {
        this.lost.add(listener)
        return () => { this.lost.delete(listener) }
      }
    })
    const store = createUiStore(api)
    const stop = store.getState().start(5000)
    await settle()
    await vi.advanceTimersByTimeAsync(3000)
    for (const l of api.lost) l('The agent closed the connection.')
    // Now, not at the next heartbeat; and the state on screen was live until now, not 3 s ago.
    expect(store.getState().connection).toEqual({ status: 'lost', message: 'The agent closed the connection.', since: new Date(Date.now()).toISOString() })
    // What the heartbeat then finds does not reword the alert.
    api.reply('getState', { ok: false, error: { code: 'disconnected', message: 'not connected to the agent right now' } })
    await vi.advanceTimersByTimeAsync(5000)
    expect(store.getState().connection).toMatchObject({ message: 'The agent closed the connection.' })
    // Back, with a new state after 12 s: said, and unsaid once the link is lost again.
    await vi.advanceTimersByTimeAsync(7000)
    api.push(appState())
    expect(store.getState().connection.status).toBe('connected')
    expect(store.getState().notice).toBe('Connected to lab-07 again (lost for 0:12). What you see is current.')
    for (const l of api.lost) l('The agent closed the connection.')
    expect(store.getState().notice).toBeNull()
    stop()
    expect(api.lost.size).toBe(0)
  })

  it('says nothing of a link back when the window never had a state', async () => {
    const api = new RecordingApi(appState())
    api.reply('getState', { ok: false, error: { code: 'starting', message: 'The engine is starting.' } })
    const store = createUiStore(api)
    const stop = store.getState().start(1000)
    await settle()
    expect(store.getState().connection.status).toBe('lost')
    api.push(appState())
    expect(store.getState().connection.status).toBe('connected')
    expect(store.getState().notice).toBeNull()
    stop()
  })

  it('turns a failed command into the visible error and a success clears it', async () => {
    const api = new RecordingApi(appState())
    const store = createUiStore(api)
    api.reply('offer', { ok: false, error: { code: 'not-found', message: 'That distribution is gone.' } })
    await store.getState().offer(INFO_HASH, [machine(1).id])
    expect(store.getState().lastError?.message).toBe('That distribution is gone.')
    api.reply('offer', { ok: true, value: { offered: 2 } })
    await store.getState().offer(INFO_HASH, [machine(1).id, machine(2).id])
    expect(store.getState().lastError).toBeNull()
    expect(store.getState().notice).toBe('Offered to 2 machines.')
  })

  it('clears the "Offered to" notice once every machine offered to has answered', async () => {
    const pending = originDistribution()
    const asked = { ...pending, members: pending.members.map(m => m.name === 'lab-02' ? { ...m, state: 'pending' as const } : m) }
    const api = new RecordingApi(appState({ distributions: [asked] }))
    const store = createUiStore(api)
    store.getState().receive(appState({ distributions: [asked] }))
    await store.getState().offer(INFO_HASH, [machine(2).id])
    expect(store.getState().notice).toBe('Offered to 1 machine.')
    // Still waiting for lab-02's answer: the notice stays.
    store.getState().receive(appState({ distributions: [asked] }))
    expect(store.getState().notice).toBe('Offered to 1 machine.')
    store.getState().receive(appState({ distributions: [pending] }))
    expect(store.getState().notice).toBeNull()
  })

  it('clears a notice after a few seconds even when answers are slow', async () => {
    const api = new RecordingApi(appState())
    const store = createUiStore(api)
    await store.getState().offer(INFO_HASH, ['ff'.repeat(16)])
    expect(store.getState().notice).toBe('Offered to 1 machine.')
    await vi.advanceTimersByTimeAsync(NOTICE_MS)
    expect(store.getState().notice).toBeNull()
  })

  it('confirms a decline to the one who declined, naming the file and the sender, then clears it', async () => {
    const api = new RecordingApi(appState({ offers: [offer()] }))
    const store = createUiStore(api)
    store.getState().receive(appState({ offers: [offer()] }))
    await store.getState().decline('of-5a1c2e7d')
    expect(store.getState().notice).toBe('You declined hls-2024-06.tar from lab-01.')
    await vi.advanceTimersByTimeAsync(NOTICE_MS)
    expect(store.getState().notice).toBeNull()
  })

  it('an answered offer leaves the incoming list at once, before the next state arrives', async () => {
    const api = new RecordingApi(appState({ offers: [offer()] }))
    const store = createUiStore(api)
    store.getState().receive(appState({ offers: [offer()] }))
    await store.getState().decline('of-5a1c2e7d')
    expect(store.getState().app?.offers).toEqual([])
    store.getState().receive(appState({ offers: [offer()] }))
    await store.getState().accept('of-5a1c2e7d')
    expect(store.getState().app?.offers).toEqual([])
  })

  it('tells the sender at once when a machine declines, briefly', async () => {
    const d = originDistribution()
    const lab02 = (state: 'pending' | 'declined') => appState({ distributions: [{ ...d, members: d.members.map(m => m.name === 'lab-02' ? { ...m, state } : m) }] })
    const store = createUiStore(new RecordingApi(lab02('pending')))
    store.getState().receive(lab02('pending'))
    store.getState().receive(lab02('declined'))
    expect(store.getState().notice).toBe('lab-02 declined ubuntu-24.04-server.iso.')
    await vi.advanceTimersByTimeAsync(NOTICE_MS)
    expect(store.getState().notice).toBeNull()
  })

  it('turns a thrown transport error into an ApiResult', async () => {
    const api = new RecordingApi(appState())
    api.pause = () => Promise.reject(new Error('socket hang up'))
    const store = createUiStore(api)
    const result = await store.getState().pause()
    expect(result.ok).toBe(false)
    expect(store.getState().lastError?.message).toBe('socket hang up')
  })

  it('says where the folder is when the shell cannot open it', async () => {
    const api = new RecordingApi(appState())
    api.reply('openFolder', { ok: true, value: { path: '/srv/drop/ubuntu.iso', opened: false } })
    const store = createUiStore(api)
    await store.getState().openFolder(INFO_HASH)
    expect(store.getState().notice).toContain('/srv/drop/ubuntu.iso')
  })

  it('keeps ticked machines as a set and clears them after a send', async () => {
    const api = new RecordingApi(appState())
    const store = createUiStore(api)
    const s = store.getState()
    s.toggleMachine('a', true)
    s.toggleMachine('b', true)
    s.toggleMachine('a', true)
    expect(store.getState().ticked).toEqual(['b', 'a'])
    store.getState().toggleMachine('b', false)
    expect(store.getState().ticked).toEqual(['a'])
    await store.getState().offer(INFO_HASH, ['a'])
    expect(store.getState().ticked).toEqual([])
  })

  it('refuses a second upload while one runs, keeping the first one\'s bar and Cancel', async () => {
    const api = new RecordingApi(appState({ shell: 'web' }))
    let finish: (r: ApiResult<{ jobId: string }>) => void = () => {}
    let signal: AbortSignal | undefined
    api.createFromFiles = (_files, opts) => {
      signal = opts?.signal
      return new Promise(resolve => { finish = resolve })
    }
    const store = createUiStore(api)
    store.getState().receive(appState({ shell: 'web' }))
    const first = store.getState().createFromFiles([new File(['a'], 'one.iso')])
    const second = await store.getState().createFromFiles([new File(['b'], 'two.iso')])
    expect(second.ok ? '' : second.error.message).toBe('two.iso was not uploaded: one.iso is still uploading; wait for it or cancel it, then drop the file again')
    expect(store.getState().lastError?.code).toBe('busy')
    expect(store.getState().submitting?.name).toBe('one.iso')
    store.getState().cancelUpload()
    expect(signal?.aborted).toBe(true)
    finish({ ok: false, error: { code: 'cancelled', message: 'the upload of one.iso was cancelled' } })
    await first
    expect(store.getState().submitting).toBeNull()
  })

  it('selects the distribution a dropped file becomes once it is hashed', async () => {
    const api = new RecordingApi(emptyState())
    const store = createUiStore(api)
    store.getState().receive(emptyState())
    const file = new File(['hello'], 'notes.txt')
    await store.getState().createFromFiles([file])
    expect(api.callsOf('createFromFiles')).toEqual([[[file]]])
    const job = { jobId: 'job-1', path: '/tmp/notes.txt', name: 'notes.txt', bytesDone: 2, bytesTotal: 5 }
    store.getState().receive(emptyState({ hashing: [job] }))
    expect(store.getState().pendingCreate?.seen).toBe(true)
    store.getState().setView('machines')
    const made = originDistribution({ name: 'notes.txt', infoHash: 'b'.repeat(40) })
    store.getState().receive(emptyState({ distributions: [originDistribution(), made] }))
    expect(store.getState().selected).toBe('b'.repeat(40))
    expect(store.getState().view).toBe('distribution')
    expect(store.getState().pendingCreate).toBeNull()
  })

  it('unselects a distribution that disappears and resets the piece view on a new selection', () => {
    const api = new RecordingApi(appState())
    const store = createUiStore(api)
    store.getState().receive(appState())
    store.getState().setPieceView({ member: machine(1).id })
    store.getState().receive(emptyState())
    expect(store.getState().selected).toBeNull()
    expect(store.getState().pieceView).toBe('swarm')
  })

  describe('remove', () => {
    const third = originDistribution({ infoHash: 'c'.repeat(40), name: 'notes.txt' })
    const setUp = (...dists: ReturnType<typeof originDistribution>[]) => {
      const state = appState({ distributions: dists })
      const api = new RecordingApi(state)
      const store = createUiStore(api)
      store.getState().receive(state)
      return { api, store }
    }

    it('stops sending on the origin: says how many machines were told, moves to the next distribution at once', async () => {
      const copy = recipientDistribution({}, { verified: true })
      const { api, store } = setUp(originDistribution(), copy, third)
      api.reply('remove', { ok: true, value: { name: 'ubuntu-24.04-server.iso', outcome: 'withdrawn', told: 3, unreached: 0, deletedBytes: 0 } })
      await store.getState().remove(INFO_HASH)
      expect(api.callsOf('remove')).toEqual([[INFO_HASH, undefined]])
      expect(store.getState().notice).toBe('Stopped sending ubuntu-24.04-server.iso: 3 machines told to stop.')
      expect(store.getState().selected).toBe(copy.infoHash)
      // It leaves the list before the next state says so; a state that still has it keeps the selection.
      expect(store.getState().app?.distributions.map(d => d.infoHash)).toEqual([copy.infoHash, third.infoHash])
      store.getState().receive(appState({ distributions: [originDistribution(), copy, third] }))
      expect(store.getState().selected).toBe(copy.infoHash)
      await vi.advanceTimersByTimeAsync(NOTICE_MS)
      expect(store.getState().notice).toBeNull()
    })

    it('moves to the one before when the last in the list goes, and to the empty state when none is left', async () => {
      const { api, store } = setUp(originDistribution(), third)
      store.getState().select(third.infoHash)
      await store.getState().remove(third.infoHash)
      expect(store.getState().selected).toBe(INFO_HASH)
      api.reply('remove', { ok: true, value: { name: 'ubuntu-24.04-server.iso', outcome: 'withdrawn', told: 0, unreached: 1, deletedBytes: 0 } })
      await store.getState().remove(INFO_HASH)
      expect(store.getState().selected).toBeNull()
      expect(store.getState().app?.distributions).toEqual([])
      // Its machines still receiving were not reached now: they stop when they come back (their next report).
      expect(store.getState().notice).toBe('Stopped sending ubuntu-24.04-server.iso: 1 machine not reached now stops when it comes back.')
    })

    it('keeps the selection when another distribution is removed', async () => {
      const { store } = setUp(originDistribution(), third)
      await store.getState().remove(third.infoHash)
      expect(store.getState().selected).toBe(INFO_HASH)
    })

    it('says what a cancel deleted, and what a removed copy kept or deleted', async () => {
      const dl = recipientDistribution()
      const folder = recipientDistribution({ infoHash: 'd'.repeat(40), name: 'hls-2024-06', isFolder: true }, { verified: true })
      const { api, store } = setUp(dl, folder)
      api.reply('remove', { ok: true, value: { name: dl.name, outcome: 'cancelled', told: 1, unreached: 0, deletedBytes: 512_000_000 } })
      await store.getState().remove(dl.infoHash)
      expect(store.getState().notice).toBe('Cancelled ubuntu-24.04-server.iso: 512 MB received were deleted.')
      api.reply('remove', { ok: true, value: { name: 'hls-2024-06', outcome: 'removed', told: 0, unreached: 0, deletedBytes: 4_200_000_000 } })
      await store.getState().remove(folder.infoHash, { deleteFiles: true })
      expect(api.callsOf('remove').at(-1)).toEqual([folder.infoHash, { deleteFiles: true }])
      expect(store.getState().notice).toBe('Removed hls-2024-06 from this list and deleted its files (4.2 GB).')
    })

    it('a cancel the sender could not hear of, and one with nothing received, say so', async () => {
      const { api, store } = setUp(recipientDistribution())
      api.reply('remove', { ok: true, value: { name: 'ubuntu-24.04-server.iso', outcome: 'cancelled', told: 0, unreached: 0, deletedBytes: 0 } })
      await store.getState().remove('b'.repeat(40))
      expect(store.getState().notice).toBe('Cancelled ubuntu-24.04-server.iso; nothing had been received (the sender could not be told now).')
    })

    it('a failure is the visible error; the distribution stays listed and selected', async () => {
      const { api, store } = setUp(originDistribution(), third)
      api.reply('remove', { ok: false, error: { code: 'not-found', message: 'That distribution is gone.' } })
      await store.getState().remove(INFO_HASH)
      expect(store.getState().lastError?.message).toBe('That distribution is gone.')
      expect(store.getState().notice).toBeNull()
      expect(store.getState().selected).toBe(INFO_HASH)
      expect(store.getState().app?.distributions).toHaveLength(2)
    })
  })
})
