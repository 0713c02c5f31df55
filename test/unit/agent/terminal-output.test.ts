// Names and ids from the network never reach a terminal, the agent's log or a suggested command
// raw: a hostile sender name that would redraw the line into a fake "verified", and an offer id
// that is shell text, are shown as visible escapes and quoted data, and no "accept with" hint is
// printed for an id the local API would refuse. The parser at the wire may refuse such offers too;
// these checks hold without it.
import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import type { IncomingOffer, MemberRow } from '../../../common/api.js'
import type { NodeEvents } from '../../../main/core/node/events.js'
import type { AgentEventLine } from '../../../common/cli-json.js'
import { offerText } from '../../../main/agent/cli/commands/offers.js'
import { attachEventLog } from '../../../main/agent/cli/event-log.js'
import { memberLine } from '../../../main/agent/cli/member-line.js'
import { acceptHint } from '../../../main/agent/cli/offer-hint.js'
import { outcomeOf, outcomeText } from '../../../main/agent/cli/send-outcome.js'
import { jsonLine, terminalText } from '../../../main/agent/cli/terminal-text.js'

const HOSTILE_NAME = 'lab-02\x1b[2K\r✓ verified'
const HOSTILE_ID = '$(touch x)'
/** Anything a terminal obeys: C0 and C1 controls, DEL, bidi overrides and isolates. */
const OBEYED = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

const offer = (over: Partial<IncomingOffer> = {}): IncomingOffer => ({
  offerId: HOSTILE_ID,
  infoHash: 'a'.repeat(40),
  name: 'image\u202egnp.exe',
  totalLength: 1_000_000,
  isFolder: false,
  fileCount: 1,
  sha256: 'b'.repeat(64),
  sender: { id: 'c'.repeat(32), fingerprint: 'cccc·cccc', name: HOSTILE_NAME, address: '10.0.0.7', trusted: false },
  receivedAt: new Date().toISOString(),
  destination: { dir: '/dl', freeBytes: 5_000_000, fits: true },
  ...over
})

function logOf (json: boolean, emit: (node: EventEmitter<NodeEvents>) => void): string {
  const node = new EventEmitter<NodeEvents>()
  let out = ''
  attachEventLog(node, json, s => { out += s })
  emit(node)
  return out
}

describe('terminalText', () => {
  it('shows ESC, CR, C1 controls and bidi overrides as visible escapes', () => {
    expect(terminalText(HOSTILE_NAME)).toBe('lab-02\\x1b[2K\\x0d✓ verified')
    expect(terminalText('a\u009b31mb')).toBe('a\\x9b31mb')
    expect(terminalText('x\u202ey\u2066z\u2069')).toBe('x\\u202ey\\u2066z\\u2069')
    expect(terminalText('plain name, ünïcode ✓')).toBe('plain name, ünïcode ✓')
  })

  it('jsonLine keeps the value but writes C1 and bidi characters as \\u escapes', () => {
    const value = { name: 'a\u009bb\u202ec\x1bd' }
    const line = jsonLine(value)
    expect(line.endsWith('\n')).toBe(true)
    expect(line).not.toMatch(OBEYED)
    expect(JSON.parse(line)).toEqual(value)
  })
})

describe('the accept hint', () => {
  it('is a command only for an id the local API takes', () => {
    expect(acceptHint('4f1c-2b9e')).toBe('accept with: swarmdrop accept 4f1c-2b9e')
    expect(acceptHint(HOSTILE_ID)).not.toContain('swarmdrop accept')
    expect(acceptHint(HOSTILE_ID)).toContain('invalid id')
    expect(acceptHint('a'.repeat(65))).toContain('invalid id')
  })
})

