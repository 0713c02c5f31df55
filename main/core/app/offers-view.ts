// Offers waiting for a person, as Incoming cards: who sent it (fingerprint, trusted or not) and
// where it would land now, with the free space there.
import type { IncomingOffer } from '../../../common/api.js'
import { shortFingerprint } from '../identity/device-id.js'
import type { OfferSummary } from '../node/events.js'
import { tooLarge, type FileSizeLimit } from '../node/folder-access.js'

export function offerView (o: OfferSummary, trusted: boolean, dir: string, freeBytes: number | undefined, folderProblem?: string, limit?: FileSizeLimit): IncomingOffer {
  const big = o.largestFile
  // A folder that cannot be written says so first; then a file larger than its file system holds.
  const problem = folderProblem ?? (limit !== undefined && big !== undefined && big.length > limit.bytes ? tooLarge(dir, limit, big.path, big.length) : undefined)
  return {
    offerId: o.offerId,
    infoHash: o.infoHash,
    name: o.name,
    totalLength: o.totalLength,
    isFolder: o.isFolder ?? o.fileCount > 1,
    fileCount: o.fileCount,
    sha256: o.sha256,
    sender: { id: o.sender.id, fingerprint: shortFingerprint(o.sender.id), name: o.sender.name, address: o.sender.address, trusted },
    receivedAt: o.receivedAt,
    // Unknown free space (not measured yet) is not reported as "does not fit": accepting checks again.
    destination: { dir, freeBytes: freeBytes ?? 0, fits: freeBytes === undefined || freeBytes >= o.totalLength, ...(problem !== undefined ? { problem } : {}) }
  }
}
