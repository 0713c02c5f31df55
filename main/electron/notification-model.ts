// Which state changes deserve an OS notification, each exactly once: a new incoming offer, a
// distribution that finished (verified on this machine; for the origin, verified on every
// recipient), a sender's withdrawal (AppState.notices), and an engine process the app gave up restarting (the window may be hidden). Pure, so it is tested under Node; notifications.ts shows what this decides.
import type { AppState, Distribution, IncomingOffer } from '../../common/api.js'
import type { NavigateTarget } from '../../common/ipc.js'
import { formatBytes } from '../../common/units.js'

export interface NotificationIntent {
  /** Unique per event: the same key is never notified twice. */
  readonly key: string
  readonly title: string
  readonly body: string
  /** Where clicking the notification takes the window; absent: the window as it is. */
  readonly target?: NavigateTarget
}

/** The key of a finished distribution, or null while it is not finished. */
export function finishedKey (d: Distribution): string | null {
  if (d.role === 'recipient') {
    const self = d.members.find(m => m.self)
    return d.state === 'verified' || self?.verified === true ? `done:${d.infoHash}` : null
  }
  const recipients = d.members.filter(m => !m.origin)
  if (recipients.length === 0 || !recipients.every(m => m.verified)) return null
  // Keyed by how many: offering the same file to more machines later earns a new notice.
  return `done:${d.infoHash}:${recipients.length}`
}

export function offerIntent (offer: IncomingOffer): NotificationIntent {
  const { sender } = offer
  return {
    key: `offer:${offer.offerId}`,
    title: `${sender.name} wants to send you a file`,
    body: `${offer.name} (${formatBytes(offer.totalLength)}) from ${sender.name} · ${sender.fingerprint}. Open Swarmdrop to accept or decline.`,
    target: { view: 'incoming' }
  }
}

export function finishedIntent (d: Distribution, key: string): NotificationIntent {
  const target = { view: 'distribution', infoHash: d.infoHash } as const
  if (d.role === 'recipient') {
    return { key, title: `${d.name} arrived`, body: `${formatBytes(d.totalLength)}, SHA-256 verified. Saved in ${d.path}`, target }
  }
  const n = d.members.filter(m => !m.origin).length
  const machines = n === 1 ? 'the 1 machine' : `all ${n} machines`
  return { key, title: `${d.name} delivered`, body: `${d.name} is on ${machines} you sent it to, verified.`, target }
}

export class NotificationTracker {
  private readonly shown = new Set<string>()
  private primed = false

  /**
   * The notifications this state calls for. The first state only primes: what finished before the
   * app started is old news, while offers that already wait still need an answer.
   */
  next (state: AppState): NotificationIntent[] {
    const intents: NotificationIntent[] = []
    for (const offer of state.offers) {
      const intent = offerIntent(offer)
      if (this.mark(intent.key)) intents.push(intent)
    }
    for (const d of state.distributions) {
      const key = finishedKey(d)
      if (key === null || !this.mark(key)) continue
      if (this.primed) intents.push(finishedIntent(d, key))
    }
    // A sender withdrew a file this machine was receiving: the window may be hidden in the tray.
    for (const n of state.notices ?? []) {
      if (this.mark(`notice:${n.id}`) && this.primed) intents.push({ key: `notice:${n.id}`, title: 'A transfer was withdrawn', body: n.text })
    }
    // Restarts show in the window and the tray; giving up, for good, deserves a notice.
    if (state.engine?.status === 'failed' && this.mark('engine-failed')) {
      intents.push({ key: 'engine-failed', title: 'Swarmdrop’s engine stopped', body: state.engine.message })
    }
    this.primed = true
    return intents
  }

  private mark (key: string): boolean {
    if (this.shown.has(key)) return false
    this.shown.add(key)
    return true
  }
}
