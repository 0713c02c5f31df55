// The UI's derived figures, straight from records and bitfields: piece maps (holders and this
// device's PIECE codes), member rows, totals and ETAs, for an origin and for a recipient.
import { describe, expect, it } from 'vitest'
import { PIECE } from '../../../common/api.js'
import { distributionView, type DistributionInput } from '../../../main/core/app/distribution-view.js'
import { machinesView } from '../../../main/core/app/machines-view.js'
import { offerView } from '../../../main/core/app/offers-view.js'
import { bitfieldFromBase64, countPieces, fullBitfield, hasPiece, holdersOf, localCodes, normalizeBitfield } from '../../../main/core/app/piece-maps.js'
import { copiesInSwarm, etaSeconds, slowestEta } from '../../../main/core/app/swarm-totals.js'
import type { OriginRecord, RecipientRecord, RecipientStatus } from '../../../main/core/distributions/records.js'
import type { TransferStats } from '../../../main/core/engine/engine.js'
import { staleMessage } from '../../../main/core/engine/source-stamp.js'
import type { RelayedMember, SwarmView } from '../../../main/core/protocol/swarm-view.js'

const ME = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
const R1 = '11111111111111111111111111111111'
const R2 = '22222222222222222222222222222222'
const IH = 'c'.repeat(40)

/** Bitfield with exactly the listed pieces set. */
function bits (pieceCount: number, pieces: readonly number[]): Uint8Array {
  const b = new Uint8Array(Math.ceil(pieceCount / 8))
  for (const i of pieces) b[i >> 3] = (b[i >> 3] ?? 0) | (0x80 >> (i & 7))
  return b
}

const common = { infoHash: IH, name: 'disk.img', isFolder: false, totalLength: 9 * 1000 + 500, pieceLength: 1000, pieceCount: 10, fileCount: 1, sha256: 'd'.repeat(64), createdAt: '2026-11-22T07:00:00.000Z' }

function recipient (id: string, state: RecipientStatus['state'], pieces: readonly number[] | undefined, speed: number): RecipientStatus {
  return {
    id, name: `m-${id.slice(0, 2)}`, address: `10.0.0.${id.slice(0, 1)}`, state, verifiedPieces: pieces?.length ?? 0, verifiedBytes: (pieces?.length ?? 0) * 1000,
    downloadSpeed: speed, uploadedBytes: 0, hashFailures: id === R1 ? 2 : 0, updatedAt: '2026-11-22T07:00:01.000Z',
    ...(pieces ? { bitfield: Buffer.from(bits(10, pieces)).toString('base64') } : {})
  }
}

function transfer (over: Partial<TransferStats> = {}): TransferStats {
  return {
    infoHash: IH, ready: true, done: false, paused: false, verifiedPieces: 0, pieceCount: 10, verifiedBytes: 0, receivedBytes: 0, uploadedBytes: 0,
    downloadSpeed: 0, uploadSpeed: 0, hashFailures: 0, bannedPeers: [], peers: [], ...over
  }
}

function input (over: Partial<DistributionInput> & Pick<DistributionInput, 'record'>): DistributionInput {
  return { self: { id: ME, name: 'me' }, transfer: undefined, ownBits: undefined, peerBits: [], inFlight: new Set(), failed: new Set(), banned: new Set(), paused: false, ...over }
}

