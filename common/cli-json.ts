// What `swarmdrop COMMAND --json` prints, as part of the contract: the types of common/api.ts
// where the command shows what the window shows (a Distribution in its JSON form, a Machine, an
// IncomingOffer), and the few records only the command line has (a send's summary, the agent's
// start lines, the plain-BitTorrent tools' events). Each is one JSON value per line.
import type { AcceptPolicy, IdentityClash, IncomingOffer, Machine, MemberState } from './api.js'
import type { WireDistribution } from './wire.js'

/** `status --json`: live from the running device, or what the data directory remembers. */
export interface StatusReport {
  readonly agentRunning: boolean
  /** Piece maps in base64 (common/wire.ts), as the web UI receives them. */
  readonly distributions: readonly WireDistribution[]
  /** Other machines answer for this device's own id (a cloned identity): absent while none does. */
  readonly identityClash?: IdentityClash
}

/** `peers --json`: the machines online now. */
export type PeersReport = readonly Machine[]

/** One machine added by address, as `pair --list --json` shows it. */
export interface PairedListing {
  readonly id: string
  readonly fingerprint: string
  readonly name: string
  /** HOST:PORT it is dialled at. */
  readonly pairedAddress: string
  /** null when no device runs for the data directory (nobody dials it). */
  readonly online: boolean | null
  readonly address?: string
  /** Why it is offline (one sentence), after a failed dial. */
  readonly problem?: string
}

/** `pair --list --json`. */
export type PairedReport = readonly PairedListing[]

/** `offers --json`: the offers waiting for an answer. */
export type OffersReport = readonly IncomingOffer[]

/** How one recipient of `send --wait` ended. */
export interface SendOutcome {
  readonly name: string
  readonly id: string
  /**
   * `lost`: this machine lost contact with it and it had not come back when the wait ended;
   * `no-space`: its disk was full when the wait ended (it goes on by itself once space is freed).
   */
  readonly status: 'verified' | 'declined' | 'failed' | 'timeout' | 'lost' | 'no-space'
  readonly sha256?: string
  readonly reason?: string
  /** It held a verified copy already (a re-send): nothing was fetched. */
  readonly alreadyHad?: true
  /** With status lost: when contact was lost (ISO time). */
  readonly lostSince?: string
}

interface SendCommon {
  /** Every recipient took the offer (without --wait) or verified the file (with it). */
  readonly ok: boolean
  readonly name: string
  readonly infoHash: string
  readonly bytes: number
  readonly sha256: string
}

/** `send --json` without --wait: where each recipient stands once the offers are delivered. */
export interface SendOffered extends SendCommon {
  readonly recipients: ReadonlyArray<{ readonly name: string; readonly id: string; readonly status: MemberState }>
}

/** `send --wait --json`: how each recipient ended. */
export interface SendFinished extends SendCommon {
  readonly seconds: number
  readonly originUploadedBytes: number
  readonly recipients: readonly SendOutcome[]
}

export type SendReport = SendOffered | SendFinished

/** `agent --json`: the first line, once the device listens. */
export interface AgentListening {
  readonly time: string
  readonly event: 'listening'
  readonly id: string
  readonly name: string
  readonly controlPort: number
  readonly btPort: number
  readonly accept: AcceptPolicy
  readonly downloadsDir: string
  readonly dataDir: string
}

/** `agent --ui --json`: where the web UI is (token included). */
export interface AgentUiLine {
  readonly time: string
  readonly event: 'ui'
  readonly url: string
  readonly port: number
}

/** Who an offer came from, as the agent's log names it. */
export interface LoggedSender { readonly id: string; readonly name: string; readonly address: string }

/** An offer as the agent's log shows it when it arrives: the Incoming card's facts, without what only the app adds (trust, destination). */
export type LoggedOffer = Omit<IncomingOffer, 'sender' | 'destination'> & { readonly sender: LoggedSender }

/** A distribution's progress, as the node emits it and the agent's log prints it. */
export interface ProgressRecord {
  readonly infoHash: string
  readonly name: string
  readonly role: 'origin' | 'recipient'
  readonly state: string
  readonly verifiedPieces: number
  readonly pieceCount: number
  readonly verifiedBytes: number
  readonly totalLength: number
  readonly downloadSpeed: number
  readonly uploadSpeed: number
  readonly uploadedBytes: number
  readonly peers: number
}

