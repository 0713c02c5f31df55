// Realistic AppState fixtures shared by the renderer's tests: a 12-piece ISO being sent from this
// device (lab-07) to three lab machines, one more machine offline, and offers waiting.
import { API_VERSION, PIECE } from '../../../preload/api.js'
import type { AppState, Distribution, IncomingOffer, Machine, MemberRow, PieceMaps, WatchedFolder } from '../../../preload/api.js'
import { memberRow } from '../../../test/unit/member-row-fixture.js'

export const SELF_ID = '9f3ac21e00112233445566778899aabb'
export const INFO_HASH = '3b1f9c0d2e4a5b6c7d8e9f0a1b2c3d4e5f60e90a'
export const SHA256 = '3b1f4a6c9d2e8f7a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1ee90a'

const MIB = 1024 * 1024

export function machine (n: number, over: Partial<Machine> = {}): Machine {
  const hex = n.toString(16).padStart(2, '0')
  return {
    id: `${hex}`.repeat(16),
    fingerprint: `${hex}a1·b2${hex}`,
    name: `lab-${String(n).padStart(2, '0')}`,
    platform: 'linux',
    address: `10.0.0.${n}`,
    online: true,
    trusted: false,
    lastSeen: '2026-11-22T07:30:00.000Z',
    ...over
  }
}

export const MACHINES: readonly Machine[] = [
  machine(1),
  machine(2, { trusted: true }),
  machine(3),
  machine(9, { online: false, lastSeen: '2026-11-21T18:02:00.000Z' })
]

/** A BitTorrent-order bitfield with the given pieces set. */
export function bitfield (pieceCount: number, held: (i: number) => boolean): Uint8Array {
  const bytes = new Uint8Array(Math.ceil(pieceCount / 8))
  for (let i = 0; i < pieceCount; i++) if (held(i)) bytes[i >> 3] = (bytes[i >> 3] ?? 0) | (0x80 >> (i & 7))
  return bytes
}

/** Machine `m`'s row in a distribution, from the row fixture the CLI's and the shell's tests use too. */
function member (m: Machine, over: Partial<MemberRow>): MemberRow {
  return memberRow({ id: m.id, fingerprint: m.fingerprint, name: m.name, address: m.address, ...over })
}

export function originDistribution (over: Partial<Distribution> = {}): Distribution {
  const pieceCount = 12
  const pieceLength = 4 * MIB
  const totalLength = 11 * pieceLength + 1234
  const [m1, m2, m3] = MACHINES as [Machine, Machine, Machine]
  const self = member({ ...machine(7), id: SELF_ID, fingerprint: '9f3a·c21e', name: 'lab-07' }, {
    self: true, origin: true, state: 'verified', verifiedPieces: pieceCount, verifiedBytes: totalLength, verified: true
  })
  const members: MemberRow[] = [
    self,
    member(m1, { state: 'verified', verifiedPieces: 12, verifiedBytes: totalLength, verified: true }),
    member(m2, { state: 'downloading', verifiedPieces: 6, verifiedBytes: 6 * pieceLength, rate: 96_000_000, etaSeconds: 7 }),
    member(m3, { state: 'declined' })
  ]
  const has1 = bitfield(pieceCount, () => true)
  const has2 = bitfield(pieceCount, i => i < 6)
  const holders = new Uint8Array(pieceCount).map((_, i) => 2 + (i < 6 ? 1 : 0))
  const pieces: PieceMaps = {
    pieceCount,
    holders,
    local: new Uint8Array(pieceCount).fill(PIECE.verified),
    members: { [SELF_ID]: bitfield(pieceCount, () => true), [m1.id]: has1, [m2.id]: has2 }
  }
  return {
    infoHash: INFO_HASH,
    name: 'ubuntu-24.04-server.iso',
    role: 'origin',
    isFolder: false,
    totalLength,
    pieceLength,
    pieceCount,
    fileCount: 1,
    sha256: SHA256,
    state: 'seeding',
    createdAt: '2026-11-22T07:20:00.000Z',
    path: '/home/lab/ubuntu-24.04-server.iso',
    uploadRate: 118_000_000,
    downloadRate: 0,
    uploadedBytes: 30 * MIB,
    members,
    totals: {
      machines: 4,
      verifiedMachines: 2,
      recipients: 3,
      verifiedRecipients: 1,
      refusedRecipients: 0,
      lostRecipients: 0,
      aggregateRate: 96_000_000,
      copiesInSwarm: 2.5,
      originUploadRatio: 0.41,
      hashFailures: 0,
      bannedPeers: 0,
      peersConnected: 2,
      slowestEtaSeconds: 7
    },
    pieces,
    ...over
  }
}

/**
 * The same ISO as this device (lab-07) receives it from lab-01: half of it verified here so far
 * (`self` changes this device's row; `{ verified: true }` makes it a verified copy), lab-02 receiving too.
 */