describe('piece maps', () => {
  it('reads and writes bitfields in BitTorrent order', () => {
    const b = bits(10, [0, 7, 9])
    expect([...b]).toEqual([0b1000_0001, 0b0100_0000])
    expect(hasPiece(b, 0) && hasPiece(b, 7) && hasPiece(b, 9) && !hasPiece(b, 8)).toBe(true)
    expect([...fullBitfield(10)]).toEqual([0xff, 0xc0])
    expect(countPieces(fullBitfield(10), 10)).toBe(10)
    // Spare bits past the last piece and short fields are normalised.
    expect([...normalizeBitfield(new Uint8Array([0xff, 0xff, 0xff]), 10)]).toEqual([0xff, 0xc0])
    expect([...normalizeBitfield(new Uint8Array([0x80]), 10)]).toEqual([0x80, 0])
    expect(bitfieldFromBase64(Buffer.from(b).toString('base64'), 10)).toEqual(b)
    expect(bitfieldFromBase64(Buffer.from([1, 2, 3]).toString('base64'), 10)).toBeUndefined()
    expect(bitfieldFromBase64('not base64!', 10)).toBeUndefined()
  })

  it('counts holders per piece, capped at 255', () => {
    expect([...holdersOf(10, [fullBitfield(10), bits(10, [1, 2]), bits(10, [2])])]).toEqual([1, 2, 3, 1, 1, 1, 1, 1, 1, 1])
    expect(holdersOf(3, Array.from({ length: 300 }, () => fullBitfield(3)))[0]).toBe(255)
  })

  it('gives this device each piece its code: failed until refetched, in flight while requested', () => {
    const codes = localCodes(6, bits(6, [0, 1]), new Set([2, 3]), new Set([1, 3, 4]))
    expect([...codes]).toEqual([PIECE.verified, PIECE.refetched, PIECE.inFlight, PIECE.failed, PIECE.failed, PIECE.missing])
  })
})

describe('totals and ETA', () => {
  it('ETA is remaining bytes over rate, unknown at rate 0 or when done', () => {
    expect(etaSeconds(1000, 100)).toBe(10)
    expect(etaSeconds(1001, 100)).toBe(11)
    expect(etaSeconds(1000, 0)).toBeNull()
    expect(etaSeconds(0, 100)).toBeNull()
  })

  it('copies in swarm is pieces held over piece count', () => {
    expect(copiesInSwarm(10, [fullBitfield(10), bits(10, [0, 1, 2, 3, 4])])).toBe(1.5)
    expect(copiesInSwarm(0, [])).toBe(0)
  })

  it('the slowest ETA counts only members still receiving', () => {
    const row = (state: 'downloading' | 'verified' | 'accepted' | 'no-space', eta: number | null): Parameters<typeof slowestEta>[0][number] =>
      ({ id: ME, fingerprint: '', name: '', address: '', self: false, origin: false, state, verifiedPieces: 0, verifiedBytes: 0, rate: 0, etaSeconds: eta, verified: false, hashFailures: 0 })
    expect(slowestEta([row('downloading', 5), row('accepted', 9), row('verified', 100)])).toBe(9)
    expect(slowestEta([row('downloading', null)])).toBeNull()
    expect(slowestEta([])).toBeNull()
    // A machine out of space goes on once space is freed: no time to promise until then (the
    // window read "on hold" while `status --json` still gave the others' ETA).
    expect(slowestEta([row('downloading', 5), row('no-space', null)])).toBeNull()
  })
})

