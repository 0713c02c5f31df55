// Offers waiting for a person, as Incoming cards: who sent it (fingerprint, trusted or not) and
// where it would land now, with the free space there and why it could not.
import type { IncomingOffer } from '../../../common/api.js'
import { shortFingerprint } from '../identity/device-id.js'
import type { OfferSummary } from '../node/events.js'
import { tooLarge, type FileSizeLimit } from '../node/folder-access.js'
import { acceptFilesReason } from '../node/space.js'

/** What is known of the folder an offer would land in (free-space.ts), read ahead of the view. */
export interface FolderFacts {
  readonly freeBytes?: number
  /** Free file entries (inodes), where its file system counts them. */
  readonly freeEntries?: number
  /** Why nothing can be saved there at all (folder-access.ts). */
  readonly problem?: string
  readonly limit?: FileSizeLimit
}

export function offerView (o: OfferSummary, trusted: boolean, dir: string, folder: FolderFacts = {}): IncomingOffer {
  const { freeBytes, freeEntries, limit } = folder
  const big = o.largestFile
  // Each file takes an entry, and so does the folder it lands in (accept counts its sub-folders too).
  const entries = o.fileCount + (o.isFolder === true ? 1 : 0)
  // A folder that cannot be written says so first; then a file larger than its file system holds;
  // then too few file entries (inodes) with bytes to spare.
  const problem = folder.problem ??
    (limit !== undefined && big !== undefined && big.length > limit.bytes
      ? tooLarge(dir, limit, big.path, big.length)
      : freeEntries !== undefined && freeEntries < entries ? acceptFilesReason(dir, entries, freeEntries) : undefined)
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
