// Realistic AppState values for the desktop shell's pure modules: one device, a few machines,
// distributions in the roles and states the tray and notifications care about.
import { PIECE, type AppState, type Distribution, type IncomingOffer, type WatchedFolder } from '../../../common/api.js'
import { memberRow } from '../member-row-fixture.js'

const MiB = 1024 * 1024

/** A machine's row: the shared fixture, named as these tests call it. */
export const member = memberRow

export function distribution (over: Partial<Distribution> & Pick<Distribution, 'infoHash' | 'name'>): Distribution {
  const pieceCount = over.pieceCount ?? 16
  const members = over.members ?? []
  const verified = members.filter(m => m.verified).length
  return {
    role: 'origin',
    isFolder: false,
    totalLength: 16 * MiB,
    pieceLength: MiB,
    pieceCount,
    fileCount: 1,
    sha256: 'ab'.repeat(32),
    state: 'seeding',
    createdAt: '2026-11-22T07:00:00.000Z',
    path: '/srv/isos/file.iso',
    uploadRate: 0,
    downloadRate: 0,
    uploadedBytes: 0,
    members,
    totals: {
      machines: members.length,
      verifiedMachines: verified,
      recipients: members.filter(m => !m.origin).length,
      verifiedRecipients: members.filter(m => !m.origin && m.verified).length,
      refusedRecipients: 0,
      lostRecipients: 0,
      aggregateRate: 0,
      copiesInSwarm: 1,
      originUploadRatio: 0,
      hashFailures: 0,
      bannedPeers: 0,
      peersConnected: 0,
      slowestEtaSeconds: null
    },
    pieces: { pieceCount, holders: new Uint8Array(pieceCount), local: new Uint8Array(pieceCount).fill(PIECE.verified), members: {} },
    ...over
  }
}

export function offer (over: Partial<IncomingOffer> & Pick<IncomingOffer, 'offerId' | 'name'>): IncomingOffer {
  return {
    infoHash: 'cd'.repeat(20),
    totalLength: 2_600_000_000,
    isFolder: false,
    fileCount: 1,
    sha256: 'ef'.repeat(32),
    sender: { id: '9f3ac21e'.padEnd(32, '0'), fingerprint: '9f3a·c21e', name: 'lab-07', address: '10.0.0.7', trusted: false },
    receivedAt: '2026-11-22T07:10:00.000Z',
    destination: { dir: '/home/me/Downloads/Swarmdrop', freeBytes: 50e9, fits: true },
    ...over
  }
}

/** A watched folder sending to the group lab, two batches in. */
export function watchedFolder (over: Partial<WatchedFolder> = {}): WatchedFolder {
  return {
    id: '0123456789abcdef',
    name: 'renders',
    dir: '/srv/renders',
    group: 'lab',
    ids: [],
    settleSeconds: 5,
    mirrorDeletes: false,
    state: 'watching',
    backlogFiles: 0,
    backlogBytes: 0,
    batches: 2,
    filesSent: 3,
    lastBatch: null,
    members: [],
    createdAt: '2026-12-07T10:00:00.000Z',
    ...over
  }
}

export function appState (over: Partial<AppState> = {}): AppState {
  return {
    apiVersion: 1,
    shell: 'electron',
    self: { id: '1234abcd'.padEnd(32, '0'), fingerprint: '1234·abcd', name: 'desk-01', platform: 'linux', version: '0.1.0' },
    machines: [],
    distributions: [],
    hashing: [],
    offers: [],
    notices: [],
    rates: { upload: 0, download: 0 },
    seedingPaused: false,
    settings: {
      name: 'desk-01',
      downloadsDir: '/home/me/Downloads/Swarmdrop',
      accept: 'ask',
      uploadLimit: 0,
      downloadLimit: 0,
      startAtLogin: false,
      startHidden: false
    },
    groups: [],
    channels: [],
    ...over
  }
}

export const HASH_A = 'a1'.repeat(20)
export const HASH_B = 'b2'.repeat(20)
export const HASH_C = 'c3'.repeat(20)
export { MiB }
