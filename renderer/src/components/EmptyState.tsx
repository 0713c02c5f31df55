// The sentence a view shows when it has nothing yet, plus an optional next step.
import type { ReactNode } from 'react'

export function EmptyState ({ title, children }: { readonly title: string; readonly children?: ReactNode }) {
  return (
    <div className="empty" role="note">
      <p className="empty-title">{title}</p>
      {children !== undefined && <div className="empty-body">{children}</div>}
    </div>
  )
}
