// A `send` that starts its own device reaches it through the AppService directly (InProcessClient),
// not over loopback HTTP to itself. It must answer as the local API does for another process:
// the same state, the same replies and refusals to commands, a wait for the next state that a
// change ends.
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppState, Command } from '../../../common/api.js'
import type { RunningAgent } from '../../../main/agent/run-agent.js'
import { InProcessClient } from '../../../main/core/app/in-process-client.js'
import type { LocalClient } from '../../../main/core/app/local-client.js'
import { startDevice } from './started-device.js'

let dataDir = ''
let agent: RunningAgent
let http: LocalClient

beforeAll(async () => {
  ({ dataDir, agent, http } = await startDevice('sd-in-process-', 'inproc'))
}, 30_000)

afterAll(async () => {
  await agent?.stop()
  if (dataDir !== '') rmSync(dataDir, { recursive: true, force: true })
})

/** What both clients must agree on (rates and clocks move between two calls). */
function stable (s: AppState): unknown {
  return { self: s.self, settings: s.settings, machines: s.machines.map(m => ({ id: m.id, trusted: m.trusted })), groups: s.groups, offers: s.offers }
}

describe('the in-process client of a device', () => {
  it('is what a command run in the device\'s own process is given', () => {
    expect(agent.client).toBeInstanceOf(InProcessClient)
  })

  it('reads the state the local API gives another process', async () => {
    const direct = await agent.client.state()
    const remote = await http.state()
    if (!direct.ok || !remote.ok) throw new Error('a state could not be read')
    expect(direct.value.self.name).toBe('inproc')
    expect(stable(direct.value)).toEqual(stable(remote.value))
  })

  it('answers commands and refuses bad ones as the local API does', async () => {
    const id = 'd'.repeat(32)
    expect(await agent.client.run({ type: 'trust', id })).toEqual({ ok: true, value: {} })
    const seen = await http.state()
    expect(seen.ok && seen.value.machines.find(m => m.id === id)?.trusted).toBe(true)
    const unknown = { type: 'untrust', id: 'e'.repeat(32) } as const
    expect(await agent.client.run(unknown)).toEqual(await http.run(unknown))
    expect(await agent.client.run(unknown)).toEqual({ ok: false, error: { code: 'not-found', message: 'that device is not trusted' } })
    // Fields the contract does not know are refused by the same parseCommand, not passed on.
    const extra = { type: 'decline', offerId: 'ab12', extra: 1 } as unknown as Command
    const refused = await agent.client.run(extra as Extract<Command, { type: 'decline' }>)
    expect(refused).toMatchObject({ ok: false, error: { code: 'bad-request' } })
    expect(refused).toEqual(await http.run(extra as Extract<Command, { type: 'decline' }>))
  })

  it('waits for the next state until a change, and answers at once when nothing is awaited', async () => {
    const id = 'f'.repeat(32)
    const started = Date.now()
    const waiting = (async () => {
      for (let i = 0; i < 20; i++) {
        const next = await agent.client.nextState(20_000)
        if (next.ok && next.value.machines.find(m => m.id === id)?.trusted === true) return Date.now()
      }
      throw new Error('the trust never showed')
    })()
    await new Promise(resolve => setTimeout(resolve, 300))
    const trustedAt = Date.now()
    expect((await agent.client.run({ type: 'trust', id })).ok).toBe(true)
    expect(await waiting - trustedAt).toBeLessThan(3_000)
    const now = await agent.client.nextState(0)
    expect(now.ok && now.value.self.name).toBe('inproc')
    expect(Date.now() - started).toBeLessThan(10_000)
  })
})
