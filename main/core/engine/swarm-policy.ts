// Who sends which piece in a one-to-many distribution, so the origin uploads about one copy
// whatever the number of recipients (the idea of BEP 16 super-seeding, made simpler because every
// member is known and cooperative):
//   - the origin hands each piece to one member first, and refuses (BEP 6 reject) to send it to
//     another while a member other than the requester holds it or the first transfer is under way;
//   - a recipient does not ask the origin for a piece another connected member can give it, and
//     after a refusal leaves that piece alone for a moment instead of asking again at once.
// WebTorrent consults this through three hooks added by patches/webtorrent+3.0.21.patch.
import { peerAddress } from './peer-address.js'
import type { WireLike } from './webtorrent-types.js'

export interface SwarmPolicy {
  /** Recipient side: may `wire` be asked for piece `index`? */
  mayRequest (wire: WireLike, index: number): boolean
  /** Origin side: may piece `index` be sent to `wire`? */
  mayServe (wire: WireLike, index: number): boolean
  /** A request for `index` on `wire` was refused or failed. */
  onRefused (wire: WireLike, index: number): void
}

/** A hand-off older than this without the piece showing up anywhere is assumed lost. */
const STUCK_MS = 4_000
/** After a refusal from the origin, how long a recipient looks elsewhere for that piece. */
const BACKOFF_MS = 750

/**
 * A wire's member: its address. Two members that dial each other at once end up with two wires
 * between them, and both carry requests; telling them apart made the origin refuse a piece's
 * remaining blocks to the very member it was sending them to, until the hand-off timed out.
 */
class Addresses {
  private readonly known = new WeakMap<WireLike, string>()

  of (wire: WireLike): string {
    let address = this.known.get(wire)
    if (address === undefined) {
      address = peerAddress(wire)
      this.known.set(wire, address)
    }
    return address
  }
}

interface Handoff { readonly address: string; readonly at: number }

export class OriginPolicy implements SwarmPolicy {
  private readonly handoffs = new Map<number, Handoff>()
  private readonly addresses = new Addresses()
  /** Pieces sent more than once, for the figures: the origin's extra copies. */
  resent = 0

  constructor (private readonly wires: () => readonly WireLike[], private readonly now: () => number = Date.now) {}

  mayRequest (): boolean { return true }

  mayServe (wire: WireLike, index: number): boolean {
    const h = this.handoffs.get(index)
    const t = this.now()
    const address = this.addresses.of(wire)
    if (!h || h.address === address || !this.connected(h.address)) {
      if (h && h.address !== address) this.resent++
      this.handoffs.set(index, { address, at: t })
      return true
    }
    // Someone else holds it, or will shortly: the requester gets it from the swarm.
    if (this.wires().some(w => w !== wire && !w.destroyed && w.peerPieces.get(index))) return false
    if (t - h.at < STUCK_MS) return false
    this.resent++
    this.handoffs.set(index, { address, at: t })
    return true
  }

  onRefused (): void {}

  private connected (address: string): boolean {
    return this.wires().some(w => !w.destroyed && this.addresses.of(w) === address)
  }
}

export class RecipientPolicy implements SwarmPolicy {
  private readonly refusedUntil = new Map<number, number>()
  /** The scheduler asks about a wire for every candidate piece: its address is looked up once. */
  private readonly addresses = new Addresses()

  constructor (
    private readonly originAddress: string,
    private readonly wires: () => readonly WireLike[],
    private readonly now: () => number = Date.now
  ) {}

  private isOrigin (wire: WireLike): boolean { return this.addresses.of(wire) === this.originAddress }

  mayRequest (wire: WireLike, index: number): boolean {
    if (!this.isOrigin(wire)) return true
    const until = this.refusedUntil.get(index)
    if (until !== undefined) {
      if (until > this.now()) return false
      this.refusedUntil.delete(index)
    }
    return !this.wires().some(w => w !== wire && !w.destroyed && !this.isOrigin(w) && w.peerPieces.get(index))
  }

  mayServe (): boolean { return true }

  onRefused (wire: WireLike, index: number): void {
    if (this.isOrigin(wire)) this.refusedUntil.set(index, this.now() + BACKOFF_MS)
  }
}
