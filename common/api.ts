// The contract between the UI and the engine: what the renderer sees (AppState) and what it may
// ask (SwarmdropApi). Plain types only, no Node and no DOM beyond `File`, so every layer may import
// it: main/core builds the state and executes commands, main/electron and main/agent carry them
// (IPC, WebSocket), preload exposes them, the renderer draws them. Bump API_VERSION on any change
// a peer of another version could misread.

import type { Failure, Result } from './result.js'

export const API_VERSION = 1

/** Errors are values: every command answers with one of these (common/result.ts). */
export type ApiResult<T> = Result<T>

/** `code` is stable and machine-readable (`not-found`, `no-space`, `bad-request`, ...); `message` one sentence a person understands. */
export type ApiError = Failure

/** Which shell carries the API: the desktop app or `swarmdrop agent --ui` in a browser. */
export type ShellKind = 'electron' | 'web'

export interface SelfDevice {
  readonly id: string
  /** Short form shown everywhere, e.g. `9f3a·c21e`. */
  readonly fingerprint: string
  readonly name: string
  readonly platform: string
  readonly version: string
  /**
   * Another machine answers on the network for this device's own id (both hold its key: a cloned
   * disk image, a copied data folder); absent while none does.
   */
  readonly identityClash?: IdentityClash
}

/** Another address that answers for one device id: what this device heard, and what to do. */
export interface IdentityClash {
  /** The other addresses heard answering for the id, sorted. */
  readonly addresses: readonly string[]
  /** ISO time the first of them was heard. */
  readonly since: string
  /** One sentence for a person: who answers, why it matters, what to do. */
  readonly message: string
}

export interface Machine {
  readonly id: string
  readonly fingerprint: string
  readonly name: string
  readonly platform: string
  readonly address: string
  readonly online: boolean
  readonly trusted: boolean
  /** ISO time the machine was last heard on the network. */
  readonly lastSeen: string
  /** Its control and BitTorrent ports, as it announced them; absent when not heard in this run. */
  readonly controlPort?: number
  readonly btPort?: number
  /** Added by address (`swarmdrop pair`): the HOST:PORT it is dialled at, beyond mDNS's reach. */
  readonly pairedAddress?: string
  /** Why a machine added by address is not reachable now (key changed, unreachable); one sentence. */
  readonly pairProblem?: string
  /**
   * The id answers from more than one address now, each proving its key (two machines hold one
   * key): every address, sorted. Sends to it are refused while this lasts.
   */
  readonly twinAddresses?: readonly string[]
  /** With twinAddresses: one sentence saying why a send to it is refused and what to do. */
  readonly twinProblem?: string
  /** Another machine on the network now (or this device) has the same name: name it by id prefix. */
  readonly sharedName?: boolean
}

export interface HashingJob {
  readonly jobId: string
  readonly path: string
  readonly name: string
  readonly bytesDone: number
  readonly bytesTotal: number
}

export type DistributionState =
  | 'seeding' | 'downloading' | 'verifying' | 'verified' | 'failed' | 'paused' | 'stale'
  /** A recipient whose disk filled up: verified pieces kept, resumes when space is freed. */
  | 'no-space'

export type MemberState =
  | 'offering' | 'pending' | 'accepted' | 'declined' | 'downloading' | 'verifying' | 'verified'
  | 'failed' | 'paused' | 'unreachable' | 'timeout' | 'no-space'
  /** Its agent is gone (connections closed, control port silent, mDNS goodbye or silence); it resumes when it returns. */
  | 'lost'
  /** This device has not heard that member's state (yet): never shown as a made-up 0 %. */
  | 'unknown'
  /** It was not on the network when the file was sent (a group member, say): it is offered the file as soon as it is seen again. */
  | 'waiting'

