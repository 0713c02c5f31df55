// SHA-1 of each piece in a run of whole pieces (the last may be short): the BitTorrent v1 hashes.
import { createHash } from 'node:crypto'

export const SHA1_LENGTH = 20

/** Writes the SHA-1 of each `pieceLength` slice of `data` into `out` from `outOffset`. */
export function hashPieces (data: Uint8Array, pieceLength: number, out: Uint8Array, outOffset: number): void {
  let at = outOffset
  for (let offset = 0; offset < data.length; offset += pieceLength) {
    const digest = createHash('sha1').update(data.subarray(offset, offset + pieceLength)).digest()
    out.set(digest, at)
    at += SHA1_LENGTH
  }
}

export function pieceCount (bytes: number, pieceLength: number): number {
  return Math.ceil(bytes / pieceLength)
}
