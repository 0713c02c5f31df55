// The BitTorrent v1 piece hashes: SHA-1 of each piece, taken from the ring by whichever thread is
// free, so pieces (independent of each other) spread over every core.
import { createHash } from 'node:crypto'
import type { ChunkRing } from './chunk-ring.js'

/** Claims a piece that has been read, if any, and stores its SHA-1; false when none is ready. */
export function hashNextPiece (ring: ChunkRing): boolean {
  const p = ring.claimPiece()
  if (p < 0) return false
  ring.storePieceHash(p, createHash('sha1').update(ring.piece(p)).digest())
  return true
}
