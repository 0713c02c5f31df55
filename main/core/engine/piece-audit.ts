// Finding the peer that sends bad data. WebTorrent only says "piece N failed verification"; this
// remembers which wire sent each block of a piece in progress. A failed piece with one sender is
// that sender's fault. With several senders, each block's digest is kept, and when the piece later
// passes, the senders whose blocks differ from the good ones are the liars (libtorrent's
// "smart ban"). A peer found sending bad data in BAN_AFTER pieces is banned from the torrent.
import { createHash } from 'node:crypto'
import { peerAddress } from './peer-address.js'
import type { WireLike } from './webtorrent-types.js'

const BAN_AFTER = 2
/** WebTorrent's block size (16 KiB); a suspect's block is compared over this span. */
const BLOCK = 16 * 1024

interface Block { readonly offset: number; readonly wire: WireLike; readonly data: Uint8Array }
interface Suspect { readonly offset: number; readonly address: string; readonly digest: string }

const digest = (data: Uint8Array): string => createHash('sha1').update(data).digest('hex')

export class PieceAudit {
  private readonly inProgress = new Map<number, Block[]>()
  private readonly failed = new Map<number, Suspect[]>()
  private readonly strikes = new Map<string, number>()
  readonly banned = new Set<string>()

  constructor (private readonly onBan: (address: string, badPieces: number) => void) {}

  onBlock (index: number, offset: number, data: Uint8Array, wire: WireLike): void {
    let blocks = this.inProgress.get(index)
    if (!blocks) { blocks = []; this.inProgress.set(index, blocks) }
    blocks.push({ offset, wire, data })
  }

  onFailed (index: number): void {
    const blocks = this.inProgress.get(index) ?? []
    this.inProgress.delete(index)
    const senders = new Set(blocks.map(b => peerAddress(b.wire)))
    if (senders.size === 1) {
      const [only] = senders
      if (only !== undefined) this.strike(only)
      return
    }
    const previous = this.failed.get(index) ?? []
    this.failed.set(index, [...previous, ...blocks.map(b => ({ offset: b.offset, address: peerAddress(b.wire), digest: digest(b.data) }))])
  }

  onPassed (index: number, piece: Uint8Array): void {
    this.inProgress.delete(index)
    const suspects = this.failed.get(index)
    if (!suspects) return
    this.failed.delete(index)
    const liars = new Set<string>()
    for (const s of suspects) {
      const good = piece.subarray(s.offset, s.offset + BLOCK)
      if (digest(good) !== s.digest) liars.add(s.address)
    }
    for (const address of liars) this.strike(address)
  }

  isBanned (wire: WireLike): boolean { return this.banned.has(peerAddress(wire)) }

  private strike (address: string): void {
    const n = (this.strikes.get(address) ?? 0) + 1
    this.strikes.set(address, n)
    if (n >= BAN_AFTER && !this.banned.has(address)) {
      this.banned.add(address)
      this.onBan(address, n)
    }
  }
}
