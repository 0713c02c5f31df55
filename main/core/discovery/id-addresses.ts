// Which addresses answer on the LAN for each device id, and when each was last heard. One id is
// one key, so it normally answers from one address; two live addresses mean two machines hold the
// key (a cloned disk image, a copied data folder) or someone forges the advert. Discovery keeps a
// machine at the address it listed while another is also heard, instead of following whichever
// answered last (which flapped every list between them), and the app proves each address's key
// before it calls the machines twins (main/core/app/twin-check.ts).

export class IdAddresses {
  /** id → address → when it was first and last heard (ms). */
  private readonly heard = new Map<string, Map<string, { first: number; last: number }>>()

  /** `liveMs`: an address not heard for this long no longer counts. */
  constructor (private readonly liveMs: number) {}

  /** `address` answered for `id` at `now` (an advert, an answer to a query). */
  heardAt (id: string, address: string, now: number): void {
    let m = this.heard.get(id)
    if (m === undefined) { m = new Map(); this.heard.set(id, m) }
    const was = m.get(address)
    m.set(address, { first: was !== undefined && now - was.last <= this.liveMs ? was.first : now, last: now })
  }

  /** `address` said goodbye for `id` (an mDNS record with TTL 0): it no longer answers. */
  goodbye (id: string, address: string): void {
    const m = this.heard.get(id)
    m?.delete(address)
    if (m?.size === 0) this.heard.delete(id)
  }

  /** `id` went away entirely. */
  forget (id: string): void { this.heard.delete(id) }

  /** Whether `address` answered for `id` within the live window. */
  isLive (id: string, address: string, now: number): boolean {
    const h = this.heard.get(id)?.get(address)
    return h !== undefined && now - h.last <= this.liveMs
  }

  /** The addresses answering for `id` now, sorted. */
  live (id: string, now: number): string[] {
    const m = this.heard.get(id)
    if (m === undefined) return []
    return [...m].filter(([, h]) => now - h.last <= this.liveMs).map(([a]) => a).sort()
  }

  /** When `address` began answering for `id` in its current stretch (ms), if it is live. */
  since (id: string, address: string, now: number): number | undefined {
    const h = this.heard.get(id)?.get(address)
    return h !== undefined && now - h.last <= this.liveMs ? h.first : undefined
  }

  /** The ids more than one live address answers for. */
  shared (now: number): string[] {
    return [...this.heard.keys()].filter(id => this.live(id, now).length > 1)
  }

  /** Forgets what is no longer live (called each tick). */
  prune (now: number): void {
    for (const [id, m] of this.heard) {
      for (const [a, h] of m) if (now - h.last > this.liveMs) m.delete(a)
      if (m.size === 0) this.heard.delete(id)
    }
  }
}

/** The device id in an mDNS TXT record's raw strings (`id=…`), as multicast-dns decodes them. */
export function idFromRawTxt (data: unknown): string | undefined {
  const parts = Array.isArray(data) ? data : [data]
  for (const p of parts) {
    const s = Buffer.isBuffer(p) ? p.toString('utf8') : typeof p === 'string' ? p : ''
    if (s.startsWith('id=')) return s.slice(3)
  }
  return undefined
}
