// The CLI's door to a running device: the local API takes the window's Command, validated by the
// same parseCommand, and answers with ApiResult; it reads the window's AppState. A second device
// for the same data directory is refused while the first runs.
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAgent, type RunningAgent } from '../../../main/agent/run-agent.js'
import type { LocalClient } from '../../../main/core/app/local-client.js'
import { startDevice } from './started-device.js'

let dataDir = ''
let agent: RunningAgent
let base = ''
let token = ''
/** The command line's client of a device in another process: over this local API. */
let http: LocalClient

async function post (body: unknown, auth = token): Promise<{ status: number; body: unknown }> {
  const r = await fetch(`${base}/v1/local/commands`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${auth}` }, body: JSON.stringify(body) })
  return { status: r.status, body: await r.json() as unknown }
}

beforeAll(async () => {
  ({ dataDir, agent, base, token, http } = await startDevice('sd-local-api-', 'unit'))
}, 30_000)

afterAll(async () => {
  await agent?.stop()
  if (dataDir !== '') rmSync(dataDir, { recursive: true, force: true })
})

describe('local API: one command route', () => {
  it('refuses a trust of anything but a device id, with the contract\'s message', async () => {
    const r = await post({ type: 'trust', id: 'lab-01' })
    expect(r).toEqual({ status: 400, body: { ok: false, error: { code: 'bad-request', message: 'id must be a device id (32 lowercase hex digits)' } } })
  })

  it('refuses unknown commands and fields', async () => {
    expect((await post({ type: 'explode' })).status).toBe(400)
    expect((await post({ type: 'decline', offerId: 'ab12', extra: 1 })).body).toMatchObject({ ok: false, error: { code: 'bad-request' } })
  })

  it('runs a valid command through the app service, and the state shows it', async () => {
    const id = 'a'.repeat(32)
    expect(await post({ type: 'trust', id })).toEqual({ status: 200, body: { ok: true, value: {} } })
    const state = await http.state()
    if (!state.ok) throw new Error(state.error.message)
    expect(state.value.self.name).toBe('unit')
    expect(state.value.machines.find(m => m.id === id)?.trusted).toBe(true)
    expect(await post({ type: 'untrust', id: 'b'.repeat(32) })).toEqual({ status: 404, body: { ok: false, error: { code: 'not-found', message: 'that device is not trusted' } } })
  })

  it('answers a failure with the status of its code', async () => {
    const r = await post({ type: 'decline', offerId: 'no-such-offer' })
    expect(r.status).toBe(404)
    expect(r.body).toMatchObject({ ok: false, error: { code: 'unknown-offer' } })
  })

  it('needs the token', async () => {
    const r = await post({ type: 'pause' }, 'wrong')
    expect(r).toMatchObject({ status: 401, body: { ok: false, error: { code: 'unauthorized' } } })
  })

  it('holds GET /v1/local/state/next until the state moves, instead of being asked again and again', async () => {
    // The CLI's send --wait and send --all wait here: a change (a trust) answers the wait within
    // a tick of the app (250 ms), long before `within`. (Other agents of a parallel test run may
    // move this state too: the waits go on until the trust shows.)
    const id = 'c'.repeat(32)
    const waitForTrust = async (): Promise<number> => {
      for (let i = 0; i < 20; i++) {
        const r = await fetch(`${base}/v1/local/state/next?within=20000`, { headers: { authorization: `Bearer ${token}` } })
        expect(r.status).toBe(200)
        const body = await r.json() as { machines?: Array<{ id: string, trusted: boolean }> }
        if (body.machines?.find(m => m.id === id)?.trusted === true) return Date.now()
      }
      throw new Error('the trust never showed')
    }
    const seen = waitForTrust()
    await new Promise(resolve => setTimeout(resolve, 300))
    const trustedAt = Date.now()
    expect((await post({ type: 'trust', id })).status).toBe(200)
    expect(await seen - trustedAt).toBeLessThan(3_000)
  })

  it('answers GET /v1/local/state/next at `within` when nothing moves, and refuses a bad `within`', async () => {
    const r = await fetch(`${base}/v1/local/state/next?within=0`, { headers: { authorization: `Bearer ${token}` } })
    expect(r.status).toBe(200)
    expect(await r.json()).toMatchObject({ self: { name: 'unit' } })
    const next = await http.nextState(0)
    expect(next.ok && next.value.self.name).toBe('unit')
    for (const bad of ['-1', '1.5', 'soon', '60001']) {
      const refused = await fetch(`${base}/v1/local/state/next?within=${bad}`, { headers: { authorization: `Bearer ${token}` } })
      expect(refused.status).toBe(400)
      expect(await refused.json()).toEqual({ ok: false, error: { code: 'bad-request', message: 'within must be a whole number of milliseconds from 0 to 60000' } })
    }
    const anonymous = await fetch(`${base}/v1/local/state/next?within=0`)
    expect(anonymous.status).toBe(401)
  })

  it('ends a wait for the next state at once when its caller goes away', async () => {
    const gone = new AbortController()
    const started = Date.now()
    const waiting = agent.app.nextState(60_000, gone.signal)
    setTimeout(() => gone.abort(), 50)
    const state = await waiting
    expect(state.self.name).toBe('unit')
    expect(Date.now() - started).toBeLessThan(2_000)
  })

  it('refuses a second device for the same data directory while the first runs', async () => {
    const second = await runAgent({ dataDir, overrides: { btPort: 0, controlPort: 0 } })
    expect(second.ok).toBe(false)
    if (!second.ok) expect(second.error).toEqual({ code: 'device-running', message: `a device already runs for ${dataDir} (process ${process.pid})` })
  })

  it('stops on the stop command, after answering', async () => {
    expect(await post({ type: 'stop' })).toEqual({ status: 200, body: { ok: true, value: {} } })
    await agent.stopRequested
  })
})
