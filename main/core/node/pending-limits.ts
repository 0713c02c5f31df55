// Offers waiting for a person are held in memory with their torrents. They are bounded per sender
// and in all, by count and by metadata bytes, so a flood of offers (one key or many) cannot grow
// the agent without limit; the same offer sent again replaces itself.
import { fail, ok, type Result } from '../../../common/result.js'

export interface PendingLimits { readonly perSender: number; readonly total: number; readonly totalTorrentBytes: number }

export const PENDING_LIMITS: PendingLimits = { perSender: 8, total: 64, totalTorrentBytes: 64 * 1024 * 1024 }

/** What the limits look at in a waiting offer: its id, its sender and the size of its torrent. */
export interface WaitingOffer { readonly offerId: string; readonly senderId: string; readonly torrentBytes: number }

/** Whether `next` may wait beside `waiting`; an offer with the id of another sender's is refused. */
export function roomToWait (waiting: Iterable<WaitingOffer>, next: WaitingOffer, limits: PendingLimits = PENDING_LIMITS): Result<void> {
  const all = [...waiting]
  const same = all.find(w => w.offerId === next.offerId)
  if (same && same.senderId !== next.senderId) return fail('forbidden', 'an offer with that id is already waiting from another device')
  const others = all.filter(w => w.offerId !== next.offerId)
  if (others.filter(w => w.senderId === next.senderId).length >= limits.perSender) {
    return fail('too-many-offers', `${limits.perSender} offers from this device already wait for an answer`)
  }
  if (others.length >= limits.total) return fail('too-many-offers', `${limits.total} offers already wait for an answer on this device`)
  const bytes = others.reduce((sum, w) => sum + w.torrentBytes, 0)
  if (bytes + next.torrentBytes > limits.totalTorrentBytes) return fail('too-many-offers', 'the offers waiting for an answer already hold as much metadata as this device keeps')
  return ok(undefined)
}
