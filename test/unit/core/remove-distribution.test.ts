// Taking a distribution off a device, with an origin and a recipient on loopback: the origin
// withdraws one mid-download (the recipient stops, deletes what it received and says so; the
// origin's record and torrent go, its source stays), a recipient cancels one (the origin's row for
// it reads declined, as a refusal), a verified copy leaves the list with or without its files, and
// a withdrawal from a device that is not the sender is refused and changes nothing. The
// recipient's own history (history.jsonl) reads as the origin's row of it: failed, "withdrawn by
// its sender before it finished", or declined, "cancelled on lab-01".
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppService } from '../../../main/core/app/app-service.js'
import { requestPeer } from '../../../main/core/control/peer-client.js'
import { deviceIdFromPublicKey } from '../../../main/core/identity/device-id.js'
import { rawPublicKey, type Identity } from '../../../main/core/identity/identity.js'
import type { NodeEvents } from '../../../main/core/node/events.js'
import { SwarmNode } from '../../../main/core/node/swarm-node.js'
import { PROTOCOL } from '../../../main/core/protocol/messages.js'
import { deviceCredentials } from '../../../main/core/tls/device-certificate.js'
import { HistoryLog } from '../../../main/core/history/history-log.js'
import type { ReportMachine } from '../../../common/api.js'
import type { RecipientRecord } from '../../../main/core/distributions/records.js'

const MiB = 1024 * 1024
/** The origin's upload limit: a 24 MiB file takes about 12 s, so a download is surely mid-way when it is taken back. */
const SLOW = 2 * MiB

const dirs: string[] = []
const tmp = (): string => { const d = mkdtempSync(join(tmpdir(), 'sd-remove-')); dirs.push(d); return d }

let origin: SwarmNode
let recipient: SwarmNode
let sources = ''
let downloads = ''
const warnings: string[] = []
const removed: Array<NodeEvents['removed'][0]> = []

