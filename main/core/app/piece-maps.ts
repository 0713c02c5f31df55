// Piece maps for the UI, from bitfields (BitTorrent order: the high bit of byte 0 is piece 0):
// how many members hold each piece, and what this device's own copy looks like piece by piece.
// Pure functions over bytes, so the derivations are tested directly.
import { PIECE } from '../../../common/api.js'

export function bitfieldLength (pieceCount: number): number {
  return Math.ceil(pieceCount / 8)
}

export function hasPiece (bits: Uint8Array, index: number): boolean {
  return ((bits[index >> 3] ?? 0) & (0x80 >> (index & 7))) !== 0
}

/** Every piece held (the origin, a verified copy). */
export function fullBitfield (pieceCount: number): Uint8Array {
  const bits = new Uint8Array(bitfieldLength(pieceCount))
  for (let i = 0; i < pieceCount; i++) bits[i >> 3] = (bits[i >> 3] ?? 0) | (0x80 >> (i & 7))
  return bits
}

/**
 * A bitfield cut or padded to exactly `pieceCount` pieces: a peer's bitfield may carry spare bits
 * past the last piece, or be shorter than the torrent while it is still arriving.
 */
export function normalizeBitfield (bits: Uint8Array, pieceCount: number): Uint8Array {
  const out = new Uint8Array(bitfieldLength(pieceCount))
  out.set(bits.subarray(0, out.length))
  const spare = out.length * 8 - pieceCount
  if (spare > 0 && out.length > 0) out[out.length - 1] = (out[out.length - 1] ?? 0) & (0xff << spare) & 0xff
  return out
}

/** A recipient's reported bitfield (base64 in its report), or undefined if absent or unreadable. */
export function bitfieldFromBase64 (text: string | undefined, pieceCount: number): Uint8Array | undefined {
  if (text === undefined || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined
  const bytes = Buffer.from(text, 'base64')
  return bytes.length === bitfieldLength(pieceCount) ? normalizeBitfield(bytes, pieceCount) : undefined
}

export function countPieces (bits: Uint8Array, pieceCount: number): number {
  let n = 0
  for (let i = 0; i < pieceCount; i++) if (hasPiece(bits, i)) n++
  return n
}

/** Calls `fn` for each set piece below `pieceCount`, skipping empty bytes (states are rebuilt often). */
function forEachPiece (bits: Uint8Array, pieceCount: number, fn: (index: number) => void): void {
  const bytes = Math.min(bits.length, bitfieldLength(pieceCount))
  for (let b = 0; b < bytes; b++) {
    const v = bits[b] ?? 0
    if (v === 0) continue
    for (let k = 0; k < 8; k++) {
      const i = b * 8 + k
      if (i < pieceCount && (v & (0x80 >> k)) !== 0) fn(i)
    }
  }
}

/** Per piece, how many of `bitfields` hold it, capped at 255 (one byte each). */
export function holdersOf (pieceCount: number, bitfields: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(pieceCount)
  for (const bits of bitfields) {
    forEachPiece(bits, pieceCount, i => { if ((out[i] ?? 0) < 255) out[i] = (out[i] ?? 0) + 1 })
  }
  return out
}

/**
 * This device's copy as PIECE codes: a piece that failed its hash is `failed` until it verifies,
 * then `refetched`; a missing piece with a request out is `inFlight`.
 */
export function localCodes (pieceCount: number, verified: Uint8Array | undefined, inFlight: ReadonlySet<number>, failed: ReadonlySet<number>): Uint8Array {
  const out = new Uint8Array(pieceCount)
  for (let i = 0; i < pieceCount; i++) {
    const have = verified !== undefined && hasPiece(verified, i)
    if (have) out[i] = failed.has(i) ? PIECE.refetched : PIECE.verified
    else if (failed.has(i)) out[i] = PIECE.failed
    else if (inFlight.has(i)) out[i] = PIECE.inFlight
    else out[i] = PIECE.missing
  }
  return out
}