/** One machine of a distribution, as this device knows it. */
export interface MemberRow {
  readonly id: string
  readonly fingerprint: string
  readonly name: string
  readonly address: string
  /** True for the row that is this device. */
  readonly self: boolean
  /** True for the machine the file came from. */
  readonly origin: boolean
  readonly state: MemberState
  readonly verifiedPieces: number
  readonly verifiedBytes: number
  /** Bytes per second it is receiving now. */
  readonly rate: number
  /** Seconds until it holds everything at its current rate; null when unknown or done. */
  readonly etaSeconds: number | null
  /** The whole-file SHA-256 was re-read and matched on that machine. */
  readonly verified: boolean
  readonly hashFailures: number
  readonly reason?: string
  /** ISO time this device lost contact with the member (state `lost`). */
  readonly lostSince?: string
  /**
   * ISO time since which the member has been away although its copy is verified (state `verified`
   * only: its agent was killed, said goodbye, or stopped answering). The copy is still verified;
   * the machine just seeds no more, and it is left out of the swarm's copies. Absent once it is back.
   */
  readonly offlineSince?: string
  /** It already held a verified copy when it was offered (a re-send): nothing was fetched. */
  readonly alreadyHad?: boolean
  /** ISO time since which it waits to come back on the network (state `waiting`). */
  readonly waitingSince?: string
  /**
   * Still receiving, but some piece it lacks is held by no machine this device can reach now (the
   * origin is away, say): it cannot finish until one comes back, so it has no ETA.
   */
  readonly waitsForSource?: boolean
}

export interface SwarmTotals {
  /** Every member, the origin included. */
  readonly machines: number
  /** Members whose copy is verified, the origin included (it holds the source). */
  readonly verifiedMachines: number
  /** Members other than the origin: the machines the file was sent to. */
  readonly recipients: number
  /** Recipients whose copy is verified ("1 of 2 recipients verified"). */
  readonly verifiedRecipients: number
  /** Recipients that declined, failed, timed out or could not be reached: they will not get it this time. */
  readonly refusedRecipients: number
  /** Recipients this device has lost contact with (state `lost`). */
  readonly lostRecipients: number
  /** Sum of every member's receive rate, bytes per second. */
  readonly aggregateRate: number
  /**
   * Complete copies the swarm holds between all members (sum of pieces held ÷ piece count); a
   * member that is offline (`MemberRow.offlineSince`) is left out: it serves nobody now.
   */
  readonly copiesInSwarm: number
  /** Bytes the origin uploaded ÷ file size; null when this device is not the origin and does not know. */
  readonly originUploadRatio: number | null
  readonly hashFailures: number
  readonly bannedPeers: number
  readonly peersConnected: number
  /** ETA of the slowest member still receiving, seconds; null when none, unknown, or on hold (a full disk, a piece only a machine that is away holds). */
  readonly slowestEtaSeconds: number | null
}

/** Per-piece state of this device's own copy, one byte per piece in `PieceMaps.local`. */
export const PIECE = {
  missing: 0,
  inFlight: 1,
  verified: 2,
  /** Failed its hash once, then fetched again and verified. */
  refetched: 3,
  /** Failed its hash and is not yet fetched again. */
  failed: 4
} as const
export type PieceCode = typeof PIECE[keyof typeof PIECE]

/**
 * Piece maps, compact: bytes, not arrays of booleans. Bitfields use BitTorrent order (the high bit
 * of byte 0 is piece 0), length ceil(pieceCount / 8).
 */
export interface PieceMaps {
  readonly pieceCount: number
  /**
   * One byte per piece: how many members hold it (this device included), capped at 255. Only
   * members that took part count: one that has not accepted, declined or failed holds nothing.
   */
  readonly holders: Uint8Array
  /** One byte per piece: a PIECE code for this device's copy. */
  readonly local: Uint8Array
  /** Bitfield of each member this device knows about, by device id. */
  readonly members: Readonly<Record<string, Uint8Array>>
}

