// What "stop sending / cancel / remove" will do to one distribution, in words and figures taken from
// the Distribution the window has: the button's label, the confirmation's title and sentences, and
// the sentence the message bar says once the engine answered. Pure, so tests can pin the wording.
import type { Distribution, MemberRow, RemoveReply } from '../../../preload/api.js'
import { contentNoun } from './content-noun.js'
import { formatBytes, plural, shortenMiddle } from './format.js'

export type RemoveKind =
  /** Origin, some recipient has not finished: it is withdrawn, they are told to stop. */
  | 'stop-sending'
  /** Origin, every recipient finished (or none): it leaves the list. */
  | 'remove-origin'
  /** Recipient, the copy is not verified: the download is cancelled, its data deleted. */
  | 'cancel-download'
  /** Recipient, the copy is verified: it leaves the list, its files kept unless asked. */
  | 'remove-copy'

export interface RemovePlan {
  readonly kind: RemoveKind
  /** The header button ("Stop sending…"). */
  readonly trigger: string
  /** The confirmation's title (a question). */
  readonly title: string
  /** The danger button: the action itself. */
  readonly confirm: string
  /** What will happen, one sentence each, with the figures. */
  readonly consequences: readonly string[]
  /** Only for a verified recipient copy: the files can be deleted too. */
  readonly deleteOption: DeleteOption | null
}

/** A verified copy's files may go too: the checkbox, and the sentence and button for each answer. */
export interface DeleteOption {
  readonly label: string
  /** Its size and where it is. */
  readonly detail: string
  /** The consequence while unticked, and ticked. */
  readonly kept: string
  readonly deleted: string
  /** The danger button while ticked. */
  readonly confirm: string
}

const MAX_NAMED = 3