describe('an origin distribution', () => {
  const record: OriginRecord = {
    role: 'origin', ...common, state: 'seeding', parentDir: '/srv', sources: [{ absolutePath: '/srv/disk.img', length: 9500, mtimeMs: 1 }],
    recipients: [recipient(R1, 'downloading', [0, 1, 2, 3], 500), recipient(R2, 'verified', undefined, 0)],
    members: []
  }

  it('has a row per member, the origin first and complete', () => {
    const d = distributionView(input({ record, transfer: transfer({ uploadedBytes: 19_000, uploadSpeed: 1234.4, peers: [{ address: '10.0.0.1:1', downloadSpeed: 0, uploadSpeed: 0, downloaded: 0, uploaded: 0 }] }) }))
    expect(d.members.map(m => [m.id, m.state, m.self, m.origin])).toEqual([[ME, 'verified', true, true], [R1, 'downloading', false, false], [R2, 'verified', false, false]])
    const r1 = d.members[1]
    expect(r1?.rate).toBe(500)
    expect(r1?.etaSeconds).toBe(Math.ceil((9500 - 4000) / 500))
    expect(d.path).toBe('/srv/disk.img')
    expect(d.uploadRate).toBe(1234)
    expect(d.totals).toEqual({
      machines: 3, verifiedMachines: 2, recipients: 2, verifiedRecipients: 1, refusedRecipients: 0, lostRecipients: 0, aggregateRate: 500,
      copiesInSwarm: 2.4, originUploadRatio: 2, hashFailures: 2, bannedPeers: 0, peersConnected: 1, slowestEtaSeconds: 11
    })
  })

  it('draws holders from the origin and every reported bitfield', () => {
    const d = distributionView(input({ record }))
    expect([...d.pieces.holders]).toEqual([3, 3, 3, 3, 2, 2, 2, 2, 2, 2])
    expect([...d.pieces.local]).toEqual(new Array(10).fill(PIECE.verified))
    expect(Object.keys(d.pieces.members).sort()).toEqual([R1, R2, ME].sort())
    expect(d.pieces.members[R1]).toEqual(bits(10, [0, 1, 2, 3]))
  })

  it('a lost member has a state of its own: no rate, no ETA, left out of the slowest ETA, and says since when', () => {
    // Lost while out of space: the reason of that earlier state is not shown as why it is lost.
    const lost: RecipientStatus = { ...recipient(R1, 'lost', [0, 1, 2, 3], 0), lostSince: '2026-11-22T07:00:05.000Z', reason: 'not enough space in /dl: 25.7 MB more needed (0 B free); it resumes by itself once space is freed' }
    const d = distributionView(input({ record: { ...record, recipients: [lost, recipient(R2, 'downloading', [0], 100)] } }))
    const row = d.members.find(m => m.id === R1)
    expect(row).toMatchObject({ state: 'lost', rate: 0, etaSeconds: null, lostSince: '2026-11-22T07:00:05.000Z', verified: false })
    expect(row).not.toHaveProperty('reason')
    expect(d.totals.slowestEtaSeconds).toBe(Math.ceil((9500 - 1000) / 100))
    expect(d.totals.lostRecipients).toBe(1)
    // What it held before it went away still counts as held.
    expect(d.pieces.members[R1]).toEqual(bits(10, [0, 1, 2, 3]))
  })

  it('a verified member that went away stays verified, marked offline, and no longer counts as a copy in the swarm', () => {
    const away: RecipientStatus = { ...recipient(R2, 'verified', undefined, 0), offlineSince: '2026-11-22T07:00:07.000Z' }
    const d = distributionView(input({ record: { ...record, recipients: [recipient(R1, 'downloading', [0, 1, 2, 3], 500), away] } }))
    expect(d.members.find(m => m.id === R2)).toMatchObject({ state: 'verified', verified: true, offlineSince: '2026-11-22T07:00:07.000Z', rate: 0, etaSeconds: null })
    expect(d.totals.verifiedRecipients).toBe(1)
    // The origin's copy and R1's 4 pieces: R2's full copy serves nobody now.
    expect(d.totals.copiesInSwarm).toBeCloseTo(1.4)
    expect([...d.pieces.holders]).toEqual([2, 2, 2, 2, 1, 1, 1, 1, 1, 1])
    // Its own map still shows what it holds.
    expect(d.pieces.members[R2]).toEqual(bits(10, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]))
    // Back (the mark is gone): a copy again.
    const back = distributionView(input({ record: { ...record, recipients: [recipient(R1, 'downloading', [0, 1, 2, 3], 500), recipient(R2, 'verified', undefined, 0)] } }))
    expect(back.members.find(m => m.id === R2)).not.toHaveProperty('offlineSince')
    expect(back.totals.copiesInSwarm).toBeCloseTo(2.4)
    // The mark means nothing on a member that is not verified.
    const odd = distributionView(input({ record: { ...record, recipients: [{ ...recipient(R1, 'downloading', [0], 5), offlineSince: '2026-11-22T07:00:07.000Z' }] } }))
    expect(odd.members.find(m => m.id === R1)).not.toHaveProperty('offlineSince')
  })

  it('a machine that has not accepted, or declined, holds nothing, whatever bitfield it sent', () => {
    const d = distributionView(input({ record: { ...record, recipients: [recipient(R1, 'pending', [0, 1, 2], 0), recipient(R2, 'declined', [0], 0)] } }))
    expect([...d.pieces.holders]).toEqual(new Array(10).fill(1))
    expect(Object.keys(d.pieces.members)).toEqual([ME])
    expect(d.totals).toMatchObject({ recipients: 2, verifiedRecipients: 0, refusedRecipients: 1, verifiedMachines: 1 })
  })

  it('a re-send to a machine that had the file reads verified, already had it', () => {
    const had: RecipientStatus = { ...recipient(R2, 'verified', undefined, 0), alreadyHad: true }
    const d = distributionView(input({ record: { ...record, recipients: [had] } }))
    expect(d.members.find(m => m.id === R2)).toMatchObject({ state: 'verified', verified: true, alreadyHad: true })
  })

  it('shows paused, and counts banned peers from events and the engine once each', () => {
    const d = distributionView(input({ record, paused: true, transfer: transfer({ bannedPeers: ['10.0.0.9'] }), banned: new Set(['10.0.0.9', '10.0.0.8']) }))
    expect(d.state).toBe('paused')
    expect(d.reason).toMatch(/paused/)
    expect(d.totals.bannedPeers).toBe(2)
  })
})

