// Who sends which piece in a one-to-many distribution, so the origin uploads about one copy
// whatever the number of recipients (the idea of BEP 16 super-seeding, made simpler because every
// member is known and cooperative):
//   - the origin hands each piece to one member first, and refuses (BEP 6 reject) to send it to
//     another while a member other than the requester holds it or the first transfer is under way;
//   - a recipient does not ask the origin for a piece another connected member can give it, and
//     after a refusal leaves that piece alone for a moment instead of asking again at once;
//   - a slow member (member-rates.ts) gets no first copies while a fast one can take them, and a
//     piece held only by slow members may leave the origin again for a fast one, within a budget
//     of extra copies (so the origin stays near one copy in all).
// WebTorrent consults this through three hooks added by patches/webtorrent+3.0.21.patch.
import { MemberRates } from './member-rates.js'
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
  /** Extra copies sent to fast members because only slow ones held the piece, by piece. */
  private readonly extra = new Map<number, string>()
  /** Pieces sent more than once, for the figures: the origin's extra copies. */
  resent = 0

  /**
   * `extraCopies`: how many pieces may leave a second time because only slow members hold them
   * (the owner sets it from the file size: a share of one copy).
   */
  constructor (
    private readonly wires: () => readonly WireLike[],
    private readonly now: () => number = Date.now,
    readonly rates: MemberRates = new MemberRates(now),
    private readonly extraCopies = 0
  ) {}

  mayRequest (): boolean { return true }

  mayServe (wire: WireLike, index: number): boolean {
    const h = this.handoffs.get(index)
    const t = this.now()
    const address = this.addresses.of(wire)
    const extraTo = this.extra.get(index)
    if (extraTo !== undefined) return extraTo === address
    // The first copy goes to a fast member while one can take it: the slow one gets it from the swarm.
    if (!h && this.rates.isSlow(address) && this.rates.anyFast(address)) return false
    if (h && h.address !== address && this.connected(h.address) && this.onlySlowHold(wire, index, h.address)) {
      this.extra.set(index, address)
      this.resent++
      return true
    }
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

  /** Only slow members hold (or are getting) `index`, `wire` is fast, and the budget allows one more copy. */
  private onlySlowHold (wire: WireLike, index: number, handedTo: string): boolean {
    if (this.extra.size >= this.extraCopies || this.rates.isSlow(this.addresses.of(wire)) || !this.rates.isSlow(handedTo)) return false
    return this.wires().every(w => w === wire || w.destroyed || !w.peerPieces.get(index) || this.rates.isSlow(this.addresses.of(w)))
  }

  private connected (address: string): boolean {
    return this.wires().some(w => !w.destroyed && this.addresses.of(w) === address)
  }
}

export class RecipientPolicy implements SwarmPolicy {
  private readonly refusedUntil = new Map<number, number>()
  /** The scheduler asks about a wire for every candidate piece: its address is looked up once. */
  private readonly addresses = new Addresses()

  constructor (
    private originAddress: string,
    private readonly wires: () => readonly WireLike[],
    private readonly now: () => number = Date.now,
    readonly rates: MemberRates = new MemberRates(now)
  ) {}

  /** The origin came back at another address (a new DHCP lease): its wires there are the origin's. */
  moveOrigin (address: string): void {
    if (address === this.originAddress) return
    this.originAddress = address
    this.refusedUntil.clear()
  }

  private isOrigin (wire: WireLike): boolean { return this.addresses.of(wire) === this.originAddress }

  mayRequest (wire: WireLike, index: number): boolean {
    if (!this.isOrigin(wire)) return true
    const until = this.refusedUntil.get(index)
    if (until !== undefined) {
      if (until > this.now()) return false
      this.refusedUntil.delete(index)
    }
    // A piece only slow members hold is asked of the origin too (it decides whether to send it again).
    return !this.wires().some(w => w !== wire && !w.destroyed && !this.isOrigin(w) && w.peerPieces.get(index) && !this.rates.isSlow(this.addresses.of(w)))
  }

  mayServe (): boolean { return true }

  onRefused (wire: WireLike, index: number): void {
    if (this.isOrigin(wire)) this.refusedUntil.set(index, this.now() + BACKOFF_MS)
  }
}
