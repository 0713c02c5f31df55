// The whole AppState snapshot from a running node: the device, machines, distributions (with
// member rows and piece maps), hashing jobs, waiting offers, rates, settings, notices.
import { basename } from 'node:path'
import { platform } from 'node:os'
import { API_VERSION, type AppSettings, type AppState, type DeviceNotice, type Distribution, type MemberState, type ShellKind } from '../../../common/api.js'
import type { Peer } from '../discovery/peer-info.js'
import { shortFingerprint } from '../identity/device-id.js'
import type { SwarmNode } from '../node/swarm-node.js'
import type { Settings } from '../settings/settings.js'
import { APP_VERSION } from '../version.js'
import { distributionView } from './distribution-view.js'
import { groupView } from './groups.js'
import { channelsView } from './channels.js'
import type { FreeSpace } from './free-space.js'
import { machinesView } from './machines-view.js'
import { offerView } from './offers-view.js'
import type { PieceHistory } from './piece-history.js'
import type { TwinCheck } from './twin-check.js'

export interface StateSources {
  readonly shell: ShellKind
  readonly history: PieceHistory
  readonly freeSpace: FreeSpace
  /** Machines seen earlier in this run that discovery lost. */
  readonly gone: () => readonly Peer[]
  /** The notices kept (app-service.ts), oldest first. */
  readonly notices: () => readonly DeviceNotice[]
  /** Twins among the machines, and others answering for this device's own id. */
  readonly twins?: Pick<TwinCheck, 'twins' | 'ownClash'>
}

export function appSettings (s: Settings): AppSettings {
  return {
    name: s.name,
    downloadsDir: s.downloadsDir,
    accept: s.accept,
    uploadLimit: s.uploadLimit,
    downloadLimit: s.downloadLimit,
    startAtLogin: s.startAtLogin,
    startHidden: s.startHidden
  }
}

/**
 * What this device receives now: the rate of its own member rows, the figure the summary's rate box
 * and the machine table show. The engine's client-wide rate is a 5-second average that lingers
 * after a copy completes (↓ 3.6 MB/s in the top bar beside a box that read 0 B/s): the rows drop to
 * 0 as soon as a member stops receiving, and the top bar now drops with them.
 */
export function downloadRate (distributions: readonly Distribution[]): number {
  let sum = 0
  for (const d of distributions) for (const m of d.members) if (m.self) sum += m.rate
  return sum
}

const RECEIVING: ReadonlySet<MemberState> = new Set(['accepted', 'downloading'])

/**
 * What this device sends now: the upload of the distributions in which another member is still
 * receiving. Once every member has its copy, the rows and the box read 0 and so does the top bar,
 * instead of the engine's 5-second average lingering after the last piece went out.
 */
export function uploadRate (distributions: readonly Distribution[]): number {
  let sum = 0
  for (const d of distributions) if (d.members.some(m => !m.self && RECEIVING.has(m.state))) sum += d.uploadRate
  return sum
}

export function buildAppState (node: SwarmNode, src: StateSources): AppState {
  const settings = node.settings
  const self = { id: node.identity.id, name: settings.name }
  const online = node.discovery.list()
  const gone = src.gone().filter(p => !online.some(o => o.id === p.id))
  const status = node.status()
  const clash = src.twins?.ownClash()
  const distributions = node.registry.list().map(record => distributionView({
    record,
    self,
    transfer: node.engine.stats(record.infoHash),
    ownBits: node.engine.bitfield(record.infoHash),
    peerBits: node.engine.peerBitfields(record.infoHash),
    inFlight: new Set(node.engine.piecesInFlight(record.infoHash)),
    failed: src.history.failedPieces(record.infoHash),
    banned: src.history.bannedPeers(record.infoHash),
    impostors: src.history.impostors(record.infoHash),
    paused: node.isPaused(record.infoHash),
    heard: node.heardSwarm(record.infoHash)
  })).sort((a, b) => b.createdAt.localeCompare(a.createdAt))
  return {
    apiVersion: API_VERSION,
    shell: src.shell,
    self: { ...self, fingerprint: shortFingerprint(self.id), platform: platform(), version: APP_VERSION, ...(clash !== undefined ? { identityClash: clash } : {}) },
    machines: machinesView(online, gone, node.trust.list(), node.pairings.list(), { twins: src.twins?.twins() ?? new Map(), selfName: settings.name }),
    distributions,
    hashing: status.hashing.map(h => ({ jobId: h.jobId, path: h.path, name: basename(h.path), bytesDone: h.bytesDone, bytesTotal: h.bytesTotal })),
    offers: status.offers.map(o => offerView(o, node.trust.has(o.sender.id), settings.downloadsDir, src.freeSpace.facts(settings.downloadsDir))),
    rates: { upload: uploadRate(distributions), download: downloadRate(distributions) },
    seedingPaused: node.seedingPaused,
    settings: appSettings(settings),
    groups: node.groups.list().map(g => groupView(g, { online, gone, known: id => node.known.get(id), trusted: node.trust.list() })),
    channels: channelsView(node),
    notices: src.notices()
  }
}
