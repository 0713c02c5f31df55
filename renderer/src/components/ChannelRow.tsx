// One channel (watched folder) in the sidebar, the same row on the origin (ChannelList) and on a
// recipient (Sidebar): its name, one summary line, and a click that opens one of its batches.
import type { ReactNode } from 'react'

export interface ChannelRowProps {
  readonly testId: string
  readonly name: string
  /** Shown on hover: the folder's full path. */
  readonly title: string
  readonly summary: string
  readonly current: boolean
  /** Opens the batch the row stands for; null while it has none. */
  readonly onOpen: (() => void) | null
  readonly actions?: ReactNode
  /** Lines under the summary (on the origin: each machine behind, and by how much). */
  readonly details?: readonly string[]
  /** The channel stopped (its folder gone, its group removed): the row stands out. */
  readonly attention?: boolean
}

export function ChannelRow (p: ChannelRowProps) {
  return (
    <li className={`nav-item dist-item channel-item${p.attention === true ? ' channel-attention' : ''}`} data-testid={p.testId}>
      <button
        type="button"
        className="button-quiet channel-open"
        aria-current={p.current ? 'page' : undefined}
        disabled={p.onOpen === null}
        onClick={() => p.onOpen?.()}
      >
        <span className="dist-item-name" title={p.title}>{p.name}</span>
        <span className="dist-item-meta" data-testid={`${p.testId}-summary`}>{p.attention === true && <span aria-hidden="true">! </span>}{p.summary}</span>
      </button>
      {p.details !== undefined && p.details.length > 0 && (
        <ul className="dist-item-meta channel-details" data-testid={`${p.testId}-details`}>
          {p.details.map(d => <li key={d}>{d}</li>)}
        </ul>
      )}
      {p.actions !== undefined && <span className="dist-item-meta channel-actions">{p.actions}</span>}
    </li>
  )
}
