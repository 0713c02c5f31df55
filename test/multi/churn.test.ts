// The truth when a machine dies and comes back: a recipient killed (SIGKILL) mid-transfer is shown
// lost on the origin within 3 s (its connections close) and on the other recipient within 10 s; restarted on the same data directory
// after discovery dropped it, it is listed again within 10 s, resumes and verifies; every member
// row on every machine then reads verified, and a re-send of the held file completes at once.
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { isProgress, isRecipientUpdate, isVerified } from './agent-events.js'
import type { LabAgent } from './lab-agent.js'
import { labFixture, lastJson } from './lab-fixture.js'
import { statusOn } from './status-json.js'

const MiB = 1024 * 1024
// Recipients receive at 40 Mbit/s: 40 MiB take about 9 s, long enough to act in the middle.
const fx = labFixture([{ name: 'origin' }, { downMbit: 40 }, { downMbit: 40 }], 'churn')
const agents: LabAgent[] = []
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

interface Row { id: string; name: string; state: string; rate: number; etaSeconds: number | null; verified: boolean; lostSince?: string; alreadyHad?: boolean }

async function rows (i: number, infoHash: string): Promise<readonly Row[]> {
  const d = (await statusOn(fx, i, 10_000)).distributions.find(x => x.infoHash === infoHash)
  return d?.members ?? []
}

async function peerNames (i: number): Promise<string[]> {
  const r = await fx.cli(i, ['peers', '--json'], 10_000)
  if (r.code !== 0) throw new Error(`peers on host ${i} failed: ${r.stderr}`)
  return lastJson<Array<{ name: string }>>(r.stdout).map(p => p.name)
}

/** Polls `check` until it holds; returns the seconds it took, or throws with `what` after `ms`. */
async function within (what: string, ms: number, check: () => Promise<boolean>): Promise<number> {
  const start = Date.now()
  while (Date.now() - start < ms) {
    if (await check()) return (Date.now() - start) / 1000
    await new Promise(r => setTimeout(r, 300))
  }
  throw new Error(`${what}: not within ${ms / 1000} s`)
}

beforeAll(async () => {
  agents.push(fx.agent(0, 'origin'), fx.agent(1, 'lab-01'), fx.agent(2, 'lab-02'))
  for (const a of agents) await a.start()
}, 60_000)

