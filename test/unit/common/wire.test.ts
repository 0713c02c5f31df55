// The WebSocket framing: a state survives the trip with its piece maps as bytes, commands and
// replies keep their ids, and malformed frames are refused as values.
import { describe, expect, it } from 'vitest'
import { API_VERSION, PIECE, type AppState, type Distribution } from '../../../common/api.js'
import { parseCommand } from '../../../common/commands.js'
import { base64ToBytes, bytesToBase64, decodeState, encodeCommandFrame, encodeServerFrame, encodeState, parseCommandFrame, parseServerFrame } from '../../../common/wire.js'

const ID = '0123456789abcdef0123456789abcdef'
const OTHER = 'fedcba9876543210fedcba9876543210'

function distribution (pieceCount: number): Distribution {
  const holders = new Uint8Array(pieceCount).map((_, i) => i % 256)
  const local = new Uint8Array(pieceCount).map((_, i) => [PIECE.missing, PIECE.inFlight, PIECE.verified, PIECE.refetched, PIECE.failed][i % 5] ?? 0)
  const bits = new Uint8Array(Math.ceil(pieceCount / 8)).map((_, i) => (i * 37) & 0xff)
  return {
    infoHash: 'b'.repeat(40), name: 'disk.img', role: 'origin', isFolder: false, totalLength: pieceCount * 16384, pieceLength: 16384,
    pieceCount, fileCount: 1, sha256: 'c'.repeat(64), state: 'seeding', createdAt: '2026-11-22T07:00:00.000Z', path: '/srv/disk.img',
    uploadRate: 10, downloadRate: 0, uploadedBytes: 5, members: [],
    totals: { machines: 2, verifiedMachines: 1, recipients: 1, verifiedRecipients: 0, refusedRecipients: 0, lostRecipients: 0, aggregateRate: 0, copiesInSwarm: 1.5, originUploadRatio: 0.5, hashFailures: 0, bannedPeers: 0, peersConnected: 1, slowestEtaSeconds: null },
    pieces: { pieceCount, holders, local, members: { [ID]: bits, [OTHER]: new Uint8Array(bits.length) } }
  }
}

function state (pieceCounts: readonly number[]): AppState {
  return {
    apiVersion: API_VERSION,
    shell: 'web',
    self: { id: ID, fingerprint: '0123·4567', name: 'lab-07', platform: 'linux', version: '0.1.0' },
    machines: [],
    distributions: pieceCounts.map(distribution),
    hashing: [],
    offers: [],
    rates: { upload: 1, download: 2 },
    seedingPaused: false,
    settings: { name: 'lab-07', downloadsDir: '/dl', accept: 'ask', uploadLimit: 0, downloadLimit: 0, startAtLogin: false, startHidden: false },
    groups: [],
    channels: [],
    notices: []
  }
}

describe('base64 of bytes', () => {
  it('round-trips every byte value and long arrays', () => {
    const all = new Uint8Array(256).map((_, i) => i)
    expect(base64ToBytes(bytesToBase64(all))).toEqual(all)
    const big = new Uint8Array(100_003).map((_, i) => (i * 7919) & 0xff)
    expect(base64ToBytes(bytesToBase64(big))).toEqual(big)
    expect(bytesToBase64(new Uint8Array([1, 2, 3]))).toBe(Buffer.from([1, 2, 3]).toString('base64'))
    expect(base64ToBytes('%%%')).toBeUndefined()
  })
})

describe('state frames', () => {
  it('round-trip with piece maps, including 20,000 pieces and an empty torrent', () => {
    const s = state([20_000, 1, 0, 13])
    const text = encodeServerFrame({ kind: 'state', state: s })
    expect(text).not.toContain('"0":') // bytes travel as base64, not as objects of indexes
    const back = parseServerFrame(text)
    expect(back).toEqual({ ok: true, value: { kind: 'state', state: s } })
    if (back.ok && back.value.kind === 'state') expect(back.value.state.distributions[0]?.pieces.holders).toBeInstanceOf(Uint8Array)
  })

  it('refuses piece maps of the wrong size', () => {
    const wire = encodeState(state([16]))
    const d = wire.distributions[0]
    if (!d) throw new Error('no distribution')
    const short = { ...wire, distributions: [{ ...d, pieces: { ...d.pieces, local: bytesToBase64(new Uint8Array(15)) } }] }
    expect(decodeState(short).ok).toBe(false)
    const badBits = { ...wire, distributions: [{ ...d, pieces: { ...d.pieces, members: { [ID]: bytesToBase64(new Uint8Array(3)) } } }] }
    expect(decodeState(badBits).ok).toBe(false)
    expect(decodeState({ ...wire, distributions: 'x' }).ok).toBe(false)
    expect(decodeState({ ...wire, self: null }).ok).toBe(false)
  })
})

describe('command and reply frames', () => {
  it('carry the id and the command', () => {
    const cmd = parseCommand({ type: 'offer', infoHash: 'b'.repeat(40), to: [ID] })
    if (!cmd.ok) throw new Error(cmd.error.message)
    const f = parseCommandFrame(encodeCommandFrame(7, cmd.value))
    expect(f).toEqual({ id: 7, result: cmd })
  })

  it('answer a bad command with its id, and a bad frame without one', () => {
    const f = parseCommandFrame(JSON.stringify({ kind: 'command', id: 3, command: { type: 'rm -rf' } }))
    expect(f.id).toBe(3)
    expect(f.result.ok).toBe(false)
    for (const junk of ['not json', '[]', JSON.stringify({ kind: 'command', id: -1, command: { type: 'pause' } }), JSON.stringify({ kind: 'reply', id: 1 }), 42]) {
      const r = parseCommandFrame(junk)
      expect(r.id).toBeUndefined()
      expect(r.result.ok).toBe(false)
    }
  })

  it('round-trip replies, success and failure', () => {
    const okReply = { kind: 'reply', id: 9, result: { ok: true, value: { jobId: 'j' } } } as const
    expect(parseServerFrame(encodeServerFrame(okReply))).toEqual({ ok: true, value: okReply })
    const failed = { kind: 'reply', id: 10, result: { ok: false, error: { code: 'no-space', message: 'full' } } } as const
    expect(parseServerFrame(encodeServerFrame(failed))).toEqual({ ok: true, value: failed })
    expect(parseServerFrame(JSON.stringify({ kind: 'reply', id: 1, result: { ok: false, error: 'x' } })).ok).toBe(false)
    expect(parseServerFrame('{').ok).toBe(false)
  })
})
