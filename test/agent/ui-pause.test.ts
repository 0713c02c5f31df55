// Pause and resume from the app's UI, on two real agents in a lab: Pause all on the origin serves
// nothing (the recipient gets no piece), a paused download fetches nothing and keeps what it has,
// and both resume where they were until the copy is verified. Driven over each agent's web UI.
import type { ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppState, Distribution } from '../../common/api.js'
import { killGroup } from '../lab/run-command.js'
import { labFixture } from '../multi/lab-fixture.js'
import { startRelay, uiAddress } from './ui-client.js'
import { UiSession } from './ui-session.js'

const fx = labFixture(2, 'ui-pause')
const relays: ChildProcess[] = []
const sessions: UiSession[] = []
let origin: UiSession
let receiver: UiSession
let receiverId = ''
let originId = ''
const SIZE = 16 * 1024 * 1024 + 4321
let file = ''

async function session (i: number, name: string, accept: 'ask', extra: readonly string[]): Promise<{ s: UiSession; id: string }> {
  const agent = fx.agent(i, name, accept, ['--ui', ...extra])
  const listening = await agent.start()
  await agent.waitFor(e => e.event === 'ui', 15_000, 'its "ui" line', 0)
  const ui = uiAddress(agent.lines)
  const sock = join(fx.work, `ui${i}.sock`)
  relays.push(await startRelay(fx.lab, fx.host(i), sock, ui.port, 180_000))
  const s = await UiSession.open(sock, ui)
  sessions.push(s)
  return { s, id: listening.id }
}

const dist = (s: AppState, infoHash: string): Distribution | undefined => s.distributions.find(d => d.infoHash === infoHash)
const selfRow = (d: Distribution | undefined) => d?.members.find(m => m.self)
const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

beforeAll(async () => {
  file = join(fx.work, 'payload.bin')
  writeFileSync(file, randomBytes(SIZE))
  const o = await session(0, 'origin', 'ask', [])
  origin = o.s
  originId = o.id
  const r = await session(1, 'receiver', 'ask', ['--download-limit', '2000000'])
  receiver = r.s
  receiverId = r.id
}, 90_000)

afterAll(() => {
  for (const s of sessions) s.close()
  for (const r of relays) if (r.pid !== undefined && r.exitCode === null) killGroup(r.pid, 'SIGKILL')
})

describe('pause and resume from the UI', () => {
  it('Pause all serves nothing; a paused download fetches nothing; both resume to a verified copy', async () => {
    expect((await origin.command({ type: 'create', path: file })).ok).toBe(true)
    const infoHash = await origin.until('distribution created', s => s.distributions.find(d => d.name === 'payload.bin')?.infoHash)
    await origin.until('receiver discovered', s => s.machines.some(m => m.id === receiverId && m.online) ? true : undefined)

    // Pause all on the origin, then offer: the receiver accepts but gets nothing.
    expect(await origin.command({ type: 'pause' })).toEqual({ ok: true, value: {} })
    await origin.until('origin paused', s => s.seedingPaused && dist(s, infoHash)?.state === 'paused' ? true : undefined)
    expect(await origin.command({ type: 'offer', infoHash, to: [receiverId] })).toEqual({ ok: true, value: { offered: 1 } })
    // The Incoming card: who sent it, where it lands, whether it fits; accepted from the UI.
    const offer = await receiver.until('offer shown', s => s.offers.find(x => x.infoHash === infoHash))
    expect(offer.sender).toMatchObject({ id: originId, name: 'origin', trusted: false, fingerprint: `${originId.slice(0, 4)}·${originId.slice(4, 8)}` })
    expect(offer).toMatchObject({ name: 'payload.bin', totalLength: SIZE, fileCount: 1 })
    expect(offer.destination.dir).toBe(join(fx.work, 'dl1'))
    expect(offer.destination.fits).toBe(true)
    expect(offer.destination.freeBytes).toBeGreaterThan(SIZE)
    expect(await receiver.command({ type: 'accept', offerId: offer.offerId })).toEqual({ ok: true, value: { infoHash } })
    await receiver.until('download started', s => dist(s, infoHash)?.role === 'recipient' && s.offers.length === 0 ? true : undefined)
    await sleep(3_000)
    const starved = await receiver.until('state', s => dist(s, infoHash))
    expect(selfRow(starved)?.verifiedPieces).toBe(0)

    // Resume all: pieces flow.
    expect((await origin.command({ type: 'resume' })).ok).toBe(true)
    await origin.until('origin seeding', s => !s.seedingPaused && dist(s, infoHash)?.state === 'seeding' ? true : undefined)
    await receiver.until('first pieces', s => (selfRow(dist(s, infoHash))?.verifiedPieces ?? 0) > 2 ? true : undefined, 30_000)

    // Pause the download: no connection, no new piece, and the origin hears it is paused.
    expect((await receiver.command({ type: 'pause', infoHash })).ok).toBe(true)
    const paused = await receiver.until('download paused', s => {
      const d = dist(s, infoHash)
      return d?.state === 'paused' && d.totals.peersConnected === 0 ? d : undefined
    }, 10_000)
    const held = selfRow(paused)?.verifiedPieces ?? 0
    expect(held).toBeLessThan(paused.pieceCount)
    await origin.until('origin sees the receiver paused', s => dist(s, infoHash)?.members.find(m => m.id === receiverId)?.state === 'paused' ? true : undefined, 10_000)
    await sleep(3_000)
    const still = await receiver.until('state', s => dist(s, infoHash))
    expect(still.state).toBe('paused')
    expect(selfRow(still)?.verifiedPieces).toBe(held)
    expect(still.pieces.local.filter(c => c === 2).length).toBe(held)

    // Resume: it finishes from where it was, and the copy is verified.
    expect((await receiver.command({ type: 'resume', infoHash })).ok).toBe(true)
    const done = await receiver.until('verified copy', s => dist(s, infoHash)?.state === 'verified' ? dist(s, infoHash) : undefined, 60_000)
    expect(selfRow(done)?.verified).toBe(true)
    const copy = readFileSync(join(fx.work, 'dl1', 'payload.bin'))
    expect(createHash('sha256').update(copy).digest('hex')).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'))
    await origin.until('origin sees it verified', s => {
      const d = dist(s, infoHash)
      return d?.members.find(m => m.id === receiverId)?.verified === true && d.totals.verifiedMachines === 2 ? true : undefined
    }, 15_000)
  }, 150_000)
})