export function recipientDistribution (over: Partial<Distribution> = {}, self: Partial<MemberRow> = {}): Distribution {
  const base = originDistribution()
  const [m1, m2] = MACHINES as [Machine, Machine]
  const done = self.verified === true
  const mine = member({ ...machine(7), id: SELF_ID, fingerprint: '9f3a·c21e', name: 'lab-07' }, {
    self: true,
    ...(done
      ? { state: 'verified', verifiedPieces: base.pieceCount, verifiedBytes: base.totalLength, verified: true }
      : { state: 'downloading', verifiedPieces: 6, verifiedBytes: 6 * base.pieceLength, rate: 40_000_000, etaSeconds: 4 }),
    ...self
  })
  const members: MemberRow[] = [
    member(m1, { origin: true, state: 'verified', verifiedPieces: base.pieceCount, verifiedBytes: base.totalLength, verified: true }),
    mine,
    member(m2, { state: 'downloading', verifiedPieces: 3, verifiedBytes: 3 * base.pieceLength, rate: 30_000_000, etaSeconds: 9 })
  ]
  return {
    ...base,
    infoHash: 'b'.repeat(40),
    role: 'recipient',
    state: done ? 'verified' : 'downloading',
    path: `/home/lab/Downloads/${base.name}`,
    uploadRate: 0,
    downloadRate: done ? 0 : 40_000_000,
    uploadedBytes: 0,
    members,
    totals: {
      ...base.totals,
      machines: 3,
      verifiedMachines: done ? 2 : 1,
      recipients: 2,
      verifiedRecipients: done ? 1 : 0,
      aggregateRate: done ? 30_000_000 : 70_000_000,
      copiesInSwarm: done ? 2.25 : 1.75,
      originUploadRatio: null,
      slowestEtaSeconds: 9
    },
    ...over
  }
}

export function offer (over: Partial<IncomingOffer> = {}): IncomingOffer {
  return {
    offerId: 'of-5a1c2e7d',
    infoHash: 'a'.repeat(40),
    name: 'hls-2024-06.tar',
    totalLength: 2_600_000_000,
    isFolder: false,
    fileCount: 1,
    sha256: 'c0ffee'.padEnd(64, '0'),
    sender: { id: '01'.repeat(16), fingerprint: '01a1·b201', name: 'lab-01', address: '10.0.0.1', trusted: false },
    receivedAt: '2026-11-22T07:31:00.000Z',
    destination: { dir: '/home/lab/Downloads', freeBytes: 50_000_000_000, fits: true },
    ...over
  }
}

/**
 * A folder watched by this device for @lab: four batches sent, the last verified on one of two
 * machines, lab-02 up to date, lab-03 away and two batches behind.
 */
export function watchedFolder (over: Partial<WatchedFolder> = {}): WatchedFolder {
  return {
    id: '0123456789abcdef',
    name: 'segments',
    dir: '/srv/segments',
    group: 'lab',
    ids: [],
    settleSeconds: 3,
    mirrorDeletes: false,
    state: 'watching',
    backlogFiles: 0,
    backlogBytes: 0,
    batches: 4,
    filesSent: 503,
    lastBatch: { seq: 4, infoHash: 'b'.repeat(40), fileCount: 500, totalLength: 1_200_000, createdAt: '2026-11-22T07:00:00.000Z', verifiedRecipients: 1, recipients: 2 },
    members: [
      { id: 'c'.repeat(32), fingerprint: 'cccc·cccc', name: 'lab-02', online: true, behindBatches: 0, behindBytes: 0 },
      { id: 'd'.repeat(32), fingerprint: 'dddd·dddd', name: 'lab-03', online: false, behindBatches: 2, behindBytes: 2_000_000 }
    ],
    createdAt: '2026-11-22T06:00:00.000Z',
    ...over
  }
}

export function appState (over: Partial<AppState> = {}): AppState {
  return {
    apiVersion: API_VERSION,
    shell: 'electron',
    self: { id: SELF_ID, fingerprint: '9f3a·c21e', name: 'lab-07', platform: 'linux', version: '0.1.0' },
    machines: MACHINES,
    distributions: [originDistribution()],
    hashing: [],
    offers: [],
    notices: [],
    rates: { upload: 118_000_000, download: 0 },
    seedingPaused: false,
    settings: {
      name: 'lab-07',
      downloadsDir: '/home/lab/Downloads',
      accept: 'ask',
      uploadLimit: 0,
      downloadLimit: 25_000_000,
      startAtLogin: false,
      startHidden: false
    },
    groups: [],
    channels: [],
    ...over
  }
}

/** A state with nothing in it yet: a fresh install on a quiet network. */
export function emptyState (over: Partial<AppState> = {}): AppState {
  return appState({ machines: [], distributions: [], offers: [], rates: { upload: 0, download: 0 }, ...over })
}
