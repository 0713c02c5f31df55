// A state shown as icon + word; the tone only adds colour.
import type { StateLabel } from '../format/labels.js'

export function StateBadge ({ label, testId, raw }: { readonly label: StateLabel; readonly testId?: string; readonly raw?: string }) {
  return (
    <span className={`state state-${label.tone}`} data-state={raw}>
      <span className="state-icon" aria-hidden="true">{label.icon}</span>
      <span data-testid={testId}>{label.text}</span>
    </span>
  )
}
