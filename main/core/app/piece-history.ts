// What the engine reports once and does not keep: which pieces failed their hash (per
// distribution, so the piece map can show them failed, then refetched), which peers were banned,
// and which connections were closed for failing the member key proof (impostors).
import type { ImpostorNotice } from '../../../common/api.js'
import type { SwarmNode } from '../node/swarm-node.js'

/** Impostor addresses kept per distribution: the notice names the latest few, not a flood. */
const MAX_IMPOSTORS = 8

export class PieceHistory {
  private readonly failed = new Map<string, Set<number>>()
  private readonly banned = new Map<string, Set<string>>()
  /** By infohash, then address; a Map keeps insertion order, so the newest is last. */
  private readonly impostorsSeen = new Map<string, Map<string, ImpostorNotice>>()
  private readonly detach: () => void

  constructor (node: SwarmNode, onChange: () => void) {
    const onFailure = (e: { infoHash: string; piece: number }): void => {
      let s = this.failed.get(e.infoHash)
      if (!s) this.failed.set(e.infoHash, s = new Set())
      s.add(e.piece)
      onChange()
    }
    const onBanned = (e: { infoHash: string; address: string }): void => {
      let s = this.banned.get(e.infoHash)
      if (!s) this.banned.set(e.infoHash, s = new Set())
      s.add(e.address)
      onChange()
    }
    const onImpostor = (e: { infoHash: string; address: string; claimedId: string | null; reason: string }): void => {
      let m = this.impostorsSeen.get(e.infoHash)
      if (!m) this.impostorsSeen.set(e.infoHash, m = new Map())
      m.delete(e.address)
      m.set(e.address, { address: e.address, ...(e.claimedId !== null ? { claimedId: e.claimedId } : {}), reason: e.reason, at: new Date().toISOString() })
      for (const oldest of m.keys()) {
        if (m.size <= MAX_IMPOSTORS) break
        m.delete(oldest)
      }
      onChange()
    }
    node.on('hash-failure', onFailure)
    node.on('peer-banned', onBanned)
    node.on('impostor-refused', onImpostor)
    this.detach = () => {
      node.off('hash-failure', onFailure)
      node.off('peer-banned', onBanned)
      node.off('impostor-refused', onImpostor)
    }
  }

  /** The connections refused for failing the member proof, newest first. */
  impostors (infoHash: string): readonly ImpostorNotice[] { return [...(this.impostorsSeen.get(infoHash)?.values() ?? [])].reverse() }

  failedPieces (infoHash: string): ReadonlySet<number> { return this.failed.get(infoHash) ?? new Set() }

  bannedPeers (infoHash: string): ReadonlySet<string> { return this.banned.get(infoHash) ?? new Set() }

  close (): void { this.detach() }
}
