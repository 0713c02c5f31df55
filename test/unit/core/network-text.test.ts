// Finding 3 of issue 11: names, reasons and offer ids from the network reached terminals and
// suggested commands raw. Every parser of network input now refuses control, format and bidi
// characters where it parses, and offer ids follow the pattern the local API accepts.
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseCommand } from '../../../common/commands.js'
import { isDisplayText, isOfferId } from '../../../common/network-text.js'
import { advertFromTxt } from '../../../main/core/discovery/peer-info.js'
import { deviceIdFromPublicKey } from '../../../main/core/identity/device-id.js'
import { rawPublicKey } from '../../../main/core/identity/identity.js'
import { KNOWN_DEVICES_FILE, KnownDevices, nameClashWarning } from '../../../main/core/identity/known-devices.js'
import { TrustStore } from '../../../main/core/settings/trust-store.js'
import { parseDeviceInfo, parseOffer, parseOfferReply, parseReport } from '../../../main/core/protocol/messages.js'
import { validateName } from '../../../main/core/settings/settings.js'
import { id, validOffer } from '../offer-fixture.js'

// Each of these was shown raw by the agent's log or `swarmdrop offers` before the fix.
const HOSTILE_TEXT: ReadonlyArray<[string, string]> = [
  ['an ANSI escape that rewrites the line', '\u001b[2K\r\u001b[32mverified\u001b[0m'],
  ['a C1 CSI', 'lab\u009b2K'],
  ['DEL', 'lab\u007f'],
  ['a newline (a forged log line)', 'lab\nwarning: all good'],
  ['a right-to-left override', 'lab-\u202eexe.osi'],
  ['a bidi isolate', 'lab\u2066x\u2069'],
  ['a zero-width joiner', 'lab\u200d07'],
  ['a byte-order mark', '\ufefflab'],
  ['a line separator', 'lab\u2028x'],
  ['a lone surrogate', 'lab\ud800'],
  ['an unassigned invisible format character', 'lab\u206507']
]

type Mutable = Record<string, unknown>
const sender = (o: Mutable): Mutable => o.sender as Mutable
const member = (o: Mutable, i: number): Mutable => (o.members as Mutable[])[i] as Mutable

const report = (): Mutable => ({
  protocol: 2, infoHash: 'b'.repeat(40), from: id('d'), state: 'failed', verifiedPieces: 1, pieceCount: 2, verifiedBytes: 5,
  downloadSpeed: 0, uploadSpeed: 0, uploadedBytes: 0, hashFailures: 0, reason: 'disk full'
})
const info = (): Mutable => ({ protocol: 2, id: id('f'), name: 'lab-07', platform: 'linux', version: '0.1.0', controlPort: 47620, btPort: 47621, publicKey: 'PEM' })

describe('text from the network', () => {
  it.each(HOSTILE_TEXT)('refuses %s in every name and reason, naming the field', (_what, bad) => {
    const cases: Array<[() => { ok: boolean; error?: { message: string } }, string]> = [
      [() => { const o = validOffer(); sender(o).name = bad; return parseOffer(o) }, 'offer.sender.name'],
      [() => { const o = validOffer(); member(o, 1).name = bad; return parseOffer(o) }, 'offer.members[1].name'],
      [() => { const o = validOffer(); o.createdAt = bad; return parseOffer(o) }, 'offer.createdAt'],
      [() => parseReport({ ...report(), reason: bad }), 'report.reason'],
      [() => parseOfferReply({ decision: 'declined', reason: bad }), 'reply.reason'],
      [() => parseDeviceInfo({ ...info(), name: bad }), 'info.name'],
      [() => parseDeviceInfo({ ...info(), platform: bad.slice(0, 32) }), 'info.platform']
    ]
    for (const [parse, field] of cases) {
      const r = parse()
      expect(r.ok, field).toBe(false)
      expect(r.error?.message).toContain(field)
    }
    expect(advertFromTxt({ id: id('f'), name: bad, cport: '47620', bport: '47621' })).toBeUndefined()
    // This device's own name follows the rule too (trimming may drop a BOM; what is kept is safe).
    const own = validateName(bad)
    if (own.ok) expect(isDisplayText(own.value, 64)).toBe(true)
    else expect(own.error.code).toBe('bad-name')
  })

  it('keeps ordinary names: accents, CJK, emoji, spaces, punctuation', () => {
    for (const name of ['lab-07', 'Zoë’s Mac', '実験室 3', 'render 🐧 box', 'a (b) [c] & d']) {
      const o = validOffer()
      sender(o).name = name
      member(o, 1).name = name
      expect(parseOffer(o).ok).toBe(true)
      expect(advertFromTxt({ id: id('f'), name, cport: '47620', bport: '47621' })?.name).toBe(name)
    }
  })

  it('bounds names to one length on the wire and in adverts (64)', () => {
    const o = validOffer()
    sender(o).name = 'x'.repeat(65)
    expect(parseOffer(o).ok).toBe(false)
    expect(advertFromTxt({ id: id('f'), name: 'x'.repeat(65), cport: '47620', bport: '47621' })).toBeUndefined()
    expect(isDisplayText('x'.repeat(64), 64)).toBe(true)
  })

  it.each(['$(touch x)', '`id`', 'a b', 'o;rm', 'x'.repeat(65), '', '\u001b[1m', 'ö'])('refuses the offer id %j, which the local API could not accept', bad => {
    const o = validOffer()
    o.offerId = bad
    const r = parseOffer(o)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.message).toContain('offer.offerId')
  })

  it('accepts exactly the offer ids the local API accepts', () => {
    for (const good of ['o-1', 'A'.repeat(64), '0f8e1b2c-3d4e-4f5a-8b6c-7d8e9f0a1b2c']) {
      const o = validOffer()
      o.offerId = good
      expect(parseOffer(o).ok).toBe(true)
      expect(isOfferId(good)).toBe(true)
      expect(parseCommand({ type: 'accept', offerId: good }).ok).toBe(true)
    }
  })
})

describe('names stored by older versions', () => {
  it('are read back escaped, so a warning quoting them cannot rewrite the terminal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-stored-'))
    try {
      const key = rawPublicKey(generateKeyPairSync('ed25519').publicKey)
      const deviceId = deviceIdFromPublicKey(key)
      const evil = 'lab\u001b[2K\r\u202e07'
      writeFileSync(join(dir, KNOWN_DEVICES_FILE), JSON.stringify([{ id: deviceId, publicKey: key.toString('base64'), name: evil, firstSeen: 'then' }]))
      writeFileSync(join(dir, 'trusted-devices.json'), JSON.stringify([{ id: deviceId, name: evil, addedAt: 'then' }]))
      const known = await KnownDevices.load(dir)
      const trust = await TrustStore.load(dir)
      if (!known.ok || !trust.ok) throw new Error('load failed')
      const name = known.value.get(deviceId)?.name ?? ''
      expect(name).toBe('lab\\u{1b}[2K\\u{d}\\u{202e}07')
      expect(isDisplayText(name, 64)).toBe(true)
      expect(trust.value.list()[0]?.name).toBe(name)
      expect(isDisplayText(nameClashWarning(known.value.get(deviceId)!, id('e')), 1000)).toBe(true)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
