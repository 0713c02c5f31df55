// Identity, settings, trust and the resume journal: the state a device keeps across restarts.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, appendFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { isDeviceId, shortFingerprint } from '../../../main/core/identity/device-id.js'
import { loadOrCreateIdentity, signBytes, verifyBytes } from '../../../main/core/identity/identity.js'
import { loadSettings, mergeSettings, defaultSettings } from '../../../main/core/settings/settings.js'
import { TrustStore } from '../../../main/core/settings/trust-store.js'
import { PieceJournal } from '../../../main/core/store/piece-journal.js'

const dirs: string[] = []
const tmp = (): string => { const d = mkdtempSync(join(tmpdir(), 'sd-state-')); dirs.push(d); return d }
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })

describe('identity', () => {
  it('is created once, kept owner-only, and stable across loads', async () => {
    const dir = tmp()
    const a = await loadOrCreateIdentity(dir)
    const b = await loadOrCreateIdentity(dir)
    if (!a.ok || !b.ok) throw new Error('identity failed')
    expect(a.value.id).toBe(b.value.id)
    expect(isDeviceId(a.value.id)).toBe(true)
    expect(statSync(join(dir, 'identity.json')).mode & 0o077).toBe(0)
    expect(shortFingerprint(a.value.id)).toMatch(/^[0-9a-f]{4}·[0-9a-f]{4}$/)
  })

  it('signs with the device key; another key does not verify', async () => {
    const a = await loadOrCreateIdentity(tmp())
    const b = await loadOrCreateIdentity(tmp())
    if (!a.ok || !b.ok) throw new Error('identity failed')
    const sig = signBytes(a.value, Buffer.from('offer'))
    expect(verifyBytes(a.value.publicKeyPem, Buffer.from('offer'), sig)).toBe(true)
    expect(verifyBytes(b.value.publicKeyPem, Buffer.from('offer'), sig)).toBe(false)
    expect(verifyBytes(a.value.publicKeyPem, Buffer.from('offer!'), sig)).toBe(false)
  })

  it('reports a damaged identity file instead of replacing it', async () => {
    const dir = tmp()
    writeFileSync(join(dir, 'identity.json'), '{"privateKeyPem": "nope"}')
    const r = await loadOrCreateIdentity(dir)
    expect(r.ok).toBe(false)
  })
})

describe('settings', () => {
  it('refuses unknown keys and bad values with the key named', () => {
    const bad = mergeSettings(defaultSettings(), { accept: 'sometimes' }, 'settings.json')
    expect(!bad.ok && bad.error.message).toContain('accept')
    const unknown = mergeSettings(defaultSettings(), { colour: 'red' }, 'settings.json')
    expect(!unknown.ok && unknown.error.message).toContain('colour')
    const good = mergeSettings(defaultSettings(), { name: ' lab-07 ', uploadLimit: 1000 }, 'x')
    expect(good.ok && good.value.name).toBe('lab-07')
  })

  it('loads defaults when there is no file and names a broken file', async () => {
    const dir = tmp()
    expect((await loadSettings(dir)).ok).toBe(true)
    writeFileSync(join(dir, 'settings.json'), '{ nope')
    const r = await loadSettings(dir)
    expect(!r.ok && r.error.message).toContain('settings.json')
  })
})

describe('trusted devices', () => {
  it('are keyed by full device id and persist', async () => {
    const dir = tmp()
    const s = await TrustStore.load(dir)
    if (!s.ok) throw new Error('load')
    expect((await s.value.trust('lab-07', 'lab-07')).ok).toBe(false)
    expect((await s.value.trust('a'.repeat(32), 'lab-07')).ok).toBe(true)
    const again = await TrustStore.load(dir)
    expect(again.ok && again.value.has('a'.repeat(32))).toBe(true)
    expect(again.ok && await again.value.untrust('a'.repeat(32))).toBe(true)
  })
})