export interface Distribution {
  readonly infoHash: string
  readonly name: string
  readonly role: 'origin' | 'recipient'
  readonly isFolder: boolean
  readonly totalLength: number
  readonly pieceLength: number
  readonly pieceCount: number
  readonly fileCount: number
  readonly sha256: string
  readonly state: DistributionState
  /** Why it is failed, stale, paused or out of space, as a sentence. */
  readonly reason?: string
  readonly createdAt: string
  /** Where the data is on this device (the source for the origin, the final path for a recipient). */
  readonly path: string
  readonly uploadRate: number
  readonly downloadRate: number
  readonly uploadedBytes: number
  readonly members: readonly MemberRow[]
  readonly totals: SwarmTotals
  readonly pieces: PieceMaps
  /**
   * The engine's connections for it now, with the bytes exchanged on each; absent when the engine
   * does not run it (failed, stale, not resumed): then nothing of it is served.
   */
  readonly connections?: readonly Connection[]
  /** A batch of a watched folder: that channel's id (WatchedFolder.id on the origin). */
  readonly channel?: string
  /**
   * Connections closed in this run because they came from a member's address but did not prove
   * that member's key (sd_member): the latest per address, newest first; absent when none.
   */
  readonly impostors?: readonly ImpostorNotice[]
}

/** A connection from a member's address that failed the member key proof, as the UI warns of it. */
export interface ImpostorNotice {
  readonly address: string
  /** The device id it claimed, if it claimed one. */
  readonly claimedId?: string
  /** Why its proof failed, as a sentence. */
  readonly reason: string
  /** ISO time it was last refused. */
  readonly at: string
}

/** One BitTorrent connection of a distribution. */
export interface Connection {
  readonly address: string
  /** Bytes received from it and sent to it over this connection. */
  readonly downloaded: number
  readonly uploaded: number
  /** The member's device id, once its peer proved that member's key on this connection. */
  readonly member?: string
}

export interface IncomingOffer {
  readonly offerId: string
  readonly infoHash: string
  readonly name: string
  readonly totalLength: number
  /** A folder (even of one file), which lands as a folder of its name; else a single file. */
  readonly isFolder: boolean
  readonly fileCount: number
  readonly sha256: string
  readonly sender: {
    readonly id: string
    readonly fingerprint: string
    readonly name: string
    readonly address: string
    readonly trusted: boolean
  }
  readonly receivedAt: string
  /**
   * Where it would land if accepted now, and whether it fits; `problem` when nothing can be saved
   * there at all (a read-only file system, no permission), in one sentence.
   */
  readonly destination: { readonly dir: string; readonly freeBytes: number; readonly fits: boolean; readonly problem?: string }
}

export type AcceptPolicy = 'ask' | 'trusted' | 'all'

export interface AppSettings {
  readonly name: string
  readonly downloadsDir: string
  readonly accept: AcceptPolicy
  /** Bytes per second, 0 = unlimited. */
  readonly uploadLimit: number
  readonly downloadLimit: number
  /** Desktop app only; kept in settings.json so both shells agree. */
  readonly startAtLogin: boolean
  readonly startHidden: boolean
}

export type SettingsPatch = Partial<AppSettings>

/** One machine of a group, by device id; its name is the last one this device heard (empty if never). */
export interface GroupMember {
  readonly id: string
  readonly fingerprint: string
  readonly name: string
  readonly online: boolean
}

/** A named set of machines (`send --to @lab`), kept by device id, never by name: names are chosen by anyone. */
export interface MachineGroup {
  /** 1 to 32 letters, digits, dots, dashes or underscores, starting with a letter or digit; unique regardless of case. */
  readonly name: string
  readonly members: readonly GroupMember[]
  readonly createdAt: string
}

/** How far one machine of a watched folder's target is. */
export interface ChannelMember {
  readonly id: string
  readonly fingerprint: string
  readonly name: string
  readonly online: boolean
  /** Batches sent to it that it has not verified yet (waiting, downloading, lost, failed), and their bytes. */
  readonly behindBatches: number
  readonly behindBytes: number
}

/** The last batch a watched folder sent. */
export interface ChannelBatch {
  /** 1, 2, 3… in the order the batches were made. */
  readonly seq: number
  readonly infoHash: string
  readonly fileCount: number
  readonly totalLength: number
  readonly createdAt: string
  /**
   * Its machines that hold a verified copy, of those it was sent to (a re-sent batch's machines
   * that had verified the batch it replaces hold its files, and count as verified).
   */
  readonly verifiedRecipients: number
  readonly recipients: number
}

