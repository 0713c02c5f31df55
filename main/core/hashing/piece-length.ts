// The BitTorrent piece length for a distribution of a given size.
//
// Every piece costs each member a fixed amount of work besides its bytes: a request and its reply
// (one message between members, see member-extension.ts), a HAVE to every other member and one from
// each of them, a SHA-1 call, bitfield and rarity bookkeeping, a write. In a swarm of N members that
// is O(N) messages per piece per member, so per byte it falls as pieces grow. Measured on 2 cores,
// 256 MiB at 200 Mbit/s (README "round ten"): a recipient's CPU with 512 KiB pieces against 128 KiB
// was 2.4–2.6 against 3.2–3.3 s at N=4 and 3.6 against 4.5 s at N=20, where the swarm, short of
// CPU, finished 14–17 % sooner; at N=10 from equal to a third less; 1 MiB pieces did worse (from
// 1 MiB on a piece is assembled in shared memory and hashed on a thread, dearer per byte on two
// cores; see piece-buffers.ts). The price: at N=4 the last copy came 0.2–1.4 s later.
//
// Smaller pieces only help a one-to-many swarm fan out sooner (a receiver serves others from its
// first whole piece), which matters when the distribution is small compared with the swarm, so:
// - a distribution of at least 32 MiB gets pieces of at least PREFERRED_PIECE_LENGTH (512 KiB: at
//   200 Mbit/s a piece arrives in 21 ms, and 32 MiB is still 64 of them);
// - a smaller one gets about MIN_PIECES pieces, down to 64 KiB (below that the per-piece costs
//   dominate and nothing is gained);
// - a big one gets the smallest power of two that keeps it under MAX_PIECES pieces, at most 4 MiB
//   (larger pieces delay the first re-share and multiply the memory per piece in flight, and 4 MiB
//   is the largest size common v1 clients create by default). Past ~12 GiB the cap wins and the
//   piece count grows (20 GiB → 5120 pieces, 100 KiB of hashes), which is still cheap.

export const MIN_PIECE_LENGTH = 64 * 1024
export const PREFERRED_PIECE_LENGTH = 512 * 1024
export const MAX_PIECE_LENGTH = 4 * 1024 * 1024
const MIN_PIECES = 64
const MAX_PIECES = 3000

/** A power of two between MIN_PIECE_LENGTH and MAX_PIECE_LENGTH. */
export function choosePieceLength (totalBytes: number): number {
  // NaN and negative sizes compare false and get the minimum.
  let length = MIN_PIECE_LENGTH
  while (length < PREFERRED_PIECE_LENGTH && totalBytes / (length * 2) >= MIN_PIECES) length *= 2
  while (length < MAX_PIECE_LENGTH && totalBytes / length > MAX_PIECES) length *= 2
  return length
}
