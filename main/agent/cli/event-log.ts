// The agent's log: every device event as one line, JSON (one object per line) or for people.
// Names, ids and reasons in these events often come from other machines: a human line is escaped
// as a whole (terminalText), so no field can slip through raw, and JSON is escaped by jsonLine.
import type { AgentEvent, AgentEventLine } from '../../../common/cli-json.js'
import { shortFingerprint } from '../../../common/device-id.js'
import { followEvents } from '../../core/app/device-events.js'
import { formatBytes, formatRate } from '../../../common/units.js'
import { plural } from './format.js'
import { stateLabel } from './member-line.js'
import { acceptHint, offerIdText } from './offer-hint.js'
import { jsonLine, terminalText } from './terminal-text.js'

const REMOVED_WHY: Readonly<Record<Extract<AgentEvent, { event: 'removed' }>['why'], string>> = {
  withdrawn: 'withdrew',
  cancelled: 'cancelled the download of',
  removed: 'removed from the list:',
  'by-sender': 'the sender withdrew'
}

/** The line a person reads for one event. */
function humanLine (e: AgentEvent): string {
  switch (e.event) {
    case 'peer-up': return `machine up: ${e.name} (${shortFingerprint(e.id)}) at ${e.address}`
    case 'peer-down': return `machine gone: ${e.name} (${shortFingerprint(e.id)})`
    case 'distribution-created': return `ready to send ${e.name} (${formatBytes(e.totalLength)}, sha256 ${e.sha256}) hashed in ${e.seconds.toFixed(1)} s`
    case 'offer-received': {
      const o = e.offer
      return `offer ${offerIdText(o.offerId)} from ${o.sender.name} (${shortFingerprint(o.sender.id)}): ${o.name}, ${formatBytes(o.totalLength)} — ${e.decision === 'pending' ? acceptHint(o.offerId) : e.decision}`
    }
    case 'offer-accepted': return `accepted ${e.name} from ${e.sender.name}`
    case 'offer-declined': return `declined ${e.name} from ${e.sender.name}: ${e.reason}`
    case 'progress': return `${e.name}: ${e.role === 'recipient' ? `${((e.verifiedBytes / e.totalLength) * 100).toFixed(1)}% ↓ ${formatRate(e.downloadSpeed)}` : 'seeding'} ↑ ${formatRate(e.uploadSpeed)}, ${plural(e.peers, 'peer')}`
    // The window's words for the state ("receiving", "lost contact"), not the contract's code.
    case 'recipient-update': return `${e.name} → ${e.recipient.name}: ${stateLabel(e.recipient.state)}${e.recipient.reason ? ` (${e.recipient.reason})` : ''}`
    case 'verified': return `verified ${e.name}: sha256 ${e.sha256} → ${e.path}`
    case 'failed': return `FAILED ${e.name}: ${e.reason}`
    case 'no-space': return `PAUSED ${e.name}: ${e.reason}`
    case 'space-freed': return `${e.name}: space freed in ${e.dir}, downloading again`
    case 'removed': return `${REMOVED_WHY[e.why]} ${e.name}`
    case 'stale': return `STOPPED sending ${e.name}: ${e.reason}`
    case 'hash-failure': return `piece ${e.piece} of ${e.infoHash.slice(0, 8)} failed its hash; fetching it again`
    case 'non-member-refused': return `refused a connection from ${e.address} to ${e.infoHash.slice(0, 8)}: not a member of that swarm`
    case 'impostor-refused': return `closed a connection from ${e.address} to ${e.infoHash.slice(0, 8)}: it did not prove the key of the member at that address (${e.claimedId === null ? 'no id claimed' : `claimed ${shortFingerprint(e.claimedId)}`}): ${e.reason}`
    case 'peer-banned': return `banned ${e.address} from ${e.infoHash.slice(0, 8)}: it sent bad data in ${plural(e.badPieces, 'piece')}`
    case 'warning': return `warning: ${e.message}`
  }
}

/**
 * A recipient's update comes with every progress report it sends (about once a second): a person
 * reads a line when its state or reason changes, not "receiving" each second nor "verified" again.
 */
function repeatsLast (e: AgentEvent, last: Map<string, string>): boolean {
  if (e.event !== 'recipient-update') return false
  const key = `${e.infoHash} ${e.recipient.id}`
  const said = `${e.recipient.state} ${e.recipient.reason ?? ''}`
  if (last.get(key) === said) return true
  last.set(key, said)
  return false
}

/** Logs every event `node` (a SwarmNode) emits, through `write`; JSON keeps every one. */
export function attachEventLog (node: Parameters<typeof followEvents>[0], json: boolean, write: (s: string) => void = s => process.stdout.write(s)): void {
  const lastState = new Map<string, string>()
  followEvents(node, event => {
    if (json) {
      const line: AgentEventLine = { time: new Date().toISOString(), ...event }
      write(jsonLine(line))
      return
    }
    if (repeatsLast(event, lastState)) return
    write(`${new Date().toLocaleTimeString()}  ${terminalText(humanLine(event))}\n`)
  })
}
