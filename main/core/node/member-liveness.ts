// Who is still there, on the origin. A recipient that takes part reports about once a second; when
// its reports stop for a few seconds its control port is asked once (a TLS handshake pinned to its
// key), and if that fails too it is lost: a state of its own, not "downloading 33 %" frozen for
// minutes. An mDNS goodbye loses it at once, and when its last BitTorrent connection closes it is
// asked at once (a killed process's connections close with it). Its next report brings back its
// real state.
// A member whose copy is verified is watched too (it reports rarely then, so the question comes
// after a longer silence): when it goes away it stays verified and is marked offline.
import type { RecipientState } from '../distributions/records.js'

/** States in which a recipient is expected to be there (answering, or reporting every second). */
export const WATCHED_STATES: readonly RecipientState[] = ['pending', 'accepted', 'downloading', 'verifying', 'paused', 'no-space']

/** Silence after which the control port is asked. Reports come every second; a busy host may skip a few. */
export const SILENCE_MS = 4_000
/** The same for a verified member, which reports every 10 to 30 s: the origin asks (or looks for its connection) this often. */
export const VERIFIED_SILENCE_MS = 6_000
/** How long the control port has to answer that question. */
export const PROBE_TIMEOUT_MS = 3_000

export interface WatchedMember {
  readonly infoHash: string
  readonly id: string
  readonly state: RecipientState
}

export interface LivenessHooks {
  /** Every member the origin expects to hear from now. */
  readonly members: () => readonly WatchedMember[]
  /** Resolves true when the member's control port proves its key within the timeout. */
  readonly probe: (m: WatchedMember) => Promise<boolean>
  /** The member is gone; `since` is when it was last heard. */
  readonly lost: (m: WatchedMember, since: number) => void
}

export class MemberLiveness {
  private readonly heard = new Map<string, number>()
  private readonly probing = new Set<string>()
  private readonly timer: NodeJS.Timeout

  constructor (private readonly hooks: LivenessHooks, intervalMs = 1_000) {
    this.timer = setInterval(() => this.check(), intervalMs)
    this.timer.unref()
  }

  /** A report (or any proof of life) from the member. */
  heardFrom (infoHash: string, id: string): void {
    this.heard.set(key(infoHash, id), Date.now())
  }

  /** When the member was last heard, if ever in this run. */
  lastHeard (infoHash: string, id: string): number | undefined {
    return this.heard.get(key(infoHash, id))
  }

  stop (): void { clearInterval(this.timer) }

  /**
   * A sign the member may be gone (its last connection closed): ask it now rather than after the
   * silence. A member not watched, or being asked already, is left alone.
   */
  askNow (infoHash: string, id: string): void {
    const m = this.hooks.members().find(x => x.infoHash === infoHash && x.id === id)
    if (m === undefined) return
    const k = key(infoHash, id)
    if (this.probing.has(k)) return
    this.ask(m, k, this.heard.get(k) ?? Date.now())
  }

  private check (): void {
    const now = Date.now()
    const watched = this.hooks.members()
    const live = new Set(watched.map(m => key(m.infoHash, m.id)))
    // Forget members no longer watched, so the map stays as small as the swarm.
    for (const k of this.heard.keys()) if (!live.has(k)) this.heard.delete(k)
    for (const m of watched) {
      const k = key(m.infoHash, m.id)
      const last = this.heard.get(k)
      // First seen in a watched state (an offer just went out, or this device just started): the clock starts now.
      if (last === undefined) { this.heard.set(k, now); continue }
      if (now - last < (m.state === 'verified' ? VERIFIED_SILENCE_MS : SILENCE_MS) || this.probing.has(k)) continue
      this.ask(m, k, last)
    }
  }

  /** Asks the member's control port; `last` is when it was last heard. */
  private ask (m: WatchedMember, k: string, last: number): void {
    this.probing.add(k)
    this.hooks.probe(m).then(alive => {
      this.probing.delete(k)
      // A report that came while the question was out wins over the question's answer.
      const latest = this.heard.get(k) ?? last
      if (alive) this.heard.set(k, Math.max(latest, Date.now()))
      else if (latest === last) {
        // Asked again only after another silence, should the member still be expected then.
        this.heard.set(k, Date.now())
        this.hooks.lost(m, last)
      }
    }, () => { this.probing.delete(k) })
  }
}

function key (infoHash: string, id: string): string { return `${infoHash}:${id}` }