/** What the device did, as `agent --json` logs it after the start lines: one per line, with its `time`. */
export type AgentEvent =
  | { readonly event: 'peer-up'; readonly id: string; readonly name: string; readonly address: string; readonly platform: string }
  | { readonly event: 'peer-down'; readonly id: string; readonly name: string }
  | { readonly event: 'distribution-created'; readonly infoHash: string; readonly name: string; readonly totalLength: number; readonly sha256: string; readonly seconds: number }
  | { readonly event: 'offer-received'; readonly decision: 'accepted' | 'declined' | 'pending'; readonly offer: LoggedOffer }
  | { readonly event: 'offer-accepted'; readonly offerId: string; readonly infoHash: string; readonly name: string; readonly sender: LoggedSender }
  | { readonly event: 'offer-declined'; readonly offerId: string; readonly infoHash: string; readonly name: string; readonly sender: LoggedSender; readonly reason: string }
  | ({ readonly event: 'progress' } & ProgressRecord)
  /** On an origin: what it now knows of one recipient. */
  | { readonly event: 'recipient-update'; readonly infoHash: string; readonly name: string; readonly recipient: { readonly id: string; readonly name: string; readonly state: MemberState; readonly reason?: string } }
  | { readonly event: 'verified'; readonly infoHash: string; readonly name: string; readonly sha256: string; readonly path: string }
  | { readonly event: 'failed'; readonly infoHash: string; readonly name: string; readonly reason: string }
  | { readonly event: 'no-space'; readonly infoHash: string; readonly name: string; readonly dir: string; readonly reason: string }
  | { readonly event: 'space-freed'; readonly infoHash: string; readonly name: string; readonly dir: string; readonly freeBytes: number }
  | { readonly event: 'stale'; readonly infoHash: string; readonly name: string; readonly reason: string }
  /** It left this device's list: withdrawn here (its origin), cancelled or removed here, or withdrawn by its sender. */
  | { readonly event: 'removed'; readonly infoHash: string; readonly name: string; readonly why: 'withdrawn' | 'cancelled' | 'removed' | 'by-sender' }
  | { readonly event: 'hash-failure'; readonly infoHash: string; readonly piece: number }
  | { readonly event: 'peer-banned'; readonly infoHash: string; readonly address: string; readonly badPieces: number }
  | { readonly event: 'non-member-refused'; readonly infoHash: string; readonly address: string }
  /** A connection from a member's address failed the sd_member key proof and was closed; `claimedId`: the device id it claimed, null if none. */
  | { readonly event: 'impostor-refused'; readonly infoHash: string; readonly address: string; readonly claimedId: string | null; readonly reason: string }
  | { readonly event: 'warning'; readonly message: string }

/** One line of `agent --json` after the start lines. */
export type AgentEventLine = { readonly time: string } & AgentEvent

/** `create --json`: the .torrent written. */
export interface TorrentCreated {
  readonly event: 'created'
  readonly infoHash: string
  readonly name: string
  readonly bytes: number
  readonly pieces: number
  readonly pieceLength: number
  readonly sha256: string
  readonly seconds: number
  /** The .torrent's absolute path. */
  readonly torrent: string
}

/** `seed --json`: once it serves, then its progress once a second. */
export type SeedEvent =
  | { readonly event: 'seeding'; readonly infoHash: string; readonly name: string; readonly bytes: number; readonly port: number; readonly magnet: string }
  | { readonly event: 'progress'; readonly uploadedBytes: number; readonly uploadSpeed: number; readonly peers: number }

/** How a `get` ended: verified and in place, or why not. */
export type GetDone =
  | { readonly event: 'done'; readonly ok: true; readonly path: string; readonly sha256: string; readonly bytes: number; readonly seconds: number; readonly hashFailures: number; readonly bannedPeers: readonly string[] }
  | { readonly event: 'done'; readonly ok: false; readonly reason: string }

/** `get --json`: progress once a second (or that the metadata is awaited), bans, then `done`. */
export type GetEvent =
  | { readonly event: 'metadata'; readonly waiting: true }
  | { readonly event: 'progress'; readonly verifiedBytes: number; readonly bytes: number; readonly downloadSpeed: number; readonly peers: number }
  | { readonly event: 'peer-banned'; readonly address: string; readonly badPieces: number }
  /** Not printed as JSON (the piece is fetched again); people see it on stderr. */
  | { readonly event: 'hash-failure'; readonly piece: number }
  | GetDone
