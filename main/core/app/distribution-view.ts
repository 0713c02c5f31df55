// One distribution as the UI draws it: its state, a row per member, the swarm totals and the
// piece maps, derived from the registry record (an origin's record holds what each recipient last
// reported) and the engine's live figures. A function of its input, so it is tested directly.
import { join } from 'node:path'
import type { Distribution, DistributionState, ImpostorNotice, MemberRow, MemberState } from '../../../common/api.js'
import type { DistributionRecord, OriginRecord, RecipientRecord } from '../distributions/records.js'
import type { TransferStats } from '../engine/engine.js'
import type { HeardSwarm } from '../node/swarm-views.js'
import type { RelayedMember } from '../protocol/swarm-view.js'
import { shortFingerprint } from '../identity/device-id.js'
import { everyoneHadIt, staleBatchMessage } from '../engine/source-stamp.js'
import { bitfieldFromBase64, countPieces, fullBitfield, holdersOf, localCodes, normalizeBitfield } from './piece-maps.js'
import { etaSeconds, swarmTotals } from './swarm-totals.js'

export interface DistributionInput {
  readonly record: DistributionRecord
  readonly self: { readonly id: string; readonly name: string }
  /** Undefined when the engine does not run it (failed, stale, not resumed). */
  readonly transfer: TransferStats | undefined
  /** This device's verified pieces, from the engine. */
  readonly ownBits: Uint8Array | undefined
  /** Connected peers' bitfields by IP address. */
  readonly peerBits: ReadonlyArray<{ readonly address: string; readonly bits: Uint8Array }>
  readonly inFlight: ReadonlySet<number>
  readonly failed: ReadonlySet<number>
  readonly banned: ReadonlySet<string>
  /** Connections refused for failing the member key proof, newest first. */
  readonly impostors?: readonly ImpostorNotice[]
  readonly paused: boolean
  /** On a recipient: what the sender last said about every member, and whether it still answers. */
  readonly heard?: HeardSwarm | undefined
  /** Now, for "how long since" (ms); defaults to the clock. */
  readonly now?: number
}

interface Member { readonly row: MemberRow; readonly bits: Uint8Array | undefined }

const RECEIVING: readonly MemberState[] = ['accepted', 'downloading']
/** States in which a member holds no pieces of this distribution (it has not taken part). */
const HOLDS_NOTHING: readonly MemberState[] = ['offering', 'pending', 'declined', 'unreachable', 'timeout', 'unknown', 'waiting']
/** The sender is shown lost after its answers stop for this long (reports go every second). */
const SENDER_SILENCE_MS = 3_000

/** A member's bitfield counts only when it took part: a machine that has not accepted holds nothing. */
function heldBits (state: MemberState, bits: Uint8Array | undefined): Uint8Array | undefined {
  return HOLDS_NOTHING.includes(state) ? undefined : bits
}

function lastPieceBytes (r: DistributionRecord): number {
  return r.totalLength - r.pieceLength * (r.pieceCount - 1)
}

/** Bytes the pieces of `bits` hold (the last piece is usually short). */
function bytesOf (r: DistributionRecord, bits: Uint8Array): number {
  const n = countPieces(bits, r.pieceCount)
  if (n === 0) return 0
  const hasLast = ((bits[(r.pieceCount - 1) >> 3] ?? 0) & (0x80 >> ((r.pieceCount - 1) & 7))) !== 0
  return hasLast ? (n - 1) * r.pieceLength + lastPieceBytes(r) : n * r.pieceLength
}

function row (r: DistributionRecord, m: Omit<MemberRow, 'fingerprint' | 'etaSeconds'>): MemberRow {
  const eta = RECEIVING.includes(m.state) ? etaSeconds(r.totalLength - m.verifiedBytes, m.rate) : null
  return { ...m, fingerprint: shortFingerprint(m.id), etaSeconds: eta }
}

