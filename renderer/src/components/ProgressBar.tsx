// A bar with its value in text beside it, so progress never depends on seeing the fill.
import { formatPercent } from '../format/format.js'

export function ProgressBar ({ fraction, label }: { readonly fraction: number; readonly label: string }) {
  const clamped = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0))
  const percent = formatPercent(clamped)
  return (
    <div className="progress">
      <progress className="progress-bar" max={1000} value={Math.round(clamped * 1000)} aria-label={label} aria-valuetext={percent} />
      <span className="progress-text">{percent}</span>
    </div>
  )
}
