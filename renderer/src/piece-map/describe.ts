// The words for one piece under the pointer or keyboard cursor: which piece, which bytes, and who
// holds it (swarm view) or what state it is in (one machine's view).
import { PIECE } from '../../../preload/api.js'
import type { Distribution } from '../../../preload/api.js'
import { swarmHolders, swarmSize } from './cells.js'
import type { CellFrame } from './cells.js'
import { pieceBytes } from './layout.js'
import { formatCount as n, plural } from '../format/format.js'

const CODE_TEXT: Record<number, string> = {
  [PIECE.missing]: 'missing',
  [PIECE.inFlight]: 'being fetched',
  [PIECE.verified]: 'verified',
  [PIECE.refetched]: 'failed once, fetched again and verified',
  [PIECE.failed]: 'failed its check, waiting to be fetched again'
}

export function describePiece (dist: Distribution, frame: CellFrame, index: number): string {
  const { start, end } = pieceBytes(index, dist.pieceLength, dist.totalLength)
  const head = `Piece ${n(index)} of ${n(dist.pieceCount)} · bytes ${n(start)}–${n(Math.max(start, end - 1))}`
  if (frame.kind === 'swarm') {
    const holders = swarmHolders(dist)[index] ?? 0
    return `${head} · held by ${n(holders)} of ${plural(swarmSize(dist), 'machine')}`
  }
  if (!frame.known) return `${head} · not known yet`
  return `${head} · ${CODE_TEXT[frame.values[index] ?? PIECE.missing] ?? 'unknown'}`
}