/**
 * A watched folder ("channel", `swarmdrop watch DIR --to @group`): every file that appears or
 * changes in it is sent, once it holds still, to the group's machines, in batches.
 */
export interface WatchedFolder {
  /** 16 hex digits. */
  readonly id: string
  readonly name: string
  readonly dir: string
  /** The group it sends to (as that group is now), or null. */
  readonly group: string | null
  /** Machines it sends to besides the group's. */
  readonly ids: readonly string[]
  /** Seconds a file's size and mtime must hold still before it is sent. */
  readonly settleSeconds: number
  /** A file removed from the folder is removed on the machines too (only the version that was sent). */
  readonly mirrorDeletes: boolean
  /** `sending`: a batch is being hashed and offered; `error`: see `reason`. */
  readonly state: 'watching' | 'sending' | 'error'
  readonly reason?: string
  /** Files in the folder no batch carries yet (still changing, or ready), and their bytes. */
  readonly backlogFiles: number
  readonly backlogBytes: number
  readonly batches: number
  readonly filesSent: number
  readonly lastBatch: ChannelBatch | null
  /** Every machine it sends to now, with what it still lacks of what was sent. */
  readonly members: readonly ChannelMember[]
  readonly createdAt: string
}

export interface AppState {
  readonly apiVersion: number
  readonly shell: ShellKind
  readonly self: SelfDevice
  readonly machines: readonly Machine[]
  readonly distributions: readonly Distribution[]
  readonly hashing: readonly HashingJob[]
  readonly offers: readonly IncomingOffer[]
  /** This device's total rates, bytes per second. */
  readonly rates: { readonly upload: number; readonly download: number }
  /** Pause all was pressed: nothing is served until Resume all. */
  readonly seedingPaused: boolean
  readonly settings: AppSettings
  /** The machine groups kept in the data directory, by name. */
  readonly groups: readonly MachineGroup[]
  /** The watched folders of this device. */
  readonly channels: readonly WatchedFolder[]
  /**
   * What other machines did to this device's list that a person should hear of (a sender withdrew
   * a file this device was receiving), oldest first: the last 20 since the engine started.
   */
  readonly notices: readonly DeviceNotice[]
  /**
   * The desktop app's engine process, as the shell supervising it sees it; absent where the engine
   * runs in the shell's own process (the agent's web UI).
   */
  readonly engine?: EngineProcess
}

/** One sentence for a person, about something that happened to this device's list. */
export interface DeviceNotice {
  /** Unique while the engine runs: a front end remembers which it showed. */
  readonly id: string
  /** ISO 8601 time it happened. */
  readonly at: string
  readonly text: string
}

/**
 * `running`; `restarting` after it stopped unexpectedly (the state shown is the last one it sent);
 * `failed` once the shell gave up restarting it.
 */
export type EngineProcessStatus = 'running' | 'restarting' | 'failed'

export interface EngineProcess {
  readonly status: EngineProcessStatus
  /** One sentence for the window's banner and the tray: what happened and what happens next. */
  readonly message: string
}

/**
 * Every request that crosses IPC or the WebSocket, as data. The shell validates each one
 * (`parseCommand`) before the engine sees it.
 */
