// Everything a device does that a person or a script may want to follow. The agent prints these
// (one JSON object per line with --json); the desktop app turns them into UI state.
import type { ProgressRecord } from '../../../common/cli-json.js'
import type { Peer } from '../discovery/peer-info.js'
import type { RecipientStatus } from '../distributions/records.js'

export interface HashingEvent { readonly jobId: string; readonly path: string; readonly bytesDone: number; readonly bytesTotal: number }

export interface OfferSummary {
  readonly offerId: string
  readonly infoHash: string
  readonly name: string
  readonly totalLength: number
  /** A folder (even of one file); absent in summaries made before it was kept (a file is assumed by count). */
  readonly isFolder?: boolean
  readonly fileCount: number
  /** Its largest file, path inside the distribution and length: a FAT folder holds no file over 4 GiB. */
  readonly largestFile?: { readonly path: string; readonly length: number }
  readonly sha256: string
  readonly sender: { readonly id: string; readonly name: string; readonly address: string }
  readonly receivedAt: string
}

/** Why a distribution left the list (the `removed` event). */
export type RemovedWhy = 'withdrawn' | 'cancelled' | 'removed' | 'by-sender'

/**
 * How a download not finished here ended for good, its partial data deleted: cancelled by a person
 * here (`declined`, as its sender is told) or withdrawn by its sender (`failed`, as the sender's
 * history reads). `verifiedBytes` and `hashFailures`: what it had when it ended.
 */
export interface DownloadEnd {
  readonly infoHash: string
  readonly name: string
  readonly state: 'declined' | 'failed'
  readonly reason: string
  readonly verifiedBytes: number
  readonly hashFailures: number
}

/** One shape with the agent's logged progress line (common/cli-json.ts). */
export type ProgressEvent = ProgressRecord

export interface NodeEvents {
  'peer-up': [peer: Peer]
  'peer-down': [peer: Peer]
  hashing: [e: HashingEvent]
  'distribution-created': [e: { infoHash: string; name: string; totalLength: number; sha256: string; seconds: number }]
  'offer-received': [offer: OfferSummary, decision: 'accepted' | 'declined' | 'pending']
  'offer-accepted': [offer: OfferSummary]
  'offer-declined': [offer: OfferSummary, reason: string]
  'recipient-update': [e: { infoHash: string; name: string; recipient: RecipientStatus }]
  progress: [e: ProgressEvent]
  verified: [e: { infoHash: string; name: string; sha256: string; path: string }]
  failed: [e: { infoHash: string; name: string; reason: string }]
  /** A download stopped because its disk is full; it keeps its verified pieces and waits for room. */
  'no-space': [e: { infoHash: string; name: string; dir: string; reason: string }]
  /** A download stopped by a full disk goes on: enough space was freed. */
  'space-freed': [e: { infoHash: string; name: string; dir: string; freeBytes: number }]
  /**
   * Data changed on disk while it was served (the origin's source, or a recipient's verified
   * copy): that distribution is no longer served; `reason` names the file and the change.
   */
  stale: [e: { infoHash: string; name: string; reason: string }]
  /**
   * A distribution left this device's list: withdrawn by it (its origin), cancelled or removed by
   * a person here, or withdrawn by its sender (`by-sender`: its pending offer, or a download not
   * finished, whose partial data was deleted). `notice`: what a person here should be told of it
   * (a sender's withdrawal), in one sentence.
   */
  removed: [e: { infoHash: string; name: string; why: RemovedWhy; notice?: string }]
  /** A download not finished here ended for good (before `removed`): its own history row says how (history-recorder.ts). */
  'download-ended': [e: DownloadEnd]
  'hash-failure': [e: { infoHash: string; piece: number }]
  'peer-banned': [e: { infoHash: string; address: string; badPieces: number }]
  'non-member-refused': [e: { infoHash: string; address: string }]
  /**
   * A BitTorrent connection from a member's address failed the sd_member key proof and was closed
   * (an impostor, or a peer without the proof). `claimedId` is the device id it claimed, if any.
   * Once per address and swarm a minute (the engine's IMPOSTOR_REPORT_INTERVAL_MS).
   */
  'impostor-refused': [e: { infoHash: string; address: string; claimedId: string | null; reason: string }]
  /**
   * A sentence a person at this device should read (what happened to something they did): every
   * front end lists it with the notices (AppState.notices), and the agent's console prints it.
   */
  notice: [text: string]
  warning: [message: string]
}

export type NodeEventName = keyof NodeEvents
