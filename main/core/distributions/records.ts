// What the data directory remembers about each distribution, for the origin and for a recipient.
import type { Member, ReportState } from '../protocol/messages.js'
import type { Receipt } from '../protocol/receipt.js'
import type { Metainfo } from '../torrent/metainfo.js'

/**
 * 'lost': its agent went away mid-way (reports stopped, control port silent, mDNS goodbye).
 * 'waiting': it was not on the network when the file was sent; it is offered it when seen again.
 */
export type RecipientState = ReportState | 'offering' | 'unreachable' | 'timeout' | 'lost' | 'waiting'
export const TERMINAL_RECIPIENT_STATES: readonly RecipientState[] = ['verified', 'declined', 'failed', 'unreachable', 'timeout']

export interface RecipientStatus {
  readonly id: string
  readonly name: string
  readonly address: string
  /** Its control port when it was offered (to ask whether it is still there). */
  readonly controlPort?: number
  readonly state: RecipientState
  readonly verifiedPieces: number
  readonly verifiedBytes: number
  readonly downloadSpeed: number
  readonly uploadedBytes: number
  readonly hashFailures: number
  readonly sha256?: string
  readonly reason?: string
  readonly bitfield?: string
  readonly updatedAt: string
  /** The highest report order heard from it (messages.ts, Report.seq). */
  readonly seq?: number
  /** When contact was lost (state 'lost'), ISO. */
  readonly lostSince?: string
  /**
   * State 'verified' only: since when (ISO) its device has been away (killed, mDNS goodbye, or
   * silent with its control port not answering). Its copy is still verified, but it seeds no more.
   */
  readonly offlineSince?: string
  /** It held a verified copy already when offered. */
  readonly alreadyHad?: boolean
  /** Its signed receipt for the verified copy, checked before it was kept (protocol/receipt.ts). */
  readonly receipt?: Receipt
  /** State 'waiting': since when (ISO) it waits to be seen again. */
  readonly waitingSince?: string
}

/** 'stale': the origin's source changed; 'no-space': a recipient's disk is full (it waits for room). */
export type DistributionState = 'seeding' | 'downloading' | 'verifying' | 'verified' | 'failed' | 'paused' | 'stale' | 'no-space'

export interface SourceFileStamp {
  readonly absolutePath: string
  readonly length: number
  readonly mtimeMs: number
  /** Its ctime when listed, where it can stand in for hashing what is served (ctime-trust.ts). */
  readonly ctimeMs?: number | undefined
}

interface Common {
  readonly infoHash: string
  readonly name: string
  readonly isFolder: boolean
  readonly totalLength: number
  readonly pieceLength: number
  readonly pieceCount: number
  readonly fileCount: number
  readonly sha256: string
  readonly createdAt: string
  readonly state: DistributionState
  readonly reason?: string
}

export interface OriginRecord extends Common {
  readonly role: 'origin'
  readonly parentDir: string
  readonly sources: readonly SourceFileStamp[]
  readonly recipients: readonly RecipientStatus[]
  readonly members: readonly Member[]
  /** The watched folder (channel) this batch belongs to, by channel id; its offers say so. */
  readonly channel?: string
}

export interface RecipientRecord extends Common {
  readonly role: 'recipient'
  readonly offerId: string
  readonly sender: { readonly id: string; readonly name: string; readonly address: string; readonly controlPort: number }
  /** Every member with a resolved address (the sender's included). */
  readonly members: readonly Member[]
  readonly downloadsDir: string
  /** Final file or folder name inside downloadsDir; data lives at `${finalName}.part` until verified. */
  readonly finalName: string
  readonly completedAt?: string
  /**
   * A batch of a watched folder (channel): its files go into the folder `finalName`, which earlier
   * batches of the same channel share, and are staged in `partName` until verified.
   */
  readonly channel?: { readonly id: string; readonly partName: string }
}

export type DistributionRecord = OriginRecord | RecipientRecord

/** The fields every record takes from the torrent it is about. */
export function describedBy (m: Metainfo, sha256: string): Omit<Common, 'state' | 'reason'> {
  return {
    infoHash: m.infoHash,
    name: m.name,
    isFolder: m.isFolder,
    totalLength: m.totalLength,
    pieceLength: m.pieceLength,
    pieceCount: m.pieceCount,
    fileCount: m.files.length,
    sha256,
    createdAt: new Date().toISOString()
  }
}
