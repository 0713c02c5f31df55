// A device that comes back at another place: restarted with `--bt-port 0`, a port changed in its
// settings, a new DHCP lease. Every record keeps where each member was (to dial it, to report to
// the sender, to tell the others), so without this the others dial the place of its last run for
// good: a recipient waits at 0 B/s for an origin that is back. Adverts are unauthenticated, so the
// new place is taken only once its control port proves the device's key there.
import type { Peer } from '../discovery/peer-info.js'
import type { DistributionRecord } from '../distributions/records.js'
import type { Member } from '../protocol/messages.js'
import type { NodeContext } from './context.js'
import { memberAddresses } from './members.js'

/** How long the device's control port has to prove its key at the new place. */
const PROVE_TIMEOUT_MS = 3_000

/** Where a device is now, as its advert says. */
export type DevicePlace = Pick<Peer, 'id' | 'address' | 'controlPort' | 'btPort'>

/**
 * `record` with every mention of the device brought to `place`, or undefined when it names the
 * device nowhere or already at that place. The origin's own entry (address null) is not a place.
 */
export function movedRecord (record: DistributionRecord, place: DevicePlace): DistributionRecord | undefined {
  const member = (m: Member): Member => m.id === place.id && m.address !== null && (m.address !== place.address || m.btPort !== place.btPort)
    ? { ...m, address: place.address, btPort: place.btPort }
    : m
  const members = record.members.map(member)
  let changed = members.some((m, i) => m !== record.members[i])
  if (record.role === 'recipient') {
    const s = record.sender
    const sender = s.id === place.id && (s.address !== place.address || s.controlPort !== place.controlPort)
      ? { ...s, address: place.address, controlPort: place.controlPort }
      : s
    changed ||= sender !== s
    return changed ? { ...record, sender, members } : undefined
  }
  // A machine waiting to be offered the file is offered it where it is seen (origin.ts): no place kept.
  const recipients = record.recipients.map(x => x.id === place.id && x.state !== 'waiting' && (x.address !== place.address || (x.controlPort !== undefined && x.controlPort !== place.controlPort))
    ? { ...x, address: place.address, ...(x.controlPort !== undefined ? { controlPort: place.controlPort } : {}) }
    : x)
  changed ||= recipients.some((x, i) => x !== record.recipients[i])
  return changed ? { ...record, members, recipients } : undefined
}

/** The addresses `record` knows the device `id` at (as a member, the sender, a recipient). */
function placesOf (record: DistributionRecord, id: string): Set<string> {
  const places = new Set<string>()
  for (const m of record.members) if (m.id === id && m.address !== null) places.add(m.address)
  if (record.role === 'recipient') {
    if (record.sender.id === id) places.add(record.sender.address)
  } else {
    for (const x of record.recipients) if (x.id === id && x.address !== undefined) places.add(x.address)
  }
  return places
}

export class DeviceMoves {
  /** Places being proven now, by device id: an advert repeated meanwhile is not proven twice. */
  private readonly proving = new Map<string, string>()

  constructor (
    private readonly ctx: NodeContext,
    /** Dials the swarm's members again (a recipient's record: its members' places changed). */
    private readonly redial: (infoHash: string) => void
  ) {}

  /** Discovery heard `peer` (first, or at a new place): records naming it elsewhere follow it. */
  async seen (peer: Peer): Promise<void> {
    const stale = this.ctx.registry.list().filter(r => movedRecord(r, peer) !== undefined)
    if (stale.length === 0) return
    const where = `${peer.address}:${peer.controlPort}:${peer.btPort}`
    if (this.proving.get(peer.id) === where) return
    this.proving.set(peer.id, where)
    try {
      const proven = await this.ctx.channel.verify({ id: peer.id, name: peer.name, address: peer.address, controlPort: peer.controlPort }, PROVE_TIMEOUT_MS)
      if (!proven.ok) return
    } finally {
      if (this.proving.get(peer.id) === where) this.proving.delete(peer.id)
    }
    for (const r of stale) {
      const updated = await this.ctx.registry.update<DistributionRecord>(r.infoHash, current => movedRecord(current, peer) ?? current)
      if (!updated) continue
      this.ctx.engine.setMembers(updated.infoHash, memberAddresses(updated.members))
      // Its connections at the old address are dead (nobody answers there now) but would wait for
      // their timeouts, up to 30 s, holding its blocks asked and the place of its next connection:
      // those that stay silent are closed, so it is dialled, or dials, at the new place at once.
      for (const old of placesOf(r, peer.id)) if (old !== peer.address) this.ctx.engine.dropMember(updated.infoHash, old)
      if (updated.role !== 'recipient') continue
      if (updated.sender.id === peer.id) this.ctx.engine.moveOrigin(updated.infoHash, peer.address)
      this.redial(updated.infoHash)
    }
  }
}
