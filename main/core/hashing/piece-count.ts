// The arithmetic of v1 piece hashes that the ring and the hashers share: how many pieces a length
// makes, and how long each SHA-1 is.

export const SHA1_LENGTH = 20

export function pieceCount (bytes: number, pieceLength: number): number {
  return Math.ceil(bytes / pieceLength)
}