export type Command =
  | { readonly type: 'create'; readonly path: string }
  | { readonly type: 'offer'; readonly infoHash: string; readonly to: readonly string[] }
  | { readonly type: 'accept'; readonly offerId: string; readonly downloadsDir?: string; readonly alwaysTrust?: boolean }
  | { readonly type: 'decline'; readonly offerId: string }
  | { readonly type: 'pause'; readonly infoHash?: string }
  | { readonly type: 'resume'; readonly infoHash?: string }
  | { readonly type: 'open-folder'; readonly infoHash: string }
  | { readonly type: 'choose-folder' }
  | { readonly type: 'update-settings'; readonly patch: SettingsPatch }
  | { readonly type: 'trust'; readonly id: string }
  | { readonly type: 'untrust'; readonly id: string }
  /** Lists a folder on the engine's machine (the web UI's way to send a file where it is). */
  | { readonly type: 'browse'; readonly path?: string }
  /** Shares a file or folder and offers it at once: answers when it is hashed and offered (the CLI's `send`). */
  | { readonly type: 'send'; readonly path: string; readonly to: readonly string[] }
  /** Stops the device: it leaves the network cleanly. Only a shell that may stop its engine does it. */
  | { readonly type: 'stop' }
  /**
   * Starts the desktop app's engine process again after the shell gave up restarting it
   * (`engine.status` `failed`): the person fixed what made it crash, say. Answered by the shell.
   */
  | { readonly type: 'restart-engine' }
  /** Adds machines (by device id) to a group, creating the group if it does not exist. */
  | { readonly type: 'group-add'; readonly name: string; readonly ids: readonly string[] }
  /** Removes machines from a group; without ids, deletes the group. */
  | { readonly type: 'group-remove'; readonly name: string; readonly ids?: readonly string[] }
  /** Makes a group hold exactly these machines, creating it if needed (the Settings editor). */
  | { readonly type: 'group-set'; readonly name: string; readonly ids: readonly string[] }
  /** Adds a machine by address (another subnet): dials its control port, pins its key, remembers it. */
  | { readonly type: 'pair'; readonly host: string; readonly port?: number }
  /** Forgets a machine added by address: it is no longer dialled. */
  | { readonly type: 'unpair'; readonly id: string }
  /** Who received what: one distribution, or all touched since an ISO time, from the history (FleetReport). */
  | { readonly type: 'report'; readonly infoHash?: string; readonly since?: string }
  /** Forgets history entries last touched before an ISO time. */
  | { readonly type: 'prune-history'; readonly before: string }
  /**
   * Takes a distribution off this device. On its origin it is withdrawn: no longer served or
   * offered, waiting offers taken back, and every machine that has not finished it told to stop
   * and delete what it received (a verified copy is kept by its machine). On a recipient, a
   * download is cancelled (its partial files deleted, the origin told, as a decline); a verified
   * copy stops being shared and leaves the list, its files kept unless `deleteFiles`.
   */
  | { readonly type: 'remove'; readonly infoHash: string; readonly deleteFiles?: boolean }
  /** Watches a folder: what appears or changes in it goes to the group and machines named, in batches. */
  | { readonly type: 'watch-add'; readonly path: string; readonly group?: string; readonly ids?: readonly string[]; readonly settleSeconds?: number; readonly mirrorDeletes?: boolean }
  /** Stops watching a folder, by channel id or folder path (what was sent stays sent). */
  | { readonly type: 'watch-remove'; readonly channel: string }

export type CommandType = Command['type']

/** What each command answers with when it succeeds. */
export interface CommandReplies {
  create: { readonly jobId: string }
  /** `waiting`: machines not on the network now, offered the file when they come back (absent when none). */
  offer: { readonly offered: number; readonly waiting?: number }
  accept: { readonly infoHash: string }
  decline: Record<string, never>
  pause: Record<string, never>
  resume: Record<string, never>
  /** The path; the desktop app also shows it in the file manager. */
  'open-folder': { readonly path: string; readonly opened: boolean }
  /** null when the person cancelled the dialog. */
  'choose-folder': { readonly path: string } | null
  'update-settings': AppSettings
  trust: Record<string, never>
  untrust: Record<string, never>
  browse: FolderListing
  send: { readonly infoHash: string; readonly offered: number; readonly waiting?: number }
  stop: Record<string, never>
  'restart-engine': Record<string, never>
  'group-add': MachineGroup
  /** The group as it is now; null when it was deleted. */
  'group-remove': { readonly group: MachineGroup | null }
  'group-set': MachineGroup
  'watch-add': WatchedFolder
  'watch-remove': { readonly id: string; readonly dir: string }
  pair: PairReply
  unpair: Record<string, never>
  report: FleetReport
  remove: RemoveReply
  'prune-history': { readonly removed: number; readonly kept: number }
}

