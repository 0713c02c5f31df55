// How fast each member of a swarm receives, as its reports say (relayed by the origin to the
// others). One machine on Wi-Fi or behind a slow switch port is the normal case in a lab: a piece
// whose only copy sits on it makes the fast machines wait on its upload. The schedule therefore
// tells slow members apart: slower than a third of the members' median rate, once at least three
// members have a rate.

/** A member slower than this share of the median is slow. */
const SLOW_SHARE = 1 / 3
/** Rates known for at least this many members before anyone is called slow. */
const MIN_MEMBERS = 3
/** A rate older than this is forgotten (the member stopped reporting). */
const RATE_TTL_MS = 10_000

interface Rate { readonly bytesPerSecond: number; readonly at: number }

export class MemberRates {
  private readonly rates = new Map<string, Rate>()
  private slowCache: { at: number; slow: ReadonlySet<string> } | undefined

  constructor (private readonly now: () => number = Date.now) {}

  /** The member at `address` receives `bytesPerSecond` now (0 while it is done or idle is not recorded). */
  set (address: string, bytesPerSecond: number): void {
    if (!(bytesPerSecond > 0)) { this.rates.delete(address); this.slowCache = undefined; return }
    this.rates.set(address, { bytesPerSecond, at: this.now() })
    this.slowCache = undefined
  }

  isSlow (address: string): boolean { return this.slow().has(address) }

  /** Known rates of members other than slow ones exist: someone fast can take a piece's first copy. */
  anyFast (except: string): boolean {
    const slow = this.slow()
    const t = this.now()
    for (const [a, r] of this.rates) if (a !== except && !slow.has(a) && t - r.at < RATE_TTL_MS) return true
    return false
  }

  private slow (): ReadonlySet<string> {
    const t = this.now()
    // Asked for every candidate piece: computed at most every 200 ms.
    if (this.slowCache && t - this.slowCache.at < 200) return this.slowCache.slow
    const fresh = [...this.rates].filter(([, r]) => t - r.at < RATE_TTL_MS)
    const slow = new Set<string>()
    if (fresh.length >= MIN_MEMBERS) {
      const sorted = fresh.map(([, r]) => r.bytesPerSecond).sort((a, b) => a - b)
      const median = sorted[Math.floor(sorted.length / 2)] ?? 0
      for (const [a, r] of fresh) if (r.bytesPerSecond < median * SLOW_SHARE) slow.add(a)
    }
    this.slowCache = { at: t, slow }
    return slow
  }
}
