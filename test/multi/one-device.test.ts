// One device per identity: a `send` that runs its own device (no agent for its data directory)
// registers it in agent.json like an agent, so `status`, `peers` and `stop` for that data
// directory talk to it, and `agent` refuses to start a second device with the same key. A claim
// left by a dead process is taken over.
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { labFixture, lastJson } from './lab-fixture.js'
import { peersOn, statusOn } from './status-json.js'

const fx = labFixture([{ name: 'origin' }, { name: 'asker' }], 'one-device')

async function until<T> (what: string, ms: number, check: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    const v = await check()
    if (v !== undefined) return v
    await new Promise(resolve => setTimeout(resolve, 250))
  }
  throw new Error(`${what}: not within ${ms} ms`)
}

/** agent.json of host 0's data directory, once it says where the device listens. */
function published (): { pid: number; localPort: number } | undefined {
  const path = join(fx.work, 'd0', 'agent.json')
  if (!existsSync(path)) return undefined
  try {
    const a = JSON.parse(readFileSync(path, 'utf8')) as { pid?: number; localPort?: number }
    return typeof a.pid === 'number' && typeof a.localPort === 'number' ? { pid: a.pid, localPort: a.localPort } : undefined
  } catch {
    return undefined
  }
}

beforeAll(async () => {
  // Asks: the offer waits for a person, so the send (and its device) stays up.
  await fx.agent(1, 'asker', 'ask').start()
}, 60_000)

describe('one device per data directory', () => {
  it('a send that runs its own device is the device status, peers and stop talk to; agent refuses a second', async () => {
    const file = join(fx.work, 'one.bin')
    writeFileSync(file, randomBytes(256 * 1024))
    const sending = fx.cli(0, ['send', file, '--to', 'asker', '--name', 'origin', '--json'], 120_000)
    const claim = await until('the send registers its device', 20_000, async () => published())

    // The distribution shows as soon as it exists, its member 'offering' until the offer has
    // reached the asking agent: wait for that answer, not the first sight (a loaded machine caught
    // 'offering' once).
    const status = await until('status sees the asker asked', 20_000, async () => {
      const s = await statusOn(fx, 0)
      const member = s.distributions.find(d => d.name === 'one.bin')?.members.find(m => m.name === 'asker')
      return member !== undefined && member.state !== 'offering' ? s : undefined
    })
    expect(status.agentRunning).toBe(true)
    expect(status.distributions.find(d => d.name === 'one.bin')?.members.find(m => m.name === 'asker')?.state).toBe('pending')
    // Answered by the running device at once (a device of its own would listen for 3 s first).
    const started = Date.now()
    expect((await peersOn(fx, 0)).map(m => m.name)).toEqual(['asker'])
    expect(Date.now() - started).toBeLessThan(3_000)

    const second = await fx.cli(0, ['agent', '--name', 'origin'])
    expect(second.code).toBe(2)
    expect(second.stderr).toContain(`a device already runs for ${join(fx.work, 'd0')} (process ${claim.pid})`)

    const stopped = await fx.cli(0, ['stop'])
    expect(stopped.code, stopped.stderr).toBe(0)
    const sent = await sending
    // Stopped before the person answered: the send ends, reporting the recipient not done.
    expect(sent.code, sent.stderr).toBe(1)
    expect(lastJson<{ recipients: Array<{ name: string; status: string }> }>(sent.stdout).recipients).toEqual([expect.objectContaining({ name: 'asker', status: 'timeout' })])
    expect(existsSync(join(fx.work, 'd0', 'agent.json'))).toBe(false)
  }, 150_000)

  it('a claim left by a dead process is taken over', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid
    writeFileSync(join(fx.work, 'd0', 'agent.json'), JSON.stringify({ pid: dead, controlPort: 1, localPort: 1, token: 'stale', startedAt: '' }), { mode: 0o600 })
    const agent = fx.agent(0, 'origin')
    await agent.start()
    expect(published()?.pid).toBe(agent.pid)
    const s = await statusOn(fx, 0)
    expect(s.agentRunning).toBe(true)
    await agent.stop()
    expect(existsSync(join(fx.work, 'd0', 'agent.json'))).toBe(false)
  }, 60_000)
})
