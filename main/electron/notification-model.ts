// Which state changes deserve an OS notification, each exactly once: a new incoming offer (saying
// when accepting it into the downloads folder is refused, or its sender is away), a distribution
// that finished (verified on this machine; for the origin, verified on every recipient), a download
// here that failed or ran out of space, a machine this device sends to that failed or ran out of
// space (the tray turns red for it; the window may be hidden), a watched folder that cannot send, a sender's withdrawal
// (AppState.notices), and an engine process the app gave up restarting (the window may be hidden).
// Pure, so it is tested under Node; notifications.ts shows what this decides.
import type { AppState, Distribution, IncomingOffer, Machine, MemberRow, WatchedFolder } from '../../common/api.js'
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

/**
 * What answering the offer involves now: accepting into the default folder is refused while it
 * cannot be written or lacks room (the card disables Accept there), and a sender known to be away
 * sends only once it is back.
 */
function offerAdvice (offer: IncomingOffer, sender: Machine | undefined): string {
  const { destination } = offer
  if (destination.problem !== undefined) return `It cannot be saved in ${destination.dir}: ${destination.problem}. Open Swarmdrop to choose another folder or decline.`
  if (!destination.fits) return `${destination.dir} has too little free space for it (${formatBytes(destination.freeBytes)} free). Open Swarmdrop to choose another folder or decline.`
  if (sender !== undefined && !sender.online) return `${offer.sender.name} is not on the network now: accepting starts the download when it is back. Open Swarmdrop to accept or decline.`
  return 'Open Swarmdrop to accept or decline.'
}

/** `machines`: this device's list, to tell a sender that is away (one not listed says nothing, as on the card). */
export function offerIntent (offer: IncomingOffer, machines: readonly Machine[] = []): NotificationIntent {
  const { sender } = offer
  const known = machines.find(m => m.id === sender.id)
  return {
    key: `offer:${offer.offerId}`,
    title: `${sender.name} wants to send you a file`,
    body: `${offer.name} (${formatBytes(offer.totalLength)}) from ${sender.name} · ${sender.fingerprint}. ${offerAdvice(offer, known)}`,
    target: { view: 'incoming' }
  }
}

/** A download here that stopped for good, or until space is freed: the window may be hidden. */
export function troubleIntent (d: Distribution): NotificationIntent | null {
  if (d.role !== 'recipient') return null
  const target = { view: 'distribution', infoHash: d.infoHash } as const
  const why = d.reason === undefined ? '' : `${upperFirst(d.reason)}.`
  if (d.state === 'failed') {
    // Keyed by reason: the same file sent again and failing for another reason is news.
    return { key: `failed:${d.infoHash}:${d.reason ?? ''}`, title: `${d.name} failed`, body: why === '' ? 'Open Swarmdrop for details.' : why, target }
  }
  if (d.state === 'no-space') {
    // Once per distribution: it may flip between waiting and resuming while space is marginal.
    return { key: `no-space:${d.infoHash}`, title: `${d.name} is on hold: out of space`, body: why === '' ? 'It resumes by itself once space is freed.' : why, target }
  }
  return null
}

/**
 * A machine this device sends to that stopped for good, or is on hold for space: the person who sent
 * it may be the only one who can act (free space there, send it again). Once per machine and reason.
 */
export function recipientTroubleIntent (d: Distribution, m: MemberRow): NotificationIntent | null {
  if (d.role !== 'origin' || m.self || m.origin) return null
  const target = { view: 'distribution', infoHash: d.infoHash } as const
  const why = m.reason === undefined ? '' : `${upperFirst(m.reason)}. `
  if (m.state === 'failed') {
    return { key: `member-failed:${d.infoHash}:${m.id}:${m.reason ?? ''}`, title: `${m.name} could not take ${d.name}`, body: `${why}The other machines go on.`, target }
  }
  if (m.state === 'no-space') {
    return { key: `member-no-space:${d.infoHash}:${m.id}`, title: `${m.name} is out of space for ${d.name}`, body: `${why}It goes on by itself once space is freed there.`, target }
  }
  return null
}

/** A watched folder that cannot send; once per folder and reason, not every scan. */
export function channelIntent (c: WatchedFolder): NotificationIntent | null {
  if (c.state !== 'error') return null
  return { key: `channel:${c.id}:${c.reason ?? ''}`, title: `Watched folder ${c.name} cannot send`, body: c.reason === undefined ? `Nothing new in ${c.dir} is sent.` : `${upperFirst(c.reason)}.` }
}

function upperFirst (text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
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
   * The notifications this state calls for. The first state only primes: what finished or failed
   * before the app started is old news, while offers that wait, disks that are full and folders
   * that cannot send still need someone.
   */
  next (state: AppState): NotificationIntent[] {
    const intents: NotificationIntent[] = []
    for (const offer of state.offers) {
      const intent = offerIntent(offer, state.machines)
      if (this.mark(intent.key)) intents.push(intent)
    }
    for (const d of state.distributions) {
      const key = finishedKey(d)
      if (key === null || !this.mark(key)) continue
      if (this.primed) intents.push(finishedIntent(d, key))
    }
    for (const d of state.distributions) {
      const intent = troubleIntent(d)
      if (intent === null || !this.mark(intent.key)) continue
      if (this.primed || d.state === 'no-space') intents.push(intent)
    }
    for (const d of state.distributions) {
      for (const m of d.members) {
        const intent = recipientTroubleIntent(d, m)
        if (intent === null || !this.mark(intent.key)) continue
        if (this.primed || m.state === 'no-space') intents.push(intent)
      }
    }
    for (const c of state.channels) {
      const intent = channelIntent(c)
      if (intent !== null && this.mark(intent.key)) intents.push(intent)
    }
    // A sender withdrew a file this machine was receiving: the window may be hidden in the tray.
    // Ids start again with a restarted engine process, so the time is part of the key.
    for (const n of state.notices ?? []) {
      const key = `notice:${n.id}:${n.at}`
      if (this.mark(key) && this.primed) intents.push({ key, title: 'A transfer was withdrawn', body: n.text })
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