/** A member that holds every piece: the origin, or a copy that was verified. */
function complete (r: DistributionRecord, m: { id: string; name: string; address: string; self: boolean; origin: boolean }): Member {
  return {
    row: row(r, { ...m, state: 'verified', verifiedPieces: r.pieceCount, verifiedBytes: r.totalLength, rate: 0, verified: true, hashFailures: 0 }),
    bits: fullBitfield(r.pieceCount)
  }
}

function originMembers (r: OriginRecord, i: DistributionInput): Member[] {
  const me = complete(r, { id: i.self.id, name: i.self.name, address: '', self: true, origin: true })
  const others = r.recipients.map((x): Member => {
    const reported = bitfieldFromBase64(x.bitfield, r.pieceCount)
    const state: MemberState = x.state
    const bits = heldBits(state, reported ?? (x.state === 'verified' ? fullBitfield(r.pieceCount) : undefined))
    return {
      row: row(r, {
        id: x.id,
        name: x.name,
        address: x.address,
        self: false,
        origin: false,
        state,
        verifiedPieces: x.verifiedPieces,
        verifiedBytes: x.verifiedBytes,
        rate: RECEIVING.includes(state) ? x.downloadSpeed : 0,
        verified: state === 'verified',
        hashFailures: x.hashFailures,
        // A lost row's reason, if any, is the state it was in before (a record written earlier).
        ...(x.reason !== undefined && state !== 'lost' ? { reason: x.reason } : {}),
        ...(x.lostSince !== undefined && state === 'lost' ? { lostSince: x.lostSince } : {}),
        ...(x.offlineSince !== undefined && state === 'verified' ? { offlineSince: x.offlineSince } : {}),
        ...(x.alreadyHad === true && state === 'verified' ? { alreadyHad: true } : {}),
        ...(x.waitingSince !== undefined && state === 'waiting' ? { waitingSince: x.waitingSince } : {})
      }),
      bits
    }
  })
  return [me, ...others]
}

function selfState (r: RecipientRecord, paused: boolean): MemberState {
  if (paused) return 'paused'
  switch (r.state) {
    case 'seeding': case 'verified': return 'verified'
    case 'stale': return 'failed'
    default: return r.state
  }
}

/** Whether the sender stopped answering this device's reports, and since when (ISO). */
function senderLostSince (i: DistributionInput): string | undefined {
  const since = i.heard?.senderSilentSince
  const now = i.now ?? Date.now()
  if (since === undefined || now - since < SENDER_SILENCE_MS) return undefined
  return new Date(i.heard?.heardAt ?? since).toISOString()
}

/**
 * Another recipient's row: what the sender relayed about it, else what its connection shows, else
 * unknown. With the sender silent (`senderAway`) a relayed rate is as old as its last report, so
 * none is shown: the member may be receiving from others at any rate, or not at all.
 */
function otherMember (r: RecipientRecord, i: DistributionInput, m: { id: string; name: string; address: string | null }, relayed: RelayedMember | undefined, senderAway: boolean): Member {
  const seen = m.address === null ? undefined : i.peerBits.find(p => p.address === m.address)
  const connBits = seen ? normalizeBitfield(seen.bits, r.pieceCount) : undefined
  const base = { id: m.id, name: m.name, address: m.address ?? '', self: false, origin: false }
  if (relayed) {
    const state: MemberState = relayed.state
    const full = state === 'verified'
    const bits = heldBits(state, full ? fullBitfield(r.pieceCount) : connBits)
    return {
      row: row(r, {
        ...base,
        state,
        verifiedPieces: full ? r.pieceCount : Math.max(relayed.verifiedPieces, connBits ? countPieces(connBits, r.pieceCount) : 0),
        verifiedBytes: full ? r.totalLength : Math.max(relayed.verifiedBytes, connBits ? bytesOf(r, connBits) : 0),
        rate: RECEIVING.includes(state) && !senderAway ? relayed.downloadSpeed : 0,
        verified: full,
        hashFailures: relayed.hashFailures,
        ...(relayed.reason !== undefined && state !== 'lost' ? { reason: relayed.reason } : {}),
        ...(relayed.lostSince !== undefined && state === 'lost' ? { lostSince: relayed.lostSince } : {}),
        ...(relayed.offlineSince !== undefined && full ? { offlineSince: relayed.offlineSince } : {}),
        ...(relayed.alreadyHad === true && full ? { alreadyHad: true } : {})
      }),
      bits
    }
  }
  // Not heard from the sender: its connection shows what it holds, not whether its copy was checked.
  // A connection that has shown no piece yet (its bitfield not in, just after a restart) tells
  // nothing: unknown, not "receiving 0 %" for a member that may have been verified for minutes.
  const pieces = connBits ? countPieces(connBits, r.pieceCount) : 0
  return {
    row: row(r, {
      ...base,
      state: pieces > 0 ? 'downloading' : 'unknown',
      verifiedPieces: pieces,
      verifiedBytes: connBits ? bytesOf(r, connBits) : 0,
      rate: 0,
      verified: false,
      hashFailures: 0
    }),
    bits: connBits
  }
}

