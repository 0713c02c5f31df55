// The CLI's door to a running device: the local API takes the window's Command, validated by the
// same parseCommand, and answers with ApiResult; it reads the window's AppState. A second device
// for the same data directory is refused while the first runs.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readHolder } from '../../../main/core/app/device-lock.js'
import { runAgent, type RunningAgent } from '../../../main/agent/run-agent.js'

const dataDir = mkdtempSync(join(tmpdir(), 'sd-local-api-'))
let agent: RunningAgent
let base = ''
let token = ''

async function post (body: unknown, auth = token): Promise<{ status: number; body: unknown }> {
  const r = await fetch(`${base}/v1/local/commands`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${auth}` }, body: JSON.stringify(body) })
  return { status: r.status, body: await r.json() as unknown }
}

beforeAll(async () => {
  const started = await runAgent({ dataDir, overrides: { btPort: 0, controlPort: 0, name: 'unit' } })
  if (!started.ok) throw new Error(started.error.message)
  agent = started.value
  const holder = await readHolder(dataDir)
  if (holder?.state !== 'running') throw new Error('the device did not publish agent.json')
  base = `http://127.0.0.1:${holder.agent.localPort}`
  token = holder.agent.token
}, 30_000)

afterAll(async () => {
  await agent?.stop()
  rmSync(dataDir, { recursive: true, force: true })
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
    const state = await agent.client.state()
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