describe('connections refused for failing the member key proof', () => {
  const record: OriginRecord = { role: 'origin', ...common, state: 'seeding', parentDir: '/srv', sources: [{ absolutePath: '/srv/disk.img', length: 9500, mtimeMs: 1 }], recipients: [], members: [] }
  it('are carried on the distribution as notices, and absent when there were none', () => {
    const impostors = [{ address: '10.0.0.7', claimedId: R1, reason: 'the proof signature does not verify', at: '2026-11-22T08:00:00.000Z' }]
    expect(distributionView(input({ record, impostors })).impostors).toEqual(impostors)
    expect(distributionView(input({ record, impostors: [] }))).not.toHaveProperty('impostors')
    expect(distributionView(input({ record }))).not.toHaveProperty('impostors')
  })
})

describe('the reason of a distribution whose source changed', () => {
  const reason = staleMessage('segments/c-0.bin', 'the file is missing')
  const record: OriginRecord = { role: 'origin', ...common, state: 'stale', reason, parentDir: '/srv', sources: [{ absolutePath: '/srv/disk.img', length: 9500, mtimeMs: 1 }], recipients: [], members: [] }
  it('a watched folder\'s batch: the folder sends the files again by itself, so no advice to make a new distribution', () => {
    expect(distributionView(input({ record: { ...record, channel: '0123456789abcdef' } })).reason)
      .toBe('segments/c-0.bin changed on disk while being sent (the file is missing); sending stopped. This batch is no longer served; the watched folder sends its files again in a new batch by itself.')
  })
  it('a watched folder\'s batch every machine had verified: not "while being sent", but what happened', () => {
    const batch: OriginRecord = { ...record, channel: '0123456789abcdef', recipients: [recipient(R1, 'verified', [0], 0), recipient(R2, 'verified', [0], 0)] }
    expect(distributionView(input({ record: batch })).reason)
      .toBe('segments/c-0.bin went from the folder after every machine had verified this batch. This batch is no longer served; it is served again if its files come back as they were.')
    const edited = { ...batch, reason: staleMessage('segments/c-0.bin', 'its size went from 9 to 12 bytes') }
    expect(distributionView(input({ record: edited })).reason)
      .toBe('segments/c-0.bin changed on disk after every machine had verified this batch (its size went from 9 to 12 bytes). This batch is no longer served; a new batch carries the change.')
    // One machine still fetching it: it was being sent, and the words stay so.
    const midway = { ...edited, recipients: [recipient(R1, 'verified', [0], 0), recipient(R2, 'downloading', [], 0)] }
    expect(distributionView(input({ record: midway })).reason).toMatch(/^segments\/c-0\.bin changed on disk while being sent \(its size went from 9 to 12 bytes\); sending stopped\. This batch is no longer served;/)
  })
  it('a distribution sent by hand keeps the advice: only a person sends its new version', () => {
    expect(distributionView(input({ record })).reason).toBe(`${reason}`)
    expect(reason).toMatch(/create a new distribution to send the new version$/)
  })
})