function recipientMembers (r: RecipientRecord, i: DistributionInput): Member[] {
  const origin = complete(r, { id: r.sender.id, name: r.sender.name, address: r.sender.address, self: false, origin: true })
  const lostSince = senderLostSince(i)
  const originMember: Member = lostSince === undefined ? origin : { ...origin, row: { ...origin.row, state: 'lost', lostSince } }
  const verifiedCopy = r.state === 'verified'
  const ownBits = verifiedCopy ? fullBitfield(r.pieceCount) : normalizeBitfield(i.ownBits ?? new Uint8Array(0), r.pieceCount)
  const state = selfState(r, i.paused)
  const me: Member = {
    row: row(r, {
      id: i.self.id,
      name: i.self.name,
      address: '',
      self: true,
      origin: false,
      state,
      verifiedPieces: countPieces(ownBits, r.pieceCount),
      verifiedBytes: bytesOf(r, ownBits),
      rate: RECEIVING.includes(state) ? Math.round(i.transfer?.downloadSpeed ?? 0) : 0,
      verified: verifiedCopy,
      hashFailures: i.transfer?.hashFailures ?? i.failed.size,
      ...(r.reason !== undefined ? { reason: r.reason } : {})
    }),
    bits: ownBits
  }
  const relayed = new Map((i.heard?.view?.members ?? []).map(m => [m.id, m]))
  const listed = r.members.filter(m => m.id !== i.self.id && m.id !== r.sender.id)
  // Members the sender added after this device joined (a re-send to more machines) come from its view.
  const added = [...relayed.values()].filter(m => m.id !== i.self.id && m.id !== r.sender.id && !listed.some(l => l.id === m.id))
  const others = [
    ...listed.map(m => otherMember(r, i, m, relayed.get(m.id), lostSince !== undefined)),
    ...added.map(m => otherMember(r, i, { id: m.id, name: m.name, address: null }, m, lostSince !== undefined))
  ]
  return [originMember, me, ...others]
}

function distributionState (r: DistributionRecord, paused: boolean): DistributionState {
  // A full disk or a changed source is news even while paused: pausing does not fix either.
  if (r.state === 'no-space' || r.state === 'stale') return r.state
  return paused ? 'paused' : r.state
}

function dataPath (r: DistributionRecord): string {
  if (r.role === 'recipient') return join(r.downloadsDir, r.finalName)
  return r.isFolder || r.sources.length !== 1 ? join(r.parentDir, r.name) : r.sources[0]?.absolutePath ?? join(r.parentDir, r.name)
}

/**
 * Receiving members while some piece is held by no reachable member (lost and offline machines
 * serve nobody): a receiving member's own pieces are among the reachable ones, so it lacks that
 * piece and cannot finish until a machine comes back; an ETA would promise what cannot happen.
 */
function markWaitingForSource (r: DistributionRecord, members: readonly Member[]): Member[] {
  const reachable = new Uint8Array(Math.ceil(r.pieceCount / 8))
  for (const m of members) {
    if (m.bits === undefined || m.row.state === 'lost' || m.row.offlineSince !== undefined) continue
    for (let k = 0; k < reachable.length; k++) reachable[k] = (reachable[k] ?? 0) | (m.bits[k] ?? 0)
  }
  if (countPieces(reachable, r.pieceCount) === r.pieceCount) return [...members]
  return members.map(m => RECEIVING.includes(m.row.state) ? { ...m, row: { ...m.row, etaSeconds: null, waitsForSource: true } } : m)
}

