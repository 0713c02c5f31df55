import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { INFO_HASH, appState, emptyState, machine, offer, originDistribution } from '../test/fixtures.js'
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
})
