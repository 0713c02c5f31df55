// What the engine reports once and does not keep: which pieces failed their hash (per
// distribution, so the piece map can show them failed, then refetched) and which peers were banned.
import type { SwarmNode } from '../node/swarm-node.js'

export class PieceHistory {
  private readonly failed = new Map<string, Set<number>>()
  private readonly banned = new Map<string, Set<string>>()
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
    node.on('hash-failure', onFailure)
    node.on('peer-banned', onBanned)
    this.detach = () => {
      node.off('hash-failure', onFailure)
      node.off('peer-banned', onBanned)
    }
  }

  failedPieces (infoHash: string): ReadonlySet<number> { return this.failed.get(infoHash) ?? new Set() }

  bannedPeers (infoHash: string): ReadonlySet<string> { return this.banned.get(infoHash) ?? new Set() }

  close (): void { this.detach() }
}
