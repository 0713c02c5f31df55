// A swarm's members as the engine sees them: who may exchange pieces, and at which address.
import type { MemberEndpoint } from '../engine/member-proof.js'
import type { Member } from '../protocol/messages.js'

/**
 * Each member's device id and IP address (the sender's own entry, address null, has none): the
 * engine admits a wire from such an address once its peer proves that id's key.
 */
export function memberAddresses (members: readonly Member[]): MemberEndpoint[] {
  return members.flatMap(m => m.address === null ? [] : [{ id: m.id, address: m.address }])
}
