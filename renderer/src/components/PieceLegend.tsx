// What the piece map's colours mean, in words.
import type { CellFrame } from '../piece-map/cells.js'

const SWARM = [
  ['all', 'held by every machine'],
  ['some', 'held by some'],
  ['none', 'nowhere yet']
] as const

const MEMBER = [
  ['verified', 'verified'],
  ['refetched', 'failed once, fetched again and verified'],
  ['in-flight', 'being fetched'],
  ['failed', 'failed its check, not fetched again yet'],
  ['missing', 'missing']
] as const

export function PieceLegend ({ kind }: { readonly kind: CellFrame['kind'] }) {
  const items = kind === 'swarm' ? SWARM : MEMBER
  return (
    <ul className="legend" aria-label="Piece map legend">
      {items.map(([key, text]) => (
        <li key={key}><span className={`swatch swatch-${key}`} aria-hidden="true" />{text}</li>
      ))}
    </ul>
  )
}
