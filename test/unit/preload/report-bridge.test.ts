// The desktop bridge's report method sends the report command, with the infohash only when given.
import { describe, expect, it } from 'vitest'
import { createIpcApi } from '../../../preload/ipc-bridge.js'

describe('preload IPC bridge: report', () => {
  it('sends report as its command', async () => {
    const sent: unknown[] = []
    const api = createIpcApi({ invoke: async (_channel, payload) => { sent.push(payload); return { ok: true, value: {} } }, on: () => () => {} }, () => '')
    await api.report('ab'.repeat(20))
    await api.report()
    expect(sent).toEqual([{ type: 'report', infoHash: 'ab'.repeat(20) }, { type: 'report' }])
  })
})
