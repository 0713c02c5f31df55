// The figures people act on, from a distribution's member rows and piece maps: how many copies the
// swarm holds, how fast it moves, and how long the slowest member still needs.
import type { MemberRow, MemberState, SwarmTotals } from '../../../common/api.js'
import { countPieces } from './piece-maps.js'

/** States in which a member is still receiving pieces. */
const RECEIVING: readonly MemberState[] = ['accepted', 'downloading']
/** States in which a member will not get the file this time. */
const REFUSED: readonly MemberState[] = ['declined', 'failed', 'timeout', 'unreachable']

/** Seconds to receive `remainingBytes` at `rate`; null when done or the rate is unknown/zero. */
export function etaSeconds (remainingBytes: number, rate: number): number | null {
  if (remainingBytes <= 0 || !(rate > 0)) return null
  return Math.ceil(remainingBytes / rate)
}

/** Complete copies between all members: pieces held in total ÷ piece count. */
export function copiesInSwarm (pieceCount: number, bitfields: readonly Uint8Array[]): number {
  if (pieceCount === 0) return 0
  let held = 0
  for (const bits of bitfields) held += countPieces(bits, pieceCount)
  return held / pieceCount
}

/**
 * The largest known ETA among members still receiving; null when none is receiving or none is
 * known, or when one cannot finish before something else happens: a machine comes back
 * (waitsForSource), or space is freed on a full disk (it goes on then, and is the slowest).
 */
export function slowestEta (rows: readonly MemberRow[]): number | null {
  let slowest: number | null = null
  for (const r of rows) {
    if (r.state === 'no-space' || (r.waitsForSource === true && RECEIVING.includes(r.state))) return null
    if (!RECEIVING.includes(r.state) || r.etaSeconds === null) continue
    slowest = slowest === null ? r.etaSeconds : Math.max(slowest, r.etaSeconds)
  }
  return slowest
}

export interface TotalsInput {
  readonly rows: readonly MemberRow[]
  readonly pieceCount: number
  readonly bitfields: readonly Uint8Array[]
  readonly totalLength: number
  /** Bytes this device uploaded, when it is the origin; undefined on a recipient. */
  readonly originUploaded: number | undefined
  readonly hashFailures: number
  readonly bannedPeers: number
  readonly peersConnected: number
}

export function swarmTotals (i: TotalsInput): SwarmTotals {
  return {
    machines: i.rows.length,
    verifiedMachines: i.rows.filter(r => r.verified).length,
    recipients: i.rows.filter(r => !r.origin).length,
    verifiedRecipients: i.rows.filter(r => !r.origin && r.verified).length,
    refusedRecipients: i.rows.filter(r => !r.origin && REFUSED.includes(r.state)).length,
    lostRecipients: i.rows.filter(r => !r.origin && r.state === 'lost').length,
    aggregateRate: i.rows.reduce((sum, r) => sum + r.rate, 0),
    copiesInSwarm: copiesInSwarm(i.pieceCount, i.bitfields),
    originUploadRatio: i.originUploaded === undefined || i.totalLength === 0 ? null : i.originUploaded / i.totalLength,
    hashFailures: i.hashFailures,
    bannedPeers: i.bannedPeers,
    peersConnected: i.peersConnected,
    slowestEtaSeconds: slowestEta(i.rows)
  }
}