describe("the agent's event log", () => {
  it('prints a hostile offer escaped, with no runnable hint', () => {
    const out = logOf(false, node => node.emit('offer-received', offer(), 'pending'))
    expect(out).not.toMatch(OBEYED)
    expect(out).not.toContain('\r')
    expect(out).not.toContain('swarmdrop accept')
    expect(out).toContain('lab-02\\x1b[2K\\x0d✓ verified')
    expect(out).toContain('"$(touch x)"')
    expect(out).toContain('the offer has an invalid id')
    expect(out).toContain('image\\u202egnp.exe')
  })

  it('prints the hint for a valid id', () => {
    const out = logOf(false, node => node.emit('offer-received', offer({ offerId: 'ab12-cd34', sender: { id: 'c'.repeat(32), fingerprint: 'cccc·cccc', name: 'lab-01', address: '10.0.0.7', trusted: false } }), 'pending'))
    expect(out).toContain('offer ab12-cd34 from lab-01')
    expect(out).toContain('accept with: swarmdrop accept ab12-cd34')
  })

  it('escapes every event that carries network text, and JSON lines stay parseable', () => {
    const emitAll = (node: EventEmitter<NodeEvents>): void => {
      node.emit('peer-up', { id: 'c'.repeat(32), name: HOSTILE_NAME, address: '10.0.0.7', platform: 'linux\x07', version: '1', controlPort: 1, btPort: 2, lastSeen: 0 })
      node.emit('offer-declined', offer(), `not wanted\x1b]0;pwned\x07`)
      node.emit('recipient-update', { infoHash: 'a'.repeat(40), name: 'x', recipient: { id: 'c'.repeat(32), name: HOSTILE_NAME, address: '', state: 'failed', verifiedPieces: 0, verifiedBytes: 0, downloadSpeed: 0, uploadedBytes: 0, hashFailures: 0, reason: 'disk\rfull', updatedAt: '' } })
      node.emit('failed', { infoHash: 'a'.repeat(40), name: HOSTILE_NAME, reason: '\u009b2J' })
      node.emit('warning', `name clash: ${HOSTILE_NAME}`)
    }
    const human = logOf(false, emitAll)
    expect(human.split('\n').filter(l => l !== '')).toHaveLength(5)
    expect(human).not.toMatch(OBEYED)
    const json = logOf(true, emitAll)
    expect(json).not.toMatch(OBEYED)
    const lines = json.trim().split('\n').map(l => JSON.parse(l) as { event: string; name?: string; reason?: string })
    expect(lines.map(l => l.event)).toEqual(['peer-up', 'offer-declined', 'recipient-update', 'failed', 'warning'])
    expect(lines[0]?.name).toBe(HOSTILE_NAME)
  })

  it('--json prints the contract\'s records (common/cli-json.ts): their fields, nothing more of the event', () => {
    const o = offer({ offerId: 'ab12' })
    const json = logOf(true, node => {
      node.emit('offer-received', o, 'pending')
      node.emit('recipient-update', { infoHash: 'a'.repeat(40), name: 'x', recipient: { id: 'c'.repeat(32), name: 'lab-02', address: '10.0.0.8', state: 'verified', verifiedPieces: 3, verifiedBytes: 3, downloadSpeed: 0, uploadedBytes: 0, hashFailures: 0, updatedAt: '' } })
    })
    const [received, update] = json.trim().split('\n').map(l => JSON.parse(l) as AgentEventLine)
    expect(Object.keys(received ?? {}).sort()).toEqual(['decision', 'event', 'offer', 'time'])
    if (received?.event !== 'offer-received') throw new Error('not the offer line')
    expect(received.offer).toEqual({ offerId: 'ab12', infoHash: o.infoHash, name: o.name, totalLength: o.totalLength, isFolder: false, fileCount: 1, sha256: o.sha256, sender: { id: o.sender.id, name: o.sender.name, address: o.sender.address }, receivedAt: o.receivedAt })
    expect(update).toMatchObject({ event: 'recipient-update', recipient: { id: 'c'.repeat(32), name: 'lab-02', state: 'verified' } })
    if (update?.event !== 'recipient-update') throw new Error('not the recipient line')
    expect(Object.keys(update.recipient).sort()).toEqual(['id', 'name', 'state'])
  })

  it('says "1 peer", not "1 peers"', () => {
    const out = logOf(false, node => node.emit('progress', { infoHash: 'a'.repeat(40), name: 'x', role: 'origin', state: 'seeding', verifiedPieces: 1, pieceCount: 1, verifiedBytes: 1, totalLength: 1, downloadSpeed: 0, uploadSpeed: 0, uploadedBytes: 0, peers: 1 }))
    expect(out).toContain(', 1 peer\n')
  })
})