/** What `remove` did. */
export interface RemoveReply {
  readonly name: string
  /**
   * `withdrawn`: this device was its origin; `cancelled`: a download here was stopped;
   * `removed`: a verified copy here left the list (and was deleted with `deleteFiles`).
   */
  readonly outcome: 'withdrawn' | 'cancelled' | 'removed'
  /** Machines told (a withdrawal: those that had not finished; a cancel: the origin, 0 or 1). */
  readonly told: number
  /**
   * A withdrawal's machines that had not finished and could not be told now (away, or not
   * answering): each stops and deletes what it received when it next reports. 0 otherwise.
   */
  readonly unreached: number
  /** Bytes of files deleted from this device's disk (a partial download, or a copy with deleteFiles). */
  readonly deletedBytes: number
}

/** The machine an address answered as: its key is pinned from now on. */
export interface PairReply {
  readonly id: string
  readonly fingerprint: string
  readonly name: string
  /** HOST:PORT as it is dialled. */
  readonly pairedAddress: string
  /** The IPv4 address it answered from (what swarms use). */
  readonly address: string
  /** False when it was paired already (same key): nothing changed but its details. */
  readonly added: boolean
}

/**
 * A machine's signed statement that it verified a copy (docs/protocol.md, "Receipt"): anyone can
 * check it with the public key it carries, which must hash to `deviceId`.
 */
export interface SignedReceipt {
  readonly infoHash: string
  readonly sha256: string
  /** ISO 8601 UTC with milliseconds. */
  readonly verifiedAt: string
  readonly deviceId: string
  readonly bytes: number
  /** Raw 32-byte Ed25519 public key, base64. */
  readonly publicKey: string
  /** Ed25519 signature, base64 of 64 bytes. */
  readonly signature: string
}

/** One machine of a distribution in a report: what it did, and its receipt once verified. */
export interface ReportMachine {
  readonly id: string
  readonly name: string
  readonly state: MemberState
  /** ISO times, as this device saw them (verifiedAt from the receipt when there is one); null when it did not happen. */
  readonly acceptedAt: string | null
  readonly verifiedAt: string | null
  readonly bytes: number
  /** Pieces that failed their hash on that machine. */
  readonly badPieces: number
  readonly reason?: string
  readonly receipt: SignedReceipt | null
}

/** One distribution in a report: what it was, and who received it. */
export interface DistributionReport {
  readonly infoHash: string
  readonly name: string
  readonly sha256: string
  readonly totalLength: number
  /**
   * A folder or a single file, and how many files it holds (1 for a file); null in entries
   * written before the history kept them, while the distribution is no longer on this device.
   */
  readonly isFolder: boolean | null
  readonly fileCount: number | null
  /** 'recipient': this device received it (its own row is the only machine). */
  readonly role: 'origin' | 'recipient'
  readonly origin: { readonly id: string; readonly name: string }
  readonly createdAt: string
  /** When it was first offered (origin) or accepted (recipient); null when never. */
  readonly sentAt: string | null
  /** Bytes the origin uploaded for it, over all its runs; null on a recipient (it does not know). */
  readonly originUploadedBytes: number | null
  /** The last time anything about it changed. */
  readonly updatedAt: string
  readonly machines: readonly ReportMachine[]
}

/** What `swarmdrop report --json` prints and the app's "Export report" saves. */
export interface FleetReport {
  readonly format: 'swarmdrop-report'
  readonly version: 1
  readonly generatedAt: string
  /** The device whose history this is. */
  readonly device: { readonly id: string; readonly name: string }
  readonly distributions: readonly DistributionReport[]
}

/** One entry of a listed folder. A symbolic link is shown as what it points to, `link` set. */
export interface FolderEntry {
  readonly name: string
  /** `other`: a device, socket, pipe, or a link whose target is gone or unreadable. */
  readonly kind: 'file' | 'folder' | 'other'
  /** Bytes, for files; null otherwise. */
  readonly size: number | null
  readonly link: boolean
}

export interface FolderListing {
  /** The folder listed, absolute. */
  readonly path: string
  /** Its parent, or null at the root. */
  readonly parent: string | null
  /** Folders first, then files, by name; at most a bounded number. */
  readonly entries: readonly FolderEntry[]
  /** True when the folder holds more entries than were listed. */
  readonly truncated: boolean
}

/** How far a browser upload has got (the web UI copies a chosen file to the agent first). */
export interface UploadProgress { readonly bytesSent: number; readonly bytesTotal: number }

