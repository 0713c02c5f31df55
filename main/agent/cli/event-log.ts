// The agent's log: every device event as one line, JSON (one object per line) or for people.
// Names, ids and reasons in these events often come from other machines: a human line is escaped
// as a whole (terminalText), so no field can slip through raw, and JSON is escaped by jsonLine.
import type { EventEmitter } from 'node:events'
import { shortFingerprint } from '../../../common/device-id.js'
import type { SwarmNode } from '../../core/node/swarm-node.js'
import { formatBytes, formatRate } from '../../../common/units.js'
import { plural } from './format.js'
import { acceptHint, offerIdText } from './offer-hint.js'
import { jsonLine, terminalText } from './terminal-text.js'

type Line = Record<string, unknown> & { event: string }

/** The events a device emits, as the node's start-up declares them. */
type NodeEvents = SwarmNode extends EventEmitter<infer E> ? E : never

/** Logs every event `node` (a SwarmNode) emits, through `write`. */
export function attachEventLog (node: EventEmitter<NodeEvents>, json: boolean, write: (s: string) => void = s => process.stdout.write(s)): void {
  const out = (line: Line, human: string): void => {
    write(json ? jsonLine({ time: new Date().toISOString(), ...line }) : `${new Date().toLocaleTimeString()}  ${terminalText(human)}\n`)
  }
  node.on('peer-up', p => out({ event: 'peer-up', id: p.id, name: p.name, address: p.address, platform: p.platform }, `machine up: ${p.name} (${shortFingerprint(p.id)}) at ${p.address}`))
  node.on('peer-down', p => out({ event: 'peer-down', id: p.id, name: p.name }, `machine gone: ${p.name} (${shortFingerprint(p.id)})`))
  node.on('distribution-created', e => out({ event: 'distribution-created', ...e }, `ready to send ${e.name} (${formatBytes(e.totalLength)}, sha256 ${e.sha256}) hashed in ${e.seconds.toFixed(1)} s`))
  node.on('offer-received', (o, decision) => out({ event: 'offer-received', decision, offer: o },
    `offer ${offerIdText(o.offerId)} from ${o.sender.name} (${shortFingerprint(o.sender.id)}): ${o.name}, ${formatBytes(o.totalLength)} — ${decision === 'pending' ? acceptHint(o.offerId) : decision}`))
  node.on('offer-accepted', o => out({ event: 'offer-accepted', offerId: o.offerId, infoHash: o.infoHash, name: o.name }, `accepted ${o.name} from ${o.sender.name}`))
  node.on('offer-declined', (o, reason) => out({ event: 'offer-declined', offerId: o.offerId, infoHash: o.infoHash, name: o.name, reason }, `declined ${o.name} from ${o.sender.name}: ${reason}`))
  node.on('progress', p => out({ event: 'progress', ...p },
    `${p.name}: ${p.role === 'recipient' ? `${((p.verifiedBytes / p.totalLength) * 100).toFixed(1)}% ↓ ${formatRate(p.downloadSpeed)}` : 'seeding'} ↑ ${formatRate(p.uploadSpeed)}, ${plural(p.peers, 'peer')}`))
  node.on('recipient-update', e => out({ event: 'recipient-update', infoHash: e.infoHash, name: e.name, recipient: { id: e.recipient.id, name: e.recipient.name, state: e.recipient.state, reason: e.recipient.reason } },
    `${e.name} → ${e.recipient.name}: ${e.recipient.state}${e.recipient.reason ? ` (${e.recipient.reason})` : ''}`))
  node.on('verified', e => out({ event: 'verified', ...e }, `verified ${e.name}: sha256 ${e.sha256} → ${e.path}`))
  node.on('failed', e => out({ event: 'failed', ...e }, `FAILED ${e.name}: ${e.reason}`))
  node.on('no-space', e => out({ event: 'no-space', ...e }, `PAUSED ${e.name}: ${e.reason}`))
  node.on('space-freed', e => out({ event: 'space-freed', ...e }, `${e.name}: space freed in ${e.dir}, downloading again`))
  node.on('stale', e => out({ event: 'stale', ...e }, `STOPPED sending ${e.name}: ${e.reason}`))
  node.on('hash-failure', e => out({ event: 'hash-failure', ...e }, `piece ${e.piece} of ${e.infoHash.slice(0, 8)} failed its hash; fetching it again`))
  node.on('non-member-refused', e => out({ event: 'non-member-refused', ...e }, `refused a connection from ${e.address} to ${e.infoHash.slice(0, 8)}: not a member of that swarm`))
  node.on('peer-banned', e => out({ event: 'peer-banned', ...e }, `banned ${e.address} from ${e.infoHash.slice(0, 8)}: it sent bad data in ${plural(e.badPieces, 'piece')}`))
  node.on('warning', m => out({ event: 'warning', message: m }, `warning: ${m}`))
}
