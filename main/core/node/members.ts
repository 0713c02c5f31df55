// A swarm's members as the engine sees them: the addresses allowed to exchange pieces.
import type { Member } from '../protocol/messages.js'

/** The IP addresses of a swarm's members (the sender's own entry, address null, has none). */
export function memberAddresses (members: readonly Member[]): string[] {
  return members.flatMap(m => m.address === null ? [] : [m.address])
}