export interface CreateOptions {
  /** Called as the bytes go out (web UI only: the desktop app shares the file where it is). */
  readonly onProgress?: (progress: UploadProgress) => void
  /** Aborting it cancels the upload (answer code `cancelled`); the agent deletes what it received. */
  readonly signal?: AbortSignal
}

/**
 * The one door between the renderer and the engine. The desktop app's preload implements it over
 * IPC (`contextBridge` as `window.swarmdrop`); the web bridge implements it over a WebSocket.
 */
export interface SwarmdropApi {
  readonly shell: ShellKind
  getState (): Promise<ApiResult<AppState>>
  /** Called with every state update (a few per second at most); returns the unsubscribe. */
  subscribe (listener: (state: AppState) => void): () => void
  /**
   * Starts a distribution from dropped or chosen files. The desktop app resolves their paths; the
   * web UI uploads the bytes to the agent first. One file or one folder at a time.
   */
  createFromFiles (files: readonly File[], opts?: CreateOptions): Promise<ApiResult<CommandReplies['create']>>
  /** Starts a distribution from a path on the engine's machine, shared where it is (no copy). */
  createFromPath (path: string): Promise<ApiResult<CommandReplies['create']>>
  /** Lists a folder on the engine's machine; without a path, its home folder. The desktop app answers `unsupported` (it has a file dialog). */
  browse (path?: string): Promise<ApiResult<CommandReplies['browse']>>
  offer (infoHash: string, to: readonly string[]): Promise<ApiResult<CommandReplies['offer']>>
  accept (offerId: string, opts?: { readonly downloadsDir?: string; readonly alwaysTrust?: boolean }): Promise<ApiResult<CommandReplies['accept']>>
  decline (offerId: string): Promise<ApiResult<CommandReplies['decline']>>
  /** Without an infoHash: pause or resume all seeding. */
  pause (infoHash?: string): Promise<ApiResult<CommandReplies['pause']>>
  resume (infoHash?: string): Promise<ApiResult<CommandReplies['resume']>>
  openFolder (infoHash: string): Promise<ApiResult<CommandReplies['open-folder']>>
  /** Withdraws (origin), cancels (a download) or removes (a verified copy) a distribution: see the `remove` command. */
  remove (infoHash: string, opts?: { readonly deleteFiles?: boolean }): Promise<ApiResult<CommandReplies['remove']>>
  /** A native folder dialog in the desktop app; the web UI answers `unsupported` (type a path instead). */
  chooseFolder (): Promise<ApiResult<CommandReplies['choose-folder']>>
  updateSettings (patch: SettingsPatch): Promise<ApiResult<CommandReplies['update-settings']>>
  trust (id: string): Promise<ApiResult<CommandReplies['trust']>>
  untrust (id: string): Promise<ApiResult<CommandReplies['untrust']>>
  /** Creates or edits a group: it holds exactly `ids` afterwards. */
  setGroup (name: string, ids: readonly string[]): Promise<ApiResult<CommandReplies['group-set']>>
  deleteGroup (name: string): Promise<ApiResult<CommandReplies['group-remove']>>
  /** Adds a machine by HOST and control port (default 47620). */
  pair (host: string, port?: number): Promise<ApiResult<CommandReplies['pair']>>
  unpair (id: string): Promise<ApiResult<CommandReplies['unpair']>>
  /** Who received what (all distributions without an infoHash), with each machine's signed receipt. */
  report (infoHash?: string): Promise<ApiResult<CommandReplies['report']>>
  /** Watches a folder on the engine's machine, sending to a group (and/or machines). */
  watchFolder (path: string, to: { readonly group?: string; readonly ids?: readonly string[]; readonly settleSeconds?: number; readonly mirrorDeletes?: boolean }): Promise<ApiResult<CommandReplies['watch-add']>>
  unwatchFolder (channel: string): Promise<ApiResult<CommandReplies['watch-remove']>>
  /** After the desktop app gave up restarting its engine: start it again (the banner's "Try again"). */
  restartEngine (): Promise<ApiResult<CommandReplies['restart-engine']>>
}
