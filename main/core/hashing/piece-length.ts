// The BitTorrent piece length for a distribution of a given size.
//
// Peers re-share only whole, verified pieces, and WebTorrent keeps every piece it is downloading
// whole in memory. Smaller pieces therefore let a one-to-many swarm fan out sooner (a receiver
// starts serving others after its first piece) and keep memory per in-flight piece low. Each piece
// also costs something: 20 bytes of metadata every peer must fetch before any data moves, a
// bitfield bit, a HAVE message to every peer, a hash check and request bookkeeping. Aiming at
// 1500–3000 pieces (the smallest power of two that stays under 3000) keeps that overhead small and
// fixed while pieces stay as small as the size allows.
//
// Bounds: at least 64 KiB, because below that the per-piece costs dominate and a small
// distribution gains nothing from finer pieces; at most 4 MiB, because larger pieces delay the
// first re-share and multiply WebTorrent's memory per in-flight piece, and 4 MiB is the largest
// size common v1 clients create by default. Past ~12 GiB the cap wins and the piece count grows
// (20 GiB → 5120 pieces, 100 KiB of hashes), which is still cheap.

export const MIN_PIECE_LENGTH = 64 * 1024
export const MAX_PIECE_LENGTH = 4 * 1024 * 1024
const MAX_PIECES = 3000

/** A power of two between MIN_PIECE_LENGTH and MAX_PIECE_LENGTH. */
export function choosePieceLength (totalBytes: number): number {
  let length = MIN_PIECE_LENGTH
  // NaN and negative sizes compare false and get the minimum.
  while (length < MAX_PIECE_LENGTH && totalBytes / length > MAX_PIECES) length *= 2
  return length
}
