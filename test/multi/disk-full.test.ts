// A recipient's disk fills up in the middle of a transfer: that distribution stops with a clear
// "not enough space" state (reported to the sender too), keeps the pieces it verified, does not
// finish while full, another distribution to another folder on the same machine still completes,
// and once space is freed it goes on by itself and ends with the sender's exact bytes. The disk
// is a small tmpfs of this test's own, mounted as the recipient's download folder.
import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PieceJournal } from '../../main/core/store/piece-journal.js'
import { isProgress, isVerified, type AgentEvent } from './agent-events.js'
import { fillDisk } from './fill-disk.js'
import type { LabAgent } from './lab-agent.js'
import { labFixture, lastJson } from './lab-fixture.js'
import type { WireDistribution } from '../../common/wire.js'
import { recipientRows, statusOn, type StatusJson } from './status-json.js'

const MiB = 1024 * 1024
const TMPFS_MB = 48
// The recipient downloads at 24 Mbit/s (3 MB/s): a 32 MiB file takes ~11 s, time to fill its disk.
const fx = labFixture([{ name: 'origin' }, { downMbit: 24 }], 'dfull')
let mounted = ''
let origin: LabAgent
let recipient: LabAgent

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')
const sleep = (ms: number): Promise<void> => new Promise(r => setTimeout(r, ms))

/** The JSON events named `event` that `agent` printed in this run, with all their fields. */
function raw (agent: LabAgent, event: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = []
  for (const line of agent.lines) {
    if (!line.startsWith('[out] {')) continue
    try {
      const o = JSON.parse(line.slice(6)) as Record<string, unknown>
      if (o.event === event) out.push(o)
    } catch { /* a line for people */ }
  }
  return out
}

async function status (i: number): Promise<StatusJson> {
  return statusOn(fx, i, 10_000)
}

/** The pieces this device holds verified, from its own row. */
const ownPieces = (d: WireDistribution | undefined): number => d?.members.find(m => m.self)?.verifiedPieces ?? 0

/** Offers `file` to the recipient; resolves once the recipient has it pending. */
async function offer (file: string, name: string): Promise<{ infoHash: string; offerId: string }> {
  const from = recipient.events.length
  const sent = await fx.cli(0, ['send', file, '--to', 'recipient', '--json'])
  if (sent.code !== 0) throw new Error(`send failed: ${sent.stderr}`)
  const infoHash = lastJson<{ infoHash: string }>(sent.stdout).infoHash
  await recipient.waitFor(e => e.event === 'offer-received', 15_000, `the offer of ${name}`, from)
  const pending = raw(recipient, 'offer-received').map(o => o.offer as { offerId: string; name: string }).filter(o => o.name === name).pop()
  if (!pending) throw new Error(`no offer of ${name} printed`)
  return { infoHash, offerId: pending.offerId }
}

/** Offers `file` to the recipient, accepts it into `dir` (default: its download folder), returns the infohash. */
async function sendAndAccept (file: string, name: string, dir?: string): Promise<string> {
  const { infoHash, offerId } = await offer(file, name)
  const accepted = await fx.cli(1, ['accept', offerId, ...(dir ? ['--downloads', dir] : [])])
  if (accepted.code !== 0) throw new Error(`accept failed: ${accepted.stderr}${accepted.stdout}`)
  return infoHash
}

