// A recipient that dies after pieces reached its disk but before its journal heard of them (their
// writes had returned to the kernel, not yet to the agent): at the restart the pieces listed as
// begun are read back and those whole on disk are kept, not fetched again; one whose bytes are bad
// is fetched again, and the copy still verifies. The crash is made exact: the recipient is stopped,
// six journaled pieces are moved from its journal to its begun list (one of them damaged on disk),
// and it restarts with the origin away, so what it holds then is only what it kept.
import { createHash, randomBytes } from 'node:crypto'
import { closeSync, openSync, readFileSync, readSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { PieceJournal } from '../../main/core/store/piece-journal.js'
import { isProgress, isVerified, type ProgressEvent } from './agent-events.js'
import type { LabAgent } from './lab-agent.js'
import { labFixture, lastJson } from './lab-fixture.js'

const MiB = 1024 * 1024
const MOVED = 6
// 40 MiB at 40 Mbit/s take about 9 s: the stop falls in the middle.
const fx = labFixture([{ name: 'origin' }, { downMbit: 40 }], 'crash-written')
const agents: LabAgent[] = []
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

beforeAll(async () => {
  agents.push(fx.agent(0, 'origin'), fx.agent(1, 'lab-01'))
  for (const a of agents) await a.start()
}, 60_000)

describe('a crash between a piece\'s write and its journal record', () => {
  it('keeps the begun pieces that are whole on disk, fetches the damaged one again, and verifies', async () => {
    const [origin, r1] = agents as [LabAgent, LabAgent]
    const file = join(fx.work, 'image.bin')
    const data = randomBytes(40 * MiB)
    writeFileSync(file, data)
    const sent = await fx.cli(0, ['send', file, '--to', 'lab-01', '--json'], 60_000)
    expect(sent.code, sent.stderr).toBe(0)
    const infoHash = lastJson<{ infoHash: string }>(sent.stdout).infoHash
    const past = await r1.waitFor(e => isProgress(e) && e.name === 'image.bin' && e.verifiedBytes > 12 * MiB, 30_000, 'past 12 MiB', 0) as ProgressEvent
    await r1.stop()
    await origin.stop()

    // The crash, made exact: MOVED journaled pieces become "write begun, never journaled".
    const base = join(fx.work, 'd1', 'distributions', infoHash)
    const pieceLength = 2 ** Math.ceil(Math.log2(past.totalLength / past.pieceCount))
    const journal = PieceJournal.open(base, past.pieceCount)
    const held = journal.count
    const moved: number[] = []
    for (let i = past.pieceCount - 1; i >= 0 && moved.length < MOVED; i--) if (journal.has(i)) moved.push(i)
    expect(moved).toHaveLength(MOVED)
    const bits = Uint8Array.from(journal.bitfield)
    for (const i of moved) bits[i >> 3] = (bits[i >> 3] ?? 0) & ~(0x80 >> (i & 7))
    for (const f of ['journal', 'journal.folding']) rmSync(`${base}.${f}`, { force: true })
    writeFileSync(`${base}.bitfield`, bits)
    const begun = Buffer.alloc(MOVED * 4)
    for (const [k, i] of moved.entries()) begun.writeUInt32BE(i, k * 4)
    writeFileSync(`${base}.begun`, begun)
    // One of them was cut short by the crash: a byte in its middle differs.
    const damaged = moved[0] as number
    const part = openSync(join(fx.work, 'dl1', 'image.bin.part'), 'r+')
    const at = damaged * pieceLength + Math.floor(pieceLength / 2)
    const byte = Buffer.alloc(1)
    readSync(part, byte, 0, 1, at)
    byte[0] = (byte[0] ?? 0) ^ 0xff
    writeSync(part, byte, 0, 1, at)
    closeSync(part)

    // Restarted alone: what it holds is what it kept.
    const from = r1.events.length
    await r1.start()
    const first = await r1.waitFor(e => isProgress(e) && e.name === 'image.bin' && e.verifiedPieces > 0, 30_000, 'a progress line after the restart', from) as ProgressEvent
    await new Promise(r => setTimeout(r, 2_000))
    const last = [...r1.events.slice(from)].reverse().find((e): e is ProgressEvent => isProgress(e) && e.name === 'image.bin') ?? first
    console.log(`held ${held} pieces at the stop; ${MOVED} moved to the begun list (1 damaged); ${last.verifiedPieces} held after the restart`)
    expect(last.verifiedPieces).toBe(held - 1)
    expect(readFileSync(`${base}.begun`).length % 4).toBe(0)

    await origin.start()
    await r1.waitFor(e => isVerified(e) && e.name === 'image.bin', 90_000, 'lab-01 to verify after the origin is back', from)
    expect(sha(readFileSync(join(fx.work, 'dl1', 'image.bin')))).toBe(sha(data))
  }, 180_000)
})