export function distributionView (i: DistributionInput): Distribution {
  const r = i.record
  const members = markWaitingForSource(r, r.role === 'origin' ? originMembers(r, i) : recipientMembers(r, i))
  // Who holds which piece, for the map: a machine that is away still has its pieces.
  const bitfields = members.flatMap(m => m.bits && m.row.offlineSince === undefined ? [m.bits] : [])
  // What the swarm can serve now: a machine offline or lost serves nobody.
  const serving = members.flatMap(m => m.bits && m.row.offlineSince === undefined && m.row.state !== 'lost' ? [m.bits] : [])
  const memberBits: Record<string, Uint8Array> = {}
  for (const m of members) if (m.bits) memberBits[m.row.id] = m.bits
  const ownBits = r.role === 'origin' || r.state === 'verified' ? fullBitfield(r.pieceCount) : i.ownBits
  const t = i.transfer
  const banned = new Set([...(t?.bannedPeers ?? []), ...i.banned])
  const rows = members.map(m => m.row)
  // A connection to a machine this device lost contact with carries nothing (a pulled cable leaves
  // its socket open for a while): it is not counted as a peer connected.
  const lost = new Set(rows.filter(m => m.state === 'lost').map(m => m.id))
  const hashFailures = r.role === 'origin'
    ? (t?.hashFailures ?? 0) + r.recipients.reduce((sum, x) => sum + x.hashFailures, 0)
    : t?.hashFailures ?? i.failed.size
  return {
    infoHash: r.infoHash,
    name: r.name,
    role: r.role,
    isFolder: r.isFolder,
    totalLength: r.totalLength,
    pieceLength: r.pieceLength,
    pieceCount: r.pieceCount,
    fileCount: r.fileCount,
    sha256: r.sha256,
    state: distributionState(r, i.paused),
    ...(i.paused && r.state !== 'no-space' && r.state !== 'stale'
      ? { reason: 'paused: nothing is sent or received until it is resumed' }
      : r.reason !== undefined ? { reason: r.role === 'origin' && r.state === 'stale' && r.channel !== undefined ? staleBatchMessage(r.reason, everyoneHadIt(r.recipients)) : r.reason } : {}),
    createdAt: r.createdAt,
    ...channelOf(r),
    path: dataPath(r),
    uploadRate: Math.round(t?.uploadSpeed ?? 0),
    downloadRate: Math.round(t?.downloadSpeed ?? 0),
    uploadedBytes: t?.uploadedBytes ?? 0,
    members: rows,
    totals: swarmTotals({
      rows,
      pieceCount: r.pieceCount,
      bitfields: serving,
      totalLength: r.totalLength,
      originUploaded: r.role === 'origin' ? t?.uploadedBytes ?? 0 : undefined,
      hashFailures,
      bannedPeers: banned.size,
      peersConnected: (t?.peers ?? []).filter(p => p.member === undefined || !lost.has(p.member)).length
    }),
    pieces: {
      pieceCount: r.pieceCount,
      holders: holdersOf(r.pieceCount, bitfields),
      local: localCodes(r.pieceCount, ownBits, i.inFlight, i.failed),
      members: memberBits
    },
    ...(t === undefined ? {} : { connections: t.peers.map(p => ({ address: p.address, downloaded: p.downloaded, uploaded: p.uploaded, ...(p.member !== undefined ? { member: p.member } : {}) })) }),
    ...(i.impostors !== undefined && i.impostors.length > 0 ? { impostors: i.impostors } : {})
  }
}

/** The watched folder a batch belongs to (channels/), by channel id. */
function channelOf (r: DistributionRecord): { channel?: string } {
  const id = r.role === 'origin' ? r.channel : r.channel?.id
  return id === undefined ? {} : { channel: id }
}