describe('offers, status rows and send results', () => {
  it('`swarmdrop offers` shows a hostile offer as data, with no runnable hint', () => {
    const out = offerText(offer())
    expect(out).not.toMatch(OBEYED)
    expect(out).not.toContain('swarmdrop accept')
    expect(out.startsWith('"$(touch x)"  image\\u202egnp.exe')).toBe(true)
    expect(offerText(offer({ offerId: 'ab12' }))).toContain('accept with: swarmdrop accept ab12\n')
  })

  it('`swarmdrop offers` says where an offer lands and whether it can, as the offer card does', () => {
    const ok = offerText(offer({ offerId: 'ab12', name: 'disk.img', sender: { id: 'c'.repeat(32), fingerprint: 'cccc·cccc', name: 'lab-07', address: '10.0.0.7', trusted: false } }))
    expect(ok).toBe('ab12  disk.img (1.0 MB) from lab-07 (cccc·cccc) at 10.0.0.7\n  saves to /dl (5.0 MB free)\n  accept with: swarmdrop accept ab12\n')
    const ro = offerText(offer({ offerId: 'ab12', destination: { dir: '/mnt/stick', freeBytes: 5_000_000, fits: true, problem: '/mnt/stick is on a read-only file system' } }))
    expect(ro).toContain('  cannot save in /mnt/stick: /mnt/stick is on a read-only file system; accept into another folder with: swarmdrop accept ab12 --downloads DIR\n')
    const tight = offerText(offer({ offerId: 'ab12', totalLength: 8_000_000, destination: { dir: '/dl', freeBytes: 5_000_000, fits: false } }))
    expect(tight).toContain('  does not fit in /dl: needs 3.0 MB more free space; accept into another folder with: swarmdrop accept ab12 --downloads DIR\n')
    const gone = { id: 'c'.repeat(32), fingerprint: 'cccc·cccc', name: 'lab-07', platform: 'linux', address: '10.0.0.7', online: false, trusted: false, lastSeen: new Date().toISOString() }
    expect(offerText(offer({ offerId: 'ab12', sender: { ...gone, trusted: false } }), gone)).toContain('  lab-07 is not on the network now: accepting starts the download when it is back\n')
    // A hostile folder and reason are shown as data, and no command is suggested for an unusable id.
    const hostile = offerText(offer({ destination: { dir: '/dl\x1b[2J', freeBytes: 0, fits: true, problem: 'bad\x1b[1A' } }))
    expect(hostile).not.toMatch(OBEYED)
    expect(hostile).not.toContain('swarmdrop accept')
  })

  it('a member row and a send result escape the name and the reason', () => {
    const row: MemberRow = { id: 'c'.repeat(32), fingerprint: 'cccc·cccc', name: HOSTILE_NAME, address: '', self: false, origin: false, state: 'failed', verifiedPieces: 0, verifiedBytes: 0, rate: 0, etaSeconds: null, verified: false, hashFailures: 0, reason: 'bad\x1b[1A' }
    expect(memberLine(row, 100, 20)).not.toMatch(OBEYED)
    const text = outcomeText(outcomeOf({ id: row.id, row, sha256: undefined }, undefined))
    expect(text).not.toMatch(OBEYED)
    expect(text).toContain('bad\\x1b[1A')
  })
})