async function until (what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

function start (name: string, overrides: Record<string, unknown>): Promise<SwarmNode> {
  return SwarmNode.start({ dataDir: tmp(), overrides: { btPort: 0, controlPort: 0, name, ...overrides }, anyPortIfTaken: true }).then(r => {
    if (!r.ok) throw new Error(r.error.message)
    return r.value
  })
}

/** Shares `path` from the origin and offers it to the recipient (which accepts everything); answers the infohash. */
async function send (path: string): Promise<string> {
  const created = await origin.createDistribution(path)
  if (!created.ok) throw new Error(created.error.message)
  const offered = await origin.offer(created.value.infoHash, [recipient.identity.id])
  if (!offered.ok) throw new Error(offered.error.message)
  expect(offered.value.map(r => r.state)).toEqual(['accepted'])
  return created.value.infoHash
}

function file (name: string, bytes: number): { path: string; data: Buffer } {
  const data = randomBytes(bytes)
  const path = join(sources, name)
  writeFileSync(path, data)
  return { path, data }
}

/** Waits until the recipient has some of `ih` verified, but not all. */
async function midway (ih: string): Promise<void> {
  await until('a download under way', () => (recipient.engine.stats(ih)?.verifiedBytes ?? 0) > 0)
  const s = recipient.engine.stats(ih)
  expect(s && s.verifiedPieces < s.pieceCount).toBe(true)
}

function journalFiles (node: SwarmNode, ih: string): string[] {
  return ['bitfield', 'journal', 'begun'].map(x => join(node.dataDir, 'distributions', `${ih}.${x}`)).filter(p => existsSync(p))
}

function originRow (ih: string): { state: string; reason?: string } | undefined {
  const r = origin.registry.get(ih)
  return r?.role === 'origin' ? r.recipients.find(x => x.id === recipient.identity.id) : undefined
}

/** `node`'s row for `id` in its history, with every write begun so far done. */
async function historyRow (node: SwarmNode, ih: string, id: string): Promise<ReportMachine | undefined> {
  return (await node.history.current()).get(ih)?.machines.find(m => m.id === id)
}

/** The recipient's own row as its history.jsonl holds it (read afresh from the file). */
async function ownRowOnDisk (ih: string): Promise<ReportMachine | undefined> {
  await recipient.history.current()
  const opened = await HistoryLog.open(recipient.dataDir)
  if (!opened.ok) throw new Error(opened.error.message)
  return opened.value.log.get(ih)?.machines.find(m => m.id === recipient.identity.id)
}

function freshIdentity (): Identity {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  return { id: deviceIdFromPublicKey(rawPublicKey(publicKey)), publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKey, publicKey }
}

beforeAll(async () => {
  sources = tmp()
  downloads = tmp()
  origin = await start('lab-origin', { uploadLimit: SLOW })
  recipient = await start('lab-01', { accept: 'all', downloadsDir: downloads })
  recipient.on('warning', m => warnings.push(m))
  recipient.on('removed', e => removed.push(e))
  origin.on('removed', e => removed.push(e))
  // Each knows the other at loopback, as a machine added by address (no mDNS needed).
  const now = Date.now()
  origin.discovery.setDirect({ id: recipient.identity.id, name: 'lab-01', platform: 'linux', version: 'test', controlPort: recipient.controlPort, btPort: recipient.engine.port, address: '127.0.0.1', lastSeen: now })
  recipient.discovery.setDirect({ id: origin.identity.id, name: 'lab-origin', platform: 'linux', version: 'test', controlPort: origin.controlPort, btPort: origin.engine.port, address: '127.0.0.1', lastSeen: now })
}, 30_000)

afterAll(async () => {
  await recipient?.stop()
  await origin?.stop()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

describe('withdrawing on the origin', () => {
  it('stops the recipient mid-download, deletes what it received, and forgets it on both sides; the source stays', async () => {
    const src = file('ubuntu.iso', 24 * MiB)
    const ih = await send(src.path)
    await midway(ih)
    const part = join(downloads, 'ubuntu.iso.part')
    expect(existsSync(part)).toBe(true)
    expect(journalFiles(recipient, ih).length).toBeGreaterThan(0)

    const recipientApp = new AppService(recipient, { shell: 'web' })
    const r = await origin.remove(ih)
    expect(r).toEqual({ ok: true, value: { name: 'ubuntu.iso', outcome: 'withdrawn', told: 1, unreached: 0, deletedBytes: 0 } })
    // Every front end of the recipient shows its person why the download went.
    const notices = recipientApp.state().notices
    recipientApp.close()
    expect(notices.map(n => n.text)).toEqual([expect.stringMatching(/^lab-origin withdrew ubuntu\.iso before it finished here; the \d.* received were deleted$/)])

    // The recipient: no record, no partial data, no journal, and a notice for its person.
    expect(recipient.registry.get(ih)).toBeUndefined()
    expect(recipient.engine.has(ih)).toBe(false)
    expect(existsSync(part)).toBe(false)
    expect(journalFiles(recipient, ih)).toEqual([])
    expect(warnings.some(w => /^lab-origin withdrew ubuntu\.iso before it finished here; the \d.* received were deleted$/.test(w))).toBe(true)
    expect(removed).toContainEqual({ infoHash: ih, name: 'ubuntu.iso', why: 'by-sender', notice: expect.stringMatching(/^lab-origin withdrew ubuntu\.iso/) })
    expect(removed).toContainEqual({ infoHash: ih, name: 'ubuntu.iso', why: 'withdrawn' })

    // The origin: no record, no stored torrent, nothing served; the source file as it was.
    expect(origin.registry.get(ih)).toBeUndefined()
    expect(origin.engine.has(ih)).toBe(false)
    expect(existsSync(join(origin.dataDir, 'distributions', `${ih}.torrent`))).toBe(false)
    expect(readFileSync(src.path).equals(src.data)).toBe(true)
    // The history still says what happened to the machine.
    const history = await origin.history.current()
    expect(history.get(ih)?.machines.find(m => m.id === recipient.identity.id)).toMatchObject({ state: 'failed', reason: 'withdrawn by its sender before it finished' })
    // And the recipient's own history says the same, with what it had received when it stopped.
    const own = await ownRowOnDisk(ih)
    expect(own).toMatchObject({ id: recipient.identity.id, name: 'lab-01', state: 'failed', reason: 'withdrawn by its sender before it finished', verifiedAt: null, receipt: null })
    expect(own?.bytes).toBeGreaterThan(0)
    expect(own?.acceptedAt).toEqual(expect.any(String))

    // A second remove finds nothing; the sweep a moment later finds nothing written again.
    const again = await origin.remove(ih)
    expect(again.ok ? 'removed twice' : again.error.code).toBe('unknown-distribution')
    await new Promise(resolve => setTimeout(resolve, 2_500))
    expect(existsSync(part)).toBe(false)
  }, 60_000)
})

describe('a withdrawal the recipient did not hear', () => {
  it('is learnt from the answer to its next report: the download stops and its data goes', async () => {
    const src = file('missed.iso', 24 * MiB)
    const ih = await send(src.path)
    await midway(ih)
    // What a withdrawal leaves on the origin, without the POST /v1/withdraw (the machine was away).
    await origin.engine.remove(ih)
    await origin.registry.remove(ih)
    await until('the recipient to forget it', () => recipient.registry.get(ih) === undefined, 10_000)
    await until('its partial data deleted', () => !existsSync(join(downloads, 'missed.iso.part')))
    expect(journalFiles(recipient, ih)).toEqual([])
    expect(warnings.some(w => /^lab-origin withdrew missed\.iso before it finished here; the .* received were deleted$/.test(w))).toBe(true)
    // Its own history learnt it too (written just after the data went).
    const end = Date.now() + 5_000
    while ((await ownRowOnDisk(ih))?.state !== 'failed' && Date.now() < end) await new Promise(resolve => setTimeout(resolve, 50))
    expect(await ownRowOnDisk(ih)).toMatchObject({ state: 'failed', reason: 'withdrawn by its sender before it finished' })
  }, 60_000)
})

describe('cancelling on a recipient', () => {
  it('stops a paused download, deletes its partial data, and the origin reads the machine as declined', async () => {
    const src = file('debian.iso', 24 * MiB)
    const ih = await send(src.path)
    await midway(ih)
    const paused = await recipient.pause(ih)
    expect(paused.ok).toBe(true)
    const part = join(downloads, 'debian.iso.part')
    expect(existsSync(part)).toBe(true)

    const r = await recipient.remove(ih)
    if (!r.ok) throw new Error(r.error.message)
    expect(r.value).toMatchObject({ name: 'debian.iso', outcome: 'cancelled', told: 1 })
    expect(r.value.deletedBytes).toBeGreaterThan(0)
    expect(existsSync(part)).toBe(false)
    expect(journalFiles(recipient, ih)).toEqual([])
    expect(recipient.registry.get(ih)).toBeUndefined()
    expect(recipient.isPaused(ih)).toBe(false)

    // The origin waits for it no more: its row is a decline, with the reason.
    expect(originRow(ih)).toMatchObject({ state: 'declined', reason: 'cancelled on lab-01' })
    // Both histories read the same: the origin's row of the machine, and the machine's own.
    expect(await historyRow(origin, ih, recipient.identity.id)).toMatchObject({ state: 'declined', reason: 'cancelled on lab-01' })
    const own = await ownRowOnDisk(ih)
    expect(own).toMatchObject({ id: recipient.identity.id, name: 'lab-01', state: 'declined', reason: 'cancelled on lab-01', verifiedAt: null, receipt: null })
    expect(own?.bytes).toBeGreaterThan(0)
    expect(origin.registry.get(ih)?.state).toBe('seeding')
    const app = new AppService(origin, { shell: 'web' })
    try {
      const shown = app.state().distributions.find(d => d.infoHash === ih)
      expect(shown?.members.find(m => m.id === recipient.identity.id)?.state).toBe('declined')
      expect(shown?.totals.refusedRecipients).toBe(1)
    } finally {
      app.close()
    }

    const again = await recipient.remove(ih)
    expect(again.ok ? 'removed twice' : again.error.code).toBe('unknown-distribution')
    expect((await origin.remove(ih)).ok).toBe(true)
  }, 60_000)
})

describe('a refused withdrawal', () => {
  it('is answered 403 for a device that is not the sender, 404 for nothing here, and changes nothing', async () => {
    const src = file('refused.iso', 24 * MiB)
    const ih = await send(src.path)
    await midway(ih)
    const before = recipient.registry.get(ih) as RecipientRecord
    const stranger = freshIdentity()
    const target = { id: recipient.identity.id, name: 'lab-01', address: '127.0.0.1', controlPort: recipient.controlPort }
    const refused = await requestPeer(deviceCredentials(stranger), target, 'POST', '/v1/withdraw', { protocol: PROTOCOL, infoHash: ih })
    expect(refused.ok && refused.value.status).toBe(403)
    expect(refused.ok && refused.value.body).toMatchObject({ error: { code: 'wrong-sender' } })
    const unknown = await requestPeer(deviceCredentials(stranger), target, 'POST', '/v1/withdraw', { protocol: PROTOCOL, infoHash: 'f'.repeat(40) })
    expect(unknown.ok && unknown.value.status).toBe(404)
    const malformed = await requestPeer(deviceCredentials(stranger), target, 'POST', '/v1/withdraw', { protocol: PROTOCOL, infoHash: 'F'.repeat(40) })
    expect(malformed.ok && malformed.value.status).toBe(400)

    expect(recipient.registry.get(ih)?.state).toBe(before.state)
    expect(recipient.engine.has(ih)).toBe(true)
    expect(existsSync(join(downloads, 'refused.iso.part'))).toBe(true)
    expect(warnings.some(w => w.startsWith('refused a withdrawal from 127.0.0.1 (403 wrong-sender)'))).toBe(true)
    // The real sender may.
    expect((await origin.remove(ih)).ok).toBe(true)
    expect(recipient.registry.get(ih)).toBeUndefined()
  }, 60_000)
})

describe('removing a verified copy', () => {
  it('keeps its files, or deletes only the files it wrote with deleteFiles', async () => {
    await origin.updateSettings({ uploadLimit: 0 })
    const small = file('notes.bin', 256 * 1024)
    const ih = await send(small.path)
    await until('a verified copy', () => recipient.registry.get(ih)?.state === 'verified')
    const kept = await recipient.remove(ih)
    expect(kept).toEqual({ ok: true, value: { name: 'notes.bin', outcome: 'removed', told: 0, unreached: 0, deletedBytes: 0 } })
    expect(readFileSync(join(downloads, 'notes.bin')).equals(small.data)).toBe(true)
    expect(recipient.registry.get(ih)).toBeUndefined()
    expect(recipient.engine.has(ih)).toBe(false)

    // A folder, and a file a person added to it afterwards: that file, and so the folder, stay.
    const folder = join(sources, 'renders')
    mkdirSync(join(folder, 'shot1'), { recursive: true })
    writeFileSync(join(folder, 'a.bin'), randomBytes(100_000))
    writeFileSync(join(folder, 'shot1', 'b.bin'), randomBytes(200_000))
    const fih = await send(folder)
    await until('a verified folder', () => recipient.registry.get(fih)?.state === 'verified')
    const copy = join(downloads, 'renders')
    writeFileSync(join(copy, 'mine.txt'), 'kept')
    const deleted = await recipient.remove(fih, { deleteFiles: true })
    expect(deleted).toEqual({ ok: true, value: { name: 'renders', outcome: 'removed', told: 0, unreached: 0, deletedBytes: 300_000 } })
    expect(existsSync(join(copy, 'a.bin'))).toBe(false)
    expect(existsSync(join(copy, 'shot1'))).toBe(false)
    expect(readFileSync(join(copy, 'mine.txt'), 'utf8')).toBe('kept')
    // The origin's copies are untouched.
    expect(existsSync(join(folder, 'shot1', 'b.bin'))).toBe(true)
  }, 60_000)
})