describe('piece journal (resume state)', () => {
  it('remembers recorded pieces across a reopen without compaction (as after SIGKILL)', () => {
    const base = join(tmp(), 'ih')
    const j = PieceJournal.open(base, 20)
    for (const i of [0, 3, 19]) j.record(i)
    const again = PieceJournal.open(base, 20)
    expect([0, 1, 3, 19].map(i => again.has(i))).toEqual([true, false, true, true])
    expect(again.count).toBe(3)
  })

  it('cuts off a torn last record so later records stay aligned, and ignores out-of-range indexes', () => {
    const base = join(tmp(), 'ih')
    const j = PieceJournal.open(base, 10)
    j.record(2)
    const far = Buffer.alloc(4); far.writeUInt32BE(500); appendFileSync(`${base}.journal`, far)
    appendFileSync(`${base}.journal`, Buffer.from([0, 0])) // killed mid-write
    const again = PieceJournal.open(base, 10)
    expect(again.count).toBe(1)
    again.record(7)
    const third = PieceJournal.open(base, 10)
    expect([2, 7, 0].map(i => third.has(i))).toEqual([true, true, false])
  })

  it('folds the journal into a bitfield, also when compactions overlap', async () => {
    const base = join(tmp(), 'ih')
    const j = PieceJournal.open(base, 16)
    j.record(0); j.record(9)
    const a = j.compact()
    j.record(15)
    await Promise.all([a, j.compact(), j.compact()])
    expect(readFileSync(`${base}.bitfield`)).toEqual(Buffer.from([0x80, 0x41]))
    const again = PieceJournal.open(base, 16)
    expect(again.count).toBe(3)
  })

  it('lists the pieces whose writes began but that were never journaled, across a reopen (as after SIGKILL)', () => {
    const base = join(tmp(), 'ih')
    const j = PieceJournal.open(base, 20)
    for (const i of [4, 2, 9]) j.begin(i)
    j.record(2)
    j.begin(2) // already journaled: no record
    const again = PieceJournal.open(base, 20)
    expect(again.unconfirmed()).toEqual([4, 9])
    expect(again.count).toBe(1)
    again.record(9)
    expect(again.unconfirmed()).toEqual([4])
    expect(PieceJournal.open(base, 20).unconfirmed()).toEqual([4])
  })

  it('a fold cuts the begun list down to the pieces in flight once it is long, and remove() deletes it', async () => {
    const base = join(tmp(), 'ih')
    const j = PieceJournal.open(base, 5000)
    for (let i = 0; i < 30; i++) j.begin(i)
    for (let i = 0; i < 28; i++) j.record(i)
    await j.compact()
    expect(statSync(`${base}.begun`).size).toBe(30 * 4) // short: left as it is
    for (let i = 30; i < 4100; i++) { j.begin(i); j.record(i) }
    j.record(28)
    await j.compact()
    expect(statSync(`${base}.begun`).size).toBe(4) // only piece 29 is still in flight
    j.begin(4999)
    expect(PieceJournal.open(base, 5000).unconfirmed()).toEqual([29, 4999])
    await j.remove()
    expect(() => statSync(`${base}.begun`)).toThrow()
  })

  it('tidy() folds only a long journal; what it leaves is replayed all the same', async () => {
    const base = join(tmp(), 'ih')
    const j = PieceJournal.open(base, 5000)
    j.record(1)
    await j.tidy()
    expect(() => statSync(`${base}.bitfield`)).toThrow()
    expect(PieceJournal.open(base, 5000).count).toBe(1)
    for (let i = 2; i < 4100; i++) j.record(i)
    await j.tidy()
    expect(statSync(`${base}.bitfield`).size).toBe(625)
    expect(() => statSync(`${base}.journal`)).toThrow()
    expect(PieceJournal.open(base, 5000).count).toBe(4099)
  })

  it('replace() adopts the engine view (a spot check dropped a piece)', async () => {
    const base = join(tmp(), 'ih')
    const j = PieceJournal.open(base, 8)
    j.record(0); j.record(1)
    await j.replace(new Uint8Array([0x80]))
    expect(PieceJournal.open(base, 8).count).toBe(1)
  })
})
