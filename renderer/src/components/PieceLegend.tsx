// What the piece map's colours mean, in words: for the swarm view a graded scale of copies per
// piece (as many steps as the swarm's size needs), for one machine the states of its pieces.
import type { CellFrame, ScaleStep } from '../piece-map/cells.js'

const SWATCH: Record<number, string> = { 0: 'none', 1: 'few', 2: 'some', 3: 'most', 4: 'all' }

const MEMBER = [
  ['verified', 'verified'],
  ['refetched', 'failed once, fetched again and verified'],
  ['in-flight', 'being fetched'],
  ['failed', 'failed its check, not fetched again yet'],
  ['missing', 'missing']
] as const

export function PieceLegend ({ kind, scale }: { readonly kind: CellFrame['kind']; readonly scale: readonly ScaleStep[] }) {
  if (kind === 'swarm') {
    return (
      <div className="legend-scale">
        <span className="legend-title">Copies per piece</span>
        <ol className="legend" aria-label="Piece map legend: copies per piece">
          {scale.map(step => (
            <li key={step.level}><span className={`swatch swatch-${SWATCH[step.level] ?? 'none'}`} aria-hidden="true" />{step.text}</li>
          ))}
        </ol>
      </div>
    )
  }
  return (
    <ul className="legend" aria-label="Piece map legend">
      {MEMBER.map(([key, text]) => (
        <li key={key}><span className={`swatch swatch-${key}`} aria-hidden="true" />{text}</li>
      ))}
    </ul>
  )
}