beforeAll(async () => {
  mounted = join(fx.work, 'dl1')
  mkdirSync(mounted, { recursive: true })
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_MB}m`, 'swarmdrop-test-tmpfs', mounted])
  origin = fx.agent(0, 'origin')
  recipient = fx.agent(1, 'recipient', 'ask')
  await origin.start()
  await recipient.start()
}, 60_000)

afterAll(() => {
  // Runs before the fixture stops the agents: a lazy unmount detaches it even while files are open.
  if (mounted) execFileSync('umount', ['-l', mounted])
}, 30_000)

describe('a recipient whose disk fills up mid-transfer', () => {
  it('waits with its verified pieces, lets other transfers finish, and resumes by itself', async () => {
    const fileA = join(fx.work, 'big.bin')
    const dataA = randomBytes(32 * MiB)
    writeFileSync(fileA, dataA)
    const fileB = join(fx.work, 'other.bin')
    const dataB = randomBytes(6 * MiB)
    writeFileSync(fileB, dataB)
    const filler = join(mounted, 'filler.bin')

    const from = recipient.events.length
    const ihA = await sendAndAccept(fileA, 'big.bin')
    await recipient.waitFor(e => isProgress(e) && e.name === 'big.bin' && e.verifiedBytes > 6 * MiB, 30_000, 'big.bin past 6 MiB', from)

    // Fill the disk: the recipient's next writes fail with ENOSPC.
    fillDisk(filler, TMPFS_MB + 8)

    await recipient.waitFor(e => e.event === 'no-space', 20_000, 'the no-space event', from)
    const noSpace = raw(recipient, 'no-space').pop()
    expect(noSpace?.infoHash).toBe(ihA)
    console.log(`recipient: ${String(noSpace?.reason)}`)
    expect(String(noSpace?.reason)).toMatch(new RegExp(`^not enough space in ${mounted.replace(/[/.-]/g, '\\$&')}: [\\d.]+ [KMG]?B more needed`))
    expect(recipient.events.slice(from).some(e => e.event === 'failed')).toBe(false)

    const atPause = (await status(1)).distributions.find(d => d.infoHash === ihA)
    expect(atPause?.state).toBe('no-space')
    expect(atPause?.reason).toMatch(/not enough space in .* more needed/)
    const heldAtPause = ownPieces(atPause)
    expect(heldAtPause).toBeGreaterThan(0)
    expect(heldAtPause).toBeLessThan(atPause?.pieceCount ?? 0)

    // The sender hears it through the new report state.
    const deadline = Date.now() + 10_000
    let told: { state: string; reason?: string } | undefined
    while (Date.now() < deadline) {
      const d = (await status(0)).distributions.find(x => x.infoHash === ihA)
      told = d === undefined ? undefined : recipientRows(d).find(r => r.name === 'recipient')
      if (told?.state === 'no-space') break
      await sleep(300)
    }
    expect(told?.state).toBe('no-space')
    expect(told?.reason).toMatch(/not enough space/)

    // While full it does not finish, and the verified pieces stay: journal and bytes on disk agree
    // with the source.
    await sleep(4_000)
    expect(recipient.events.slice(from).some(e => isVerified(e) && e.name === 'big.bin')).toBe(false)
    const still = (await status(1)).distributions.find(d => d.infoHash === ihA)
    expect(still?.state).toBe('no-space')
    expect(ownPieces(still)).toBeGreaterThanOrEqual(heldAtPause)
    const pieceLength = atPause?.pieceLength ?? 0
    const pieceCount = atPause?.pieceCount ?? 0
    const journal = PieceJournal.open(join(fx.work, 'd1', 'distributions', ihA), pieceCount)
    const part = readFileSync(join(mounted, 'big.bin.part'))
    let kept = 0
    for (let i = 0; i < pieceCount; i++) {
      if (!journal.has(i)) continue
      kept++
      const range = [i * pieceLength, Math.min(dataA.length, (i + 1) * pieceLength)] as const
      expect(part.subarray(...range).equals(dataA.subarray(...range)), `piece ${i} on disk`).toBe(true)
    }
    expect(kept).toBeGreaterThanOrEqual(heldAtPause)

    // Another distribution to another folder on the same machine is not held up.
    const otherDir = join(fx.work, 'elsewhere')
    const ihB = await sendAndAccept(fileB, 'other.bin', otherDir)
    await recipient.waitFor(e => isVerified(e) && e.infoHash === ihB, 60_000, 'other.bin to verify', from)
    expect(sha256(readFileSync(join(otherDir, 'other.bin')))).toBe(sha256(dataB))
    expect((await status(1)).distributions.find(d => d.infoHash === ihA)?.state).toBe('no-space')

    // A restart while still full keeps waiting (nothing is fetched into a full disk).
    await recipient.stop()
    await recipient.start()
    await sleep(3_000)
    const restarted = (await status(1)).distributions.find(d => d.infoHash === ihA)
    expect(restarted?.state).toBe('no-space')
    // Held paused in the engine: nothing flows in.
    expect(restarted?.downloadRate).toBe(0)
    expect(ownPieces(restarted)).toBeGreaterThanOrEqual(heldAtPause)
    expect(recipient.events.some(e => e.event === 'failed' || (isVerified(e) && e.infoHash === ihA))).toBe(false)

    // Space freed: it resumes by itself and ends verified with the sender's bytes.
    rmSync(filler)
    await recipient.waitFor(e => e.event === 'space-freed', 15_000, 'the space-freed event', 0)
    await recipient.waitFor((e: AgentEvent) => isVerified(e) && e.infoHash === ihA, 90_000, 'big.bin to verify after space was freed', 0)
    expect(existsSync(join(mounted, 'big.bin.part'))).toBe(false)
    expect(sha256(readFileSync(join(mounted, 'big.bin')))).toBe(sha256(dataA))
  }, 240_000)

  it('refuses up front an offer bigger than the free space, saying how much is missing', async () => {
    // big.bin (32 MiB) is on the 48 MiB disk now: a 20 MiB offer does not fit.
    const file = join(fx.work, 'toobig.bin')
    writeFileSync(file, randomBytes(20 * MiB))
    const { offerId } = await offer(file, 'toobig.bin')
    const accepted = await fx.cli(1, ['accept', offerId])
    expect(accepted.code).not.toBe(0)
    expect(accepted.stderr).toMatch(new RegExp(`not enough space in ${mounted.replace(/[/.-]/g, '\\$&')}: 21\\.0 MB needed, [\\d.]+ MB free \\([\\d.]+ MB more needed\\)`))
    expect(existsSync(join(mounted, 'toobig.bin.part'))).toBe(false)
    // Into a folder with room, the same offer is fine.
    const other = await fx.cli(1, ['accept', offerId, '--downloads', join(fx.work, 'roomy')])
    expect(other.code, other.stderr).toBe(0)
  }, 60_000)
})
