// Typed reading of the lines `swarmdrop agent --json` prints (one JSON object per line, see
// main/agent/cli/event-log.ts): only the events the multi-machine suite acts on are modelled.

interface Timed {
  /** The line's own "time" (ms since the epoch), NaN when it has none. */
  readonly time: number
}

export interface ListeningEvent extends Timed {
  readonly event: 'listening'
  readonly id: string
  readonly name: string
  readonly controlPort: number
  readonly btPort: number
}

export interface ProgressEvent extends Timed {
  readonly event: 'progress'
  readonly infoHash: string
  readonly name: string
  readonly role: string
  readonly state: string
  readonly verifiedPieces: number
  readonly pieceCount: number
  readonly verifiedBytes: number
  readonly totalLength: number
  /** Connections the device has in that swarm now. */
  readonly peers: number
}

export interface OfferAcceptedEvent extends Timed {
  readonly event: 'offer-accepted'
  readonly infoHash: string
  readonly name: string
}

/** On a recipient: an offer arrived (of the distribution `name`). */
export interface OfferReceivedEvent extends Timed {
  readonly event: 'offer-received'
  readonly infoHash: string
  readonly name: string
}

export interface VerifiedEvent extends Timed {
  readonly event: 'verified'
  readonly infoHash: string
  readonly name: string
  readonly sha256: string
  readonly path: string
}

/** On an origin: what it now knows of one recipient. */
export interface RecipientUpdateEvent extends Timed {
  readonly event: 'recipient-update'
  readonly infoHash: string
  readonly name: string
  readonly recipient: { readonly id: string; readonly name: string; readonly state: string }
}

export interface OtherEvent extends Timed {
  readonly event: string
}

export type AgentEvent = ListeningEvent | ProgressEvent | OfferReceivedEvent | OfferAcceptedEvent | VerifiedEvent | RecipientUpdateEvent | OtherEvent

type Json = Record<string, unknown>

function isObject (v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function strings (o: Json, keys: readonly string[]): boolean {
  return keys.every((k) => typeof o[k] === 'string')
}

function numbers (o: Json, keys: readonly string[]): boolean {
  return keys.every((k) => typeof o[k] === 'number' && Number.isFinite(o[k]))
}

/** The event of one stdout line, or undefined for a line that is not a JSON event. */
export function parseAgentEvent (line: string): AgentEvent | undefined {
  const text = line.trim()
  if (!text.startsWith('{')) return undefined
  let parsed: unknown
  try { parsed = JSON.parse(text) } catch { return undefined }
  if (!isObject(parsed)) return undefined
  const o = parsed
  const event = o.event
  if (typeof event !== 'string') return undefined
  const time = typeof o.time === 'string' ? Date.parse(o.time) : NaN
  switch (event) {
    case 'listening':
      if (strings(o, ['id', 'name']) && numbers(o, ['controlPort', 'btPort'])) {
        return { event: 'listening', time, id: String(o.id), name: String(o.name), controlPort: Number(o.controlPort), btPort: Number(o.btPort) }
      }
      break
    case 'progress':
      if (strings(o, ['infoHash', 'name', 'role', 'state']) && numbers(o, ['verifiedPieces', 'pieceCount', 'verifiedBytes', 'totalLength', 'peers'])) {
        return {
          event: 'progress',
          time,
          infoHash: String(o.infoHash),
          name: String(o.name),
          role: String(o.role),
          state: String(o.state),
          verifiedPieces: Number(o.verifiedPieces),
          pieceCount: Number(o.pieceCount),
          verifiedBytes: Number(o.verifiedBytes),
          totalLength: Number(o.totalLength),
          peers: Number(o.peers)
        }
      }
      break
    case 'offer-received': {
      const offer = o.offer
      if (isObject(offer) && strings(offer, ['infoHash', 'name'])) return { event: 'offer-received', time, infoHash: String(offer.infoHash), name: String(offer.name) }
      break
    }
    case 'offer-accepted':
      if (strings(o, ['infoHash', 'name'])) return { event: 'offer-accepted', time, infoHash: String(o.infoHash), name: String(o.name) }
      break
    case 'recipient-update': {
      const r = o.recipient
      if (strings(o, ['infoHash', 'name']) && isObject(r) && strings(r, ['id', 'name', 'state'])) {
        return { event: 'recipient-update', time, infoHash: String(o.infoHash), name: String(o.name), recipient: { id: String(r.id), name: String(r.name), state: String(r.state) } }
      }
      break
    }
    case 'verified':
      if (strings(o, ['infoHash', 'name', 'sha256', 'path'])) {
        return { event: 'verified', time, infoHash: String(o.infoHash), name: String(o.name), sha256: String(o.sha256), path: String(o.path) }
      }
      break
  }
  return { event, time }
}

export function isListening (e: AgentEvent): e is ListeningEvent {
  return e.event === 'listening' && 'btPort' in e
}

export function isOfferReceived (e: AgentEvent): e is OfferReceivedEvent {
  return e.event === 'offer-received' && 'name' in e
}

export function isProgress (e: AgentEvent): e is ProgressEvent {
  return e.event === 'progress' && 'verifiedBytes' in e
}

export function isOfferAccepted (e: AgentEvent): e is OfferAcceptedEvent {
  return e.event === 'offer-accepted' && 'infoHash' in e
}

export function isVerified (e: AgentEvent): e is VerifiedEvent {
  return e.event === 'verified' && 'path' in e
}

export function isRecipientUpdate (e: AgentEvent): e is RecipientUpdateEvent {
  return e.event === 'recipient-update' && 'recipient' in e
}
