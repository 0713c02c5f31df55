// Finding the peer that sends bad data. WebTorrent only says "piece N failed verification"; this
// remembers which wire sent each run of blocks of a piece in progress (where, not the bytes: those
// are in the piece, read only if it fails). A failed piece with one sender is that sender's fault.
// With several senders, each block's digest is taken from the failed piece, and when the piece
// later passes, the senders whose blocks differ from the good ones are the liars (libtorrent's
// "smart ban"). A peer found sending bad data in BAN_AFTER pieces is banned from the torrent.
import { createHash } from 'node:crypto'
import { peerAddress } from './peer-address.js'
import type { WireLike } from './webtorrent-types.js'

const BAN_AFTER = 2
/** WebTorrent's block size (16 KiB); a suspect's block is compared over this span. */
const BLOCK = 16 * 1024

/** Consecutive bytes of a piece kept from one wire (one record per received run, not per block). */
interface Run { readonly offset: number; readonly length: number; readonly wire: WireLike }
interface Suspect { readonly offset: number; readonly address: string; readonly digest: string }

const digest = (data: Uint8Array): string => createHash('sha1').update(data).digest('hex')

export class PieceAudit {
  private readonly inProgress = new Map<number, Run[]>()
  private readonly failed = new Map<number, Suspect[]>()
  private readonly strikes = new Map<string, number>()
  readonly banned = new Set<string>()

  constructor (private readonly onBan: (address: string, badPieces: number) => void) {}

  /** `length` bytes from `offset` of piece `index`, newly kept by the piece, came from `wire`. */
  onRun (index: number, offset: number, length: number, wire: WireLike): void {
    let runs = this.inProgress.get(index)
    if (!runs) { runs = []; this.inProgress.set(index, runs) }
    runs.push({ offset, length, wire })
  }

  /** Piece `index` failed its check; `piece` is its bytes as received (read now, not kept). */
  onFailed (index: number, piece: Uint8Array): void {
    const runs = this.inProgress.get(index) ?? []
    this.inProgress.delete(index)
    const senders = new Set(runs.map(r => peerAddress(r.wire)))
    if (senders.size === 1) {
      const [only] = senders
      if (only !== undefined) this.strike(only)
      return
    }
    const suspects = this.failed.get(index) ?? []
    for (const run of runs) {
      const address = peerAddress(run.wire)
      const end = Math.min(run.offset + run.length, piece.length)
      for (let offset = run.offset; offset < end; offset += BLOCK) {
        suspects.push({ offset, address, digest: digest(piece.subarray(offset, Math.min(offset + BLOCK, end))) })
      }
    }
    this.failed.set(index, suspects)
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