describe('a machine that dies and comes back', () => {
  it('is shown lost within 10 s, found again within 10 s of its restart, and ends verified everywhere', async () => {
    const [, r1, r2] = agents as [LabAgent, LabAgent, LabAgent]
    const file = join(fx.work, 'image.bin')
    const data = randomBytes(40 * MiB)
    writeFileSync(file, data)
    const sent = await fx.cli(0, ['send', file, '--to', 'lab-01,lab-02', '--json'], 60_000)
    expect(sent.code, sent.stderr).toBe(0)
    const infoHash = lastJson<{ infoHash: string }>(sent.stdout).infoHash
    const id2 = (await r2.waitFor(e => e.event === 'listening', 1_000, 'listening', 0) as { id: string }).id

    await r2.waitFor(e => isProgress(e) && e.name === 'image.bin' && e.verifiedBytes > 8 * MiB, 30_000, 'lab-02 past 8 MiB', 0)
    const [origin] = agents as [LabAgent]
    const fromEvents = origin.events.length
    await r2.kill()
    const killedAt = Date.now()
    // The origin asks as soon as lab-02's connections close (the kernel closes a killed process's
    // sockets), not after 4 s without reports.
    const lostEvent = await origin.waitFor(e => isRecipientUpdate(e) && e.recipient.id === id2 && e.recipient.state === 'lost', 10_000, 'lab-02 lost on the origin', fromEvents)
    console.log(`lab-02 lost on the origin ${((lostEvent.time - killedAt) / 1000).toFixed(2)} s after the kill`)
    expect(lostEvent.time - killedAt).toBeLessThan(3_000)

    // Lost on the origin and on the other recipient, with no rate and no ETA, within 10 s.
    const lostOn = async (i: number): Promise<boolean> => {
      const row = (await rows(i, infoHash)).find(r => r.id === id2)
      return row?.state === 'lost' && row.rate === 0 && row.etaSeconds === null && typeof row.lostSince === 'string'
    }
    await within('origin shows lab-02 lost', 10_000 - (Date.now() - killedAt), async () => await lostOn(0))
    await within('lab-01 shows lab-02 lost', 10_000 - (Date.now() - killedAt), async () => await lostOn(1))
    // The summary leaves it out of the ETA: the origin's rows hold no receiving lab-02.
    expect((await rows(0, infoHash)).filter(r => r.id === id2 && r.state === 'downloading')).toEqual([])

    // Past the moment discovery drops it (16 s without an answer), as after a reboot.
    await within('origin drops lab-02 from its machines', 30_000, async () => !(await peerNames(0)).includes('lab-02'))
    await r2.start()
    const restarted = Date.now()
    await within('origin lists lab-02 again', 10_000, async () => (await peerNames(0)).includes('lab-02'))
    await within('lab-01 lists lab-02 again', 10_000 - (Date.now() - restarted), async () => (await peerNames(1)).includes('lab-02'))
    console.log(`lab-02 listed again ${((Date.now() - restarted) / 1000).toFixed(1)} s after its restart`)

    await r2.waitFor(e => isVerified(e) && e.name === 'image.bin', 90_000, 'lab-02 to verify after its restart')
    await r1.waitFor(e => isVerified(e) && e.name === 'image.bin', 90_000, 'lab-01 to verify', 0)
    for (const i of [1, 2]) expect(sha(readFileSync(join(fx.work, `dl${i}`, 'image.bin')))).toBe(sha(data))

    // Every member row on every machine reads verified.
    for (const i of [0, 1, 2]) {
      await within(`every row verified on host ${i}`, 15_000, async () => {
        const all = await rows(i, infoHash)
        return all.length === 3 && all.every(r => r.state === 'verified' && r.verified)
      })
    }

    // Sending the held file again completes at once, and says it was already there.
    const again = Date.now()
    const resent = await fx.cli(0, ['send', file, '--to', 'lab-01,lab-02', '--wait', '--timeout', '60', '--json'], 70_000)
    expect(resent.code, resent.stderr).toBe(0)
    expect(Date.now() - again).toBeLessThan(15_000)
    const summary = lastJson<{ ok: boolean; recipients: Array<{ name: string; status: string }> }>(resent.stdout)
    expect(summary.recipients.map(r => r.status)).toEqual(['verified', 'verified'])
    const after = await rows(0, infoHash)
    expect(after.filter(r => r.alreadyHad === true).map(r => r.name).sort()).toEqual(['lab-01', 'lab-02'])
  }, 240_000)

  it('send --wait says at once that its device died (kill -9), and the copies finish when it runs again', async () => {
    const [origin, r1, r2] = agents as [LabAgent, LabAgent, LabAgent]
    const file = join(fx.work, 'second.bin')
    const data = randomBytes(40 * MiB)
    writeFileSync(file, data)
    const from1 = r1.events.length
    const waiting = fx.cli(0, ['send', file, '--to', 'lab-01,lab-02', '--wait'], 120_000)
    await r1.waitFor(e => isProgress(e) && e.name === 'second.bin' && e.verifiedBytes > 8 * MiB, 60_000, 'lab-01 past 8 MiB', from1)
    await origin.kill()
    const killedAt = Date.now()
    const ended = await waiting
    // Not at its --timeout (none here: it would have waited for good), but a few seconds after.
    expect(Date.now() - killedAt).toBeLessThan(15_000)
    expect(ended.code).toBe(1)
    expect(ended.stderr).toContain('the device sending second.bin stopped answering')
    await origin.start()
    for (const r of [r1, r2]) await r.waitFor(e => isVerified(e) && e.name === 'second.bin', 90_000, `${r === r1 ? 'lab-01' : 'lab-02'} to verify after the origin's restart`, 0)
    for (const i of [1, 2]) expect(sha(readFileSync(join(fx.work, `dl${i}`, 'second.bin')))).toBe(sha(data))
  }, 240_000)
})