describe('a recipient distribution', () => {
  const record: RecipientRecord = {
    role: 'recipient', ...common, state: 'downloading', offerId: 'o-1',
    sender: { id: R1, name: 'origin', address: '10.0.0.1', controlPort: 47620 },
    members: [{ id: R1, name: 'origin', address: '10.0.0.1', btPort: 1 }, { id: ME, name: 'me', address: '10.0.0.5', btPort: 1 }, { id: R2, name: 'peer', address: '10.0.0.2', btPort: 1 }],
    downloadsDir: '/dl', finalName: 'disk.img'
  }

  it('counts its own pieces from the engine and its peers from their bitfields', () => {
    const own = bits(10, [0, 9])
    const d = distributionView(input({
      record,
      ownBits: own,
      transfer: transfer({ downloadSpeed: 250, hashFailures: 1 }),
      peerBits: [{ address: '10.0.0.2', bits: bits(10, [0, 1, 2]) }],
      inFlight: new Set([1, 2]),
      failed: new Set([9, 3])
    }))
    expect(d.members.map(m => [m.id, m.state, m.origin, m.self])).toEqual([[R1, 'verified', true, false], [ME, 'downloading', false, true], [R2, 'downloading', false, false]])
    const me = d.members[1]
    expect(me?.verifiedPieces).toBe(2)
    expect(me?.verifiedBytes).toBe(1000 + 500)
    expect(me?.etaSeconds).toBe(Math.ceil((9500 - 1500) / 250))
    expect([...d.pieces.holders]).toEqual([3, 2, 2, 1, 1, 1, 1, 1, 1, 2])
    expect([...d.pieces.local]).toEqual([PIECE.verified, PIECE.inFlight, PIECE.inFlight, PIECE.failed, 0, 0, 0, 0, 0, PIECE.refetched])
    expect(d.totals.originUploadRatio).toBeNull()
    expect(d.totals.hashFailures).toBe(1)
    expect(d.totals.slowestEtaSeconds).toBe(32)
    expect(d.path).toBe('/dl/disk.img')
  })

  it('another member never heard of reads unknown, not a made-up 0 %', () => {
    const d = distributionView(input({ record }))
    expect(d.members.find(m => m.id === R2)).toMatchObject({ state: 'unknown', verified: false, verifiedPieces: 0 })
    expect(d.pieces.members[R2]).toBeUndefined()
  })

  it('a member whose connection has shown no piece yet reads unknown too (a restart, before the sender answers)', () => {
    const d = distributionView(input({ record, peerBits: [{ address: '10.0.0.2', bits: bits(10, []) }] }))
    expect(d.members.find(m => m.id === R2)).toMatchObject({ state: 'unknown', verified: false, verifiedPieces: 0 })
  })

  it('shows the other members as the sender relayed them: lost, verified, already had it', () => {
    const mine: RelayedMember = { id: ME, name: 'me', state: 'downloading', verifiedPieces: 1, verifiedBytes: 1000, downloadSpeed: 10, hashFailures: 0, seq: 5 }
    const peer: RelayedMember = { id: R2, name: 'peer', state: 'lost', verifiedPieces: 3, verifiedBytes: 3000, downloadSpeed: 0, hashFailures: 0, seq: 9, lostSince: '2026-11-22T07:00:09.000Z' }
    const view: SwarmView = { protocol: 2, infoHash: IH, members: [mine, peer] }
    const lost = distributionView(input({ record, heard: { view, heardAt: 1000 }, now: 2000 }))
    expect(lost.members.find(m => m.id === R2)).toMatchObject({ state: 'lost', verifiedBytes: 3000, rate: 0, etaSeconds: null, lostSince: '2026-11-22T07:00:09.000Z' })
    const done: SwarmView = { ...view, members: [{ ...peer, state: 'verified', alreadyHad: true }] }
    const later = distributionView(input({ record: { ...record, state: 'verified' }, heard: { view: done, heardAt: 1000 }, now: 2000 }))
    expect(later.members.map(m => [m.state, m.verified])).toEqual([['verified', true], ['verified', true], ['verified', true]])
    expect(later.members.find(m => m.id === R2)?.alreadyHad).toBe(true)
    expect(later.totals.verifiedRecipients).toBe(2)
    // The sender relays that a verified member went away: verified and offline here too.
    const away: SwarmView = { ...view, members: [{ ...peer, state: 'verified', offlineSince: '2026-11-22T07:00:11.000Z' }] }
    const gone = distributionView(input({ record: { ...record, state: 'verified' }, heard: { view: away, heardAt: 1000 }, now: 2000 }))
    expect(gone.members.find(m => m.id === R2)).toMatchObject({ state: 'verified', verified: true, offlineSince: '2026-11-22T07:00:11.000Z' })
    expect(gone.totals.copiesInSwarm).toBe(2)
    // A member the sender added later (a re-send to more machines) appears from its view.
    const R3 = '33333333333333333333333333333333'
    const more: SwarmView = { ...view, members: [...view.members, { ...mine, id: R3, name: 'new-one', state: 'pending' }] }
    expect(distributionView(input({ record, heard: { view: more } })).members.find(m => m.id === R3)).toMatchObject({ name: 'new-one', state: 'pending' })
  })

  it('the sender is shown lost once it stops answering, and since when it was last heard', () => {
    // Its connection is still open (a pulled cable sends no FIN): seen in a screenshot as "1 peer connected".
    const toSender = transfer({ peers: [{ address: '10.0.0.1:47621', downloadSpeed: 0, uploadSpeed: 0, downloaded: 0, uploaded: 0, member: R1 }, { address: '10.0.0.9:6881', downloadSpeed: 0, uploadSpeed: 0, downloaded: 0, uploaded: 0 }] })
    const d = distributionView(input({ record, transfer: toSender, heard: { heardAt: 10_000, senderSilentSince: 11_000 }, now: 15_000 }))
    expect(d.members[0]).toMatchObject({ origin: true, state: 'lost', lostSince: new Date(10_000).toISOString() })
    expect(d.totals.peersConnected).toBe(1)
    expect(distributionView(input({ record, transfer: toSender })).totals.peersConnected).toBe(2)
    const brief = distributionView(input({ record, heard: { heardAt: 10_000, senderSilentSince: 11_000 }, now: 12_000 }))
    expect(brief.members[0]?.state).toBe('verified')
  })

  // Seen by hand (session 26): with the origin killed, another member's row kept reading the last
  // rate the origin had relayed (20.5 MB/s) for as long as the origin was away.
  it('a rate the sender relayed is not shown once the sender is silent', () => {
    const peer: RelayedMember = { id: R2, name: 'peer', state: 'downloading', verifiedPieces: 3, verifiedBytes: 3000, downloadSpeed: 20_500_000, hashFailures: 0, seq: 9 }
    const view: SwarmView = { protocol: 2, infoHash: IH, members: [peer] }
    const heard = distributionView(input({ record, heard: { view, heardAt: 10_000 }, now: 11_000 }))
    expect(heard.members.find(m => m.id === R2)).toMatchObject({ state: 'downloading', rate: 20_500_000 })
    const silent = distributionView(input({ record, heard: { view, heardAt: 10_000, senderSilentSince: 11_000 }, now: 15_000 }))
    expect(silent.members[0]?.state).toBe('lost')
    expect(silent.members.find(m => m.id === R2)).toMatchObject({ state: 'downloading', verifiedBytes: 3000, rate: 0, etaSeconds: null })
  })

  // Seen by hand (session 26): with the origin killed, both recipients read "44% receiving … 0:07
  // left" while more than half of the file was on no machine still connected.
  it('a receiver missing a piece no reachable machine holds waits for one to come back, with no ETA', () => {
    const away = { heard: { heardAt: 10_000, senderSilentSince: 11_000 }, now: 15_000 }
    const over = { ownBits: bits(10, [0, 1, 2]), transfer: transfer({ downloadSpeed: 250 }), peerBits: [{ address: '10.0.0.2', bits: bits(10, [3, 4]) }] }
    const stuck = distributionView(input({ record, ...over, ...away }))
    expect(stuck.members[0]?.state).toBe('lost')
    expect(stuck.members.find(m => m.id === ME)).toMatchObject({ state: 'downloading', etaSeconds: null, waitsForSource: true })
    expect(stuck.members.find(m => m.id === R2)).toMatchObject({ state: 'downloading', waitsForSource: true })
    expect(stuck.totals.slowestEtaSeconds).toBeNull()
    // The origin's copy serves nobody while it is away (the screenshot of this state read 1.6).
    expect(stuck.totals.copiesInSwarm).toBe(0.5)
    expect([...stuck.pieces.holders]).toEqual([2, 2, 2, 2, 2, 1, 1, 1, 1, 1])
    // The origin answering, the same device can finish: an ETA, no wait.
    const fine = distributionView(input({ record, ...over }))
    expect(fine.members.find(m => m.id === ME)).toMatchObject({ etaSeconds: Math.ceil((9500 - 3000) / 250) })
    expect(fine.members.find(m => m.id === ME)?.waitsForSource).toBeUndefined()
    // With the origin away but every piece on a machine still reachable, it can finish too.
    const covered = distributionView(input({ record, ...over, peerBits: [{ address: '10.0.0.2', bits: bits(10, [3, 4, 5, 6, 7, 8, 9]) }], ...away }))
    expect(covered.members.find(m => m.id === ME)?.waitsForSource).toBeUndefined()
    expect(covered.members.find(m => m.id === ME)?.etaSeconds).toBe(Math.ceil((9500 - 3000) / 250))
  })

  it('a verified copy is complete whatever the engine says', () => {
    const d = distributionView(input({ record: { ...record, state: 'verified' } }))
    expect(d.members[1]?.verified).toBe(true)
    expect([...d.pieces.local]).toEqual(new Array(10).fill(PIECE.verified))
  })
})

