// A view the person chose (the sidebar, the top bar's Settings): drawn at once, and the keyboard
// put on the view's title, where a screen reader starts reading the new view. The titles take the
// focus by script only (tabIndex -1); after a mouse click the browser draws no ring around them.
import { flushSync } from 'react-dom'
import type { MainView } from '../store/app-store.js'

/** The id of each view's title (its h2, or the path form's heading, which is that view). */
export const VIEW_TITLE: Readonly<Record<MainView, string>> = {
  distribution: 'dist-title',
  incoming: 'incoming-title',
  machines: 'machines-title',
  settings: 'settings-title',
  'send-path': 'path-sender-title'
}

/** Applies `change` (store actions) and draws it now, then focuses the title of `view`. */
export function chooseView (view: MainView, change: () => void): void {
  flushSync(change)
  const title = document.getElementById(VIEW_TITLE[view])
  if (title === null) return
  // Focusable by script only, also where the view's markup did not say so.
  if (!title.hasAttribute('tabindex')) title.tabIndex = -1
  title.focus()
}
