// What each cell of the piece map shows, as one byte per piece, for the two kinds of view: the whole
// swarm (how many members hold the piece) and one member (that member's state of the piece).
import { PIECE } from '../../../preload/api.js'
import type { Distribution } from '../../../preload/api.js'

/**
 * Swarm view values: copies per piece on a graded scale. `few`, `some` and `most` split the
 * copies between none and all, so a transfer's progress shows as shades moving towards `all`.
 */
export const SWARM = { none: 0, few: 1, some: 2, most: 3, all: 4 } as const
export type SwarmLevel = typeof SWARM[keyof typeof SWARM]

/** The level of a piece held by `holders` of `size` machines. */
export function swarmLevel (holders: number, size: number): SwarmLevel {
  if (holders <= 0) return SWARM.none
  // holders is capped at 255: a swarm that large counts as "all" once the cap is reached.
  if (holders >= Math.min(size, 255)) return SWARM.all
  if (size <= 2) return SWARM.some
  return (1 + Math.round((holders - 1) * 2 / (size - 2))) as SwarmLevel
}

export interface ScaleStep { readonly level: SwarmLevel; readonly text: string }

/** The legend of the swarm view for a swarm of `size` machines: each level used, in words. */
export function swarmScale (size: number): ScaleStep[] {
  const ranges = new Map<SwarmLevel, [number, number]>()
  for (let h = 1; h < size; h++) {
    const level = swarmLevel(h, size)
    const r = ranges.get(level)
    ranges.set(level, r === undefined ? [h, h] : [r[0], h])
  }
  const steps: ScaleStep[] = [{ level: SWARM.none, text: 'no machine yet' }]
  for (const level of [SWARM.few, SWARM.some, SWARM.most]) {
    const r = ranges.get(level)
    if (r === undefined) continue
    const [lo, hi] = r
    steps.push({ level, text: lo === hi ? `${lo} ${lo === 1 ? 'machine' : 'machines'}` : `${lo}–${hi} machines` })
  }
  steps.push({ level: SWARM.all, text: size === 1 ? 'the one machine' : `all ${size} machines` })
  return steps
}

/** `swarm`, or the device id of one member. */
export type PieceView = 'swarm' | { readonly member: string }

export interface CellFrame {
  readonly kind: 'swarm' | 'member'
  /** One value per piece: a SWARM value or a PIECE code. */
  readonly values: Uint8Array
  /** Cells verified in this view: held by all members (swarm) or verified / refetched (member). */
  readonly verified: number
  /** False when this device has no piece map for the chosen member (values are all missing). */
  readonly known: boolean
}

/** Bit `index` of a BitTorrent-order bitfield (high bit of byte 0 is piece 0). */
export function hasPiece (bitfield: Uint8Array, index: number): boolean {
  const byte = bitfield[index >> 3] ?? 0
  return ((byte >> (7 - (index & 7))) & 1) === 1
}

export function swarmCells (holders: Uint8Array, pieceCount: number, memberCount: number): CellFrame {
  const values = new Uint8Array(pieceCount)
  let verified = 0
  for (let i = 0; i < pieceCount; i++) {
    const level = swarmLevel(holders[i] ?? 0, memberCount)
    values[i] = level
    if (level === SWARM.all) verified++
  }
  return { kind: 'swarm', values, verified, known: true }
}

/** This device's own copy: the engine's PIECE codes as they are. */
export function localCells (local: Uint8Array, pieceCount: number): CellFrame {
  const values = new Uint8Array(pieceCount)
  let verified = 0
  for (let i = 0; i < pieceCount; i++) {
    const code = local[i] ?? PIECE.missing
    values[i] = code
    if (code === PIECE.verified || code === PIECE.refetched) verified++
  }
  return { kind: 'member', values, verified, known: true }
}

/** Another member: its bitfield says held (verified) or not (missing); nothing finer is known. */
export function bitfieldCells (bitfield: Uint8Array | undefined, pieceCount: number): CellFrame {
  const values = new Uint8Array(pieceCount)
  let verified = 0
  if (bitfield !== undefined) {
    for (let i = 0; i < pieceCount; i++) {
      if (hasPiece(bitfield, i)) {
        values[i] = PIECE.verified
        verified++
      }
    }
  }
  return { kind: 'member', values, verified, known: bitfield !== undefined }
}

/** States in which a member will not hold the file this time: left out of "every machine". */
const OUT: readonly string[] = ['declined', 'failed', 'timeout', 'unreachable', 'no-space']

/**
 * How many members "all" means: every member taking part (not one that declined or failed), whether
 * or not this device knows its piece map, so the map never says "held by every machine" while a
 * machine it cannot see is still at 0 %.
 */
export function swarmSize (dist: Distribution): number {
  return dist.members.filter(m => !OUT.includes(m.state)).length
}

/**
 * Copies per piece among the members taking part. `holders` counts the members whose piece maps
 * this device knows; a member whose map it does not know but whose row says verified (its whole
 * file matched) holds every piece, and is added here.
 */
export function swarmHolders (dist: Distribution): Uint8Array {
  const { holders, members } = dist.pieces
  const extra = dist.members.filter(m => m.verified && !OUT.includes(m.state) && members[m.id] === undefined).length
  if (extra === 0) return holders
  const out = new Uint8Array(holders.length)
  for (let i = 0; i < holders.length; i++) out[i] = Math.min(255, (holders[i] ?? 0) + extra)
  return out
}

export function cellsFor (dist: Distribution, view: PieceView): CellFrame {
  const { pieces } = dist
  if (view === 'swarm') return swarmCells(swarmHolders(dist), pieces.pieceCount, swarmSize(dist))
  const member = dist.members.find(m => m.id === view.member)
  if (member?.self === true) return localCells(pieces.local, pieces.pieceCount)
  return bitfieldCells(pieces.members[view.member], pieces.pieceCount)
}