/** "lab-01", "lab-01 and lab-02", "lab-01, lab-02, lab-03 and 2 more machines". */
export function nameList (members: readonly Pick<MemberRow, 'name' | 'fingerprint'>[]): string {
  const names = members.map(m => m.name === '' ? m.fingerprint : m.name)
  if (names.length <= MAX_NAMED) {
    return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`
  }
  const rest = names.length - MAX_NAMED
  return `${names.slice(0, MAX_NAMED).join(', ')} and ${plural(rest, 'more machine', 'more machines')}`
}

/** Recipients of an origin's distribution (every member but this device). */
function recipientsOf (dist: Distribution): readonly MemberRow[] {
  return dist.members.filter(m => !m.self && !m.origin)
}

/**
 * A recipient that has not finished and holds or is being offered something: offered, receiving,
 * or stopped part way. A decline, a machine still waiting to be seen and one never reached hold
 * nothing (the engine does not tell them either; origin.ts, NOTHING_THERE).
 */
function unfinished (m: MemberRow): boolean {
  return !m.verified && m.state !== 'declined' && m.state !== 'waiting' && m.state !== 'unreachable'
}

/** This device's own copy is verified (a recipient); the origin holds the source. */
export function holdsVerifiedCopy (dist: Distribution): boolean {
  const self = dist.members.find(m => m.self)
  return self !== undefined ? self.verified : dist.state === 'verified'
}

/** The kind of removal the distribution's role and state call for. */
export function removeKind (dist: Distribution): RemoveKind {
  if (dist.role === 'origin') return recipientsOf(dist).some(unfinished) ? 'stop-sending' : 'remove-origin'
  return holdsVerifiedCopy(dist) ? 'remove-copy' : 'cancel-download'
}

function keptBy (verified: readonly MemberRow[]): string | null {
  if (verified.length === 0) return null
  return verified.length === 1
    ? `${nameList(verified)} has a verified copy and keeps it.`
    : `${nameList(verified)} have verified copies and keep them.`
}

export function removePlan (dist: Distribution): RemovePlan {
  const kind = removeKind(dist)
  const name = shortenMiddle(dist.name)
  const thing = contentNoun(dist)
  const where = dist.path !== '' ? ` (${dist.path})` : ''
  switch (kind) {
    case 'stop-sending':
    case 'remove-origin': {
      const recipients = recipientsOf(dist)
      const open = recipients.filter(unfinished)
      const verified = recipients.filter(m => m.verified)
      const received = open.reduce((sum, m) => sum + m.verifiedBytes, 0)
      const consequences: string[] = []
      if (open.length > 0) {
        const one = open.length === 1
        const what = received > 0
          ? ` and delete what ${one ? 'it' : 'they'} received (${formatBytes(received)}${one ? '' : ' between them'})`
          : '; nothing has been received yet'
        consequences.push(`${nameList(open)} ${one ? 'has' : 'have'} not finished: ${one ? 'it' : 'they'} will be told to stop${what}.`)
        // A machine this device lost contact with hears it only when it is back (its next report).
        const away = open.filter(m => m.state === 'lost')
        if (away.length > 0) consequences.push(`${nameList(away)} ${away.length === 1 ? 'is' : 'are'} away now: told when ${away.length === 1 ? 'it comes' : 'they come'} back.`)
      } else {
        consequences.push('It is no longer shared from this device and leaves this list.')
      }
      const kept = keptBy(verified)
      if (kept !== null) consequences.push(kept)
      consequences.push(`The ${thing} on this device is not touched${where}.`)
      return kind === 'stop-sending'
        ? { kind, trigger: 'Stop sending…', title: `Stop sending ${name}?`, confirm: 'Stop sending', consequences, deleteOption: null }
        : { kind, trigger: 'Remove…', title: `Remove ${name} from this list?`, confirm: 'Remove', consequences, deleteOption: null }
    }
    case 'cancel-download': {
      const self = dist.members.find(m => m.self)
      const sender = dist.members.find(m => m.origin)
      const received = self?.verifiedBytes ?? 0
      const senderName = sender === undefined ? 'The sender' : `${sender.name === '' ? sender.fingerprint : sender.name}, the sender,`
      return {
        kind,
        trigger: 'Cancel download…',
        title: `Cancel the download of ${name}?`,
        confirm: 'Cancel download',
        consequences: [
          received > 0
            ? `The ${formatBytes(received)} received so far (of ${formatBytes(dist.totalLength)}) will be deleted from this device.`
            : `Nothing of its ${formatBytes(dist.totalLength)} has been received yet, so nothing is deleted.`,
          `${senderName} is told you cancelled.`
        ],
        deleteOption: null
      }
    }
    case 'remove-copy':
      return {
        kind,
        trigger: 'Remove…',
        title: `Remove ${name} from this list?`,
        confirm: 'Remove',
        consequences: ['Your verified copy is no longer shared with the other machines, and it leaves this list.'],
        deleteOption: {
          label: `Also delete the ${thing} from this device`,
          detail: `${formatBytes(dist.totalLength)}${dist.path === '' ? '' : ` at ${dist.path}`}`,
          kept: `The ${thing} stays on this device.`,
          deleted: `The ${thing} is deleted from this device too (${formatBytes(dist.totalLength)}).`,
          confirm: `Remove and delete ${thing}`
        }
      }
  }
}

/** The message bar's sentence once the engine answered. `isFolder` picks "file" or "files". */
export function removedNotice (reply: RemoveReply, name: string, isFolder: boolean): string {
  const n = shortenMiddle(name)
  const its = isFolder ? 'its files' : 'its file'
  switch (reply.outcome) {
    case 'withdrawn': {
      if (reply.told === 0 && reply.unreached === 0) return `Removed ${n} from this list; ${its} ${isFolder ? 'stay' : 'stays'} on disk.`
      // Those not reached now (away, or not answering) hear it from the answer to their next report.
      const later = reply.unreached
      const rest = later > 0 ? `${reply.told > 0 ? '; ' : ': '}${plural(later, 'machine')} not reached now ${later === 1 ? 'stops' : 'stop'} when ${later === 1 ? 'it comes' : 'they come'} back` : ''
      return `Stopped sending ${n}${reply.told > 0 ? `: ${plural(reply.told, 'machine')} told to stop` : ''}${rest}.`
    }
    case 'cancelled': {
      const deleted = reply.deletedBytes > 0 ? `: ${formatBytes(reply.deletedBytes)} received ${reply.deletedBytes === 1 ? 'was' : 'were'} deleted` : '; nothing had been received'
      const told = reply.told > 0 ? '' : ' (the sender could not be told now)'
      return `Cancelled ${n}${deleted}${told}.`
    }
    case 'removed':
      return reply.deletedBytes > 0
        ? `Removed ${n} from this list and deleted ${its} (${formatBytes(reply.deletedBytes)}).`
        : `Removed ${n} from this list; ${its} ${isFolder ? 'stay' : 'stays'} on disk.`
  }
}
