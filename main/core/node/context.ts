// The parts of a running device that its origin and recipient halves share.
import type { EventEmitter } from 'node:events'
import type { PeerChannel } from '../control/peer-channel.js'
import type { Discovery } from '../discovery/discovery.js'
import type { DistributionRegistry } from '../distributions/registry.js'
import type { Engine } from '../engine/engine.js'
import type { Identity } from '../identity/identity.js'
import type { Settings } from '../settings/settings.js'
import type { TrustStore } from '../settings/trust-store.js'
import type { NodeEvents } from './events.js'

export interface NodeContext {
  readonly dataDir: string
  readonly identity: Identity
  readonly settings: () => Settings
  readonly engine: Engine
  readonly discovery: Discovery
  readonly registry: DistributionRegistry
  readonly trust: TrustStore
  readonly controlPort: () => number
  /** Calls to other devices' control ports, pinned to their device keys. */
  readonly channel: PeerChannel
  readonly events: EventEmitter<NodeEvents>
}
