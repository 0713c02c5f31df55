// What a device does, as the contract's records (common/cli-json.ts, AgentEvent): the agent's log
// follows a node through here, so its lines carry the contract's fields and no more, whatever
// else the engine's events hold.
import type { EventEmitter } from 'node:events'
import type { AgentEvent, LoggedOffer, LoggedSender } from '../../../common/cli-json.js'
import type { NodeEvents, OfferSummary } from '../node/events.js'

function senderOf (o: OfferSummary): LoggedSender {
  return { id: o.sender.id, name: o.sender.name, address: o.sender.address }
}

function loggedOffer (o: OfferSummary): LoggedOffer {
  return {
    offerId: o.offerId,
    infoHash: o.infoHash,
    name: o.name,
    totalLength: o.totalLength,
    isFolder: o.isFolder ?? o.fileCount > 1,
    fileCount: o.fileCount,
    sha256: o.sha256,
    sender: senderOf(o),
    receivedAt: o.receivedAt
  }
}

/** Calls `report` with every event `node` (a SwarmNode) emits from now on. */
export function followEvents (node: EventEmitter<NodeEvents>, report: (e: AgentEvent) => void): void {
  node.on('peer-up', p => report({ event: 'peer-up', id: p.id, name: p.name, address: p.address, platform: p.platform }))
  node.on('peer-down', p => report({ event: 'peer-down', id: p.id, name: p.name }))
  node.on('distribution-created', e => report({ event: 'distribution-created', infoHash: e.infoHash, name: e.name, totalLength: e.totalLength, sha256: e.sha256, seconds: e.seconds }))
  node.on('offer-received', (o, decision) => report({ event: 'offer-received', decision, offer: loggedOffer(o) }))
  node.on('offer-accepted', o => report({ event: 'offer-accepted', offerId: o.offerId, infoHash: o.infoHash, name: o.name, sender: senderOf(o) }))
  node.on('offer-declined', (o, reason) => report({ event: 'offer-declined', offerId: o.offerId, infoHash: o.infoHash, name: o.name, sender: senderOf(o), reason }))
  node.on('progress', p => report({
    event: 'progress',
    infoHash: p.infoHash,
    name: p.name,
    role: p.role,
    state: p.state,
    verifiedPieces: p.verifiedPieces,
    pieceCount: p.pieceCount,
    verifiedBytes: p.verifiedBytes,
    totalLength: p.totalLength,
    downloadSpeed: p.downloadSpeed,
    uploadSpeed: p.uploadSpeed,
    uploadedBytes: p.uploadedBytes,
    peers: p.peers
  }))
  node.on('recipient-update', e => report({
    event: 'recipient-update',
    infoHash: e.infoHash,
    name: e.name,
    recipient: { id: e.recipient.id, name: e.recipient.name, state: e.recipient.state, ...(e.recipient.reason !== undefined ? { reason: e.recipient.reason } : {}) }
  }))
  node.on('verified', e => report({ event: 'verified', infoHash: e.infoHash, name: e.name, sha256: e.sha256, path: e.path }))
  node.on('failed', e => report({ event: 'failed', infoHash: e.infoHash, name: e.name, reason: e.reason }))
  node.on('no-space', e => report({ event: 'no-space', infoHash: e.infoHash, name: e.name, dir: e.dir, reason: e.reason }))
  node.on('space-freed', e => report({ event: 'space-freed', infoHash: e.infoHash, name: e.name, dir: e.dir, freeBytes: e.freeBytes }))
  node.on('removed', e => report({ event: 'removed', infoHash: e.infoHash, name: e.name, why: e.why }))
  node.on('stale', e => report({ event: 'stale', infoHash: e.infoHash, name: e.name, reason: e.reason }))
  node.on('hash-failure', e => report({ event: 'hash-failure', infoHash: e.infoHash, piece: e.piece }))
  node.on('non-member-refused', e => report({ event: 'non-member-refused', infoHash: e.infoHash, address: e.address }))
  node.on('impostor-refused', e => report({ event: 'impostor-refused', infoHash: e.infoHash, address: e.address, claimedId: e.claimedId, reason: e.reason }))
  node.on('peer-banned', e => report({ event: 'peer-banned', infoHash: e.infoHash, address: e.address, badPieces: e.badPieces }))
  node.on('warning', message => report({ event: 'warning', message }))
  node.on('notice', message => report({ event: 'warning', message }))
}