describe('machines and offers', () => {
  it('lists online machines first, then lost ones, then trusted ones never seen', () => {
    const peer = (id: string, name: string) => ({ id, name, platform: 'linux', version: '1', controlPort: 1, btPort: 2, address: '10.0.0.3', lastSeen: 0 })
    const list = machinesView([peer(R2, 'zeta')], [peer(R1, 'alpha')], [{ id: ME, name: 'trusted-one', addedAt: '' }, { id: R2, name: 'zeta', addedAt: '' }])
    expect(list.map(m => [m.name, m.online, m.trusted])).toEqual([['zeta', true, true], ['alpha', false, false], ['trusted-one', false, true]])
    expect(list[0]?.fingerprint).toBe('2222·2222')
    expect(list[2]?.lastSeen).toBe('')
  })

  it('an offer says where it lands and whether it fits', () => {
    const o = { offerId: 'o', infoHash: IH, name: 'x', totalLength: 100, fileCount: 1, sha256: 'e'.repeat(64), sender: { id: R1, name: 'origin', address: '10.0.0.1' }, receivedAt: 't' }
    expect(offerView(o, true, '/dl', { freeBytes: 50 }).destination).toEqual({ dir: '/dl', freeBytes: 50, fits: false })
    expect(offerView(o, false, '/dl', { freeBytes: 500 }).destination.fits).toBe(true)
    expect(offerView(o, true, '/dl', { freeBytes: 50 }).sender).toEqual({ id: R1, fingerprint: '1111·1111', name: 'origin', address: '10.0.0.1', trusted: true })
  })

  it('an offer of more files than the folder\'s file system has entries for says so, with the counts', () => {
    const folder = { offerId: 'o', infoHash: IH, name: 'segments', totalLength: 100, isFolder: true, fileCount: 3000, sha256: 'e'.repeat(64), sender: { id: R1, name: 'origin', address: '10.0.0.1' }, receivedAt: 't' }
    expect(offerView(folder, false, '/dl', { freeBytes: 1e9, freeEntries: 2000 }).destination.problem).toBe('no room in /dl: its file system has 2,000 free file entries (inodes) left, and this needs 3,001, one per file and folder')
    expect(offerView(folder, false, '/dl', { freeBytes: 1e9, freeEntries: 5000 }).destination.problem).toBeUndefined()
    // A file system that counts no entries (btrfs) sets no such limit.
    expect(offerView(folder, false, '/dl', { freeBytes: 1e9 }).destination.problem).toBeUndefined()
  })
})
