// The preload's answers when the IPC itself misbehaves, and the view hashes it sets on request.
import { describe, expect, it } from 'vitest'
import { navigateHash } from '../../../common/ipc.js'
import { createIpcApi } from '../../../preload/ipc-bridge.js'

const noPath = (): string => ''

describe('preload IPC bridge', () => {
  it('turns a failed invoke into an error result instead of a rejected promise', async () => {
    const api = createIpcApi({
      invoke: async () => { throw new Error("No handler registered for 'swarmdrop:command'") },
      on: () => () => {}
    }, noPath)
    const r = await api.pause()
    expect(r).toEqual({ ok: false, error: { code: 'ipc', message: "the app did not answer: No handler registered for 'swarmdrop:command'" } })
  })

  it('refuses a reply that is not a result', async () => {
    const api = createIpcApi({ invoke: async () => ({ hello: 1 }), on: () => () => {} }, noPath)
    expect(await api.getState()).toMatchObject({ ok: false, error: { code: 'ipc' } })
  })

  it('sends each method as its command, without fields the caller left out', async () => {
    const sent: unknown[] = []
    const api = createIpcApi({
      invoke: async (_channel, payload) => { sent.push(payload); return { ok: true, value: {} } },
      on: () => () => {}
    }, noPath)
    await api.accept('o1')
    await api.accept('o2', { alwaysTrust: true })
    await api.resume('ab'.repeat(20))
    await api.offer('cd'.repeat(20), ['x'.repeat(32)])
    expect(sent).toEqual([
      { type: 'accept', offerId: 'o1' },
      { type: 'accept', offerId: 'o2', alwaysTrust: true },
      { type: 'resume', infoHash: 'ab'.repeat(20) },
      { type: 'offer', infoHash: 'cd'.repeat(20), to: ['x'.repeat(32)] }
    ])
  })

  it('maps navigation targets to view hashes and ignores anything else', () => {
    expect(navigateHash({ view: 'incoming' })).toBe('#/incoming')
    expect(navigateHash({ view: 'distribution', infoHash: 'ab'.repeat(20) })).toBe(`#/distribution/${'ab'.repeat(20)}`)
    expect(navigateHash({ view: 'distribution', infoHash: '../../etc' })).toBeNull()
    expect(navigateHash('incoming')).toBeNull()
  })
})
