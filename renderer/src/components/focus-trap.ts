// Keeps Tab and Shift+Tab inside one element (the sidebar while it covers the content): from its
// last control to its first and back, and from outside it into it.

const CANDIDATES = 'a[href], button, input, select, textarea, [tabindex]'

/** The controls Tab reaches inside `root`, in order: enabled, in the tab order and drawn. */
export function tabbables (root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(CANDIDATES)].filter(el =>
    el.tabIndex >= 0 &&
    !(el as HTMLButtonElement).disabled &&
    !(el instanceof HTMLInputElement && el.type === 'hidden') &&
    el.getClientRects().length > 0 &&
    getComputedStyle(el).visibility !== 'hidden')
}

/** For a Tab keydown: moves the focus round inside `root` where the browser would leave it. */
export function keepTabInside (e: KeyboardEvent, root: HTMLElement): void {
  const items = tabbables(root)
  const first = items[0]
  const last = items.at(-1)
  if (first === undefined || last === undefined) return
  const active = document.activeElement
  const inside = active !== null && root.contains(active)
  const target = !inside ? (e.shiftKey ? last : first) : e.shiftKey && active === first ? last : !e.shiftKey && active === last ? first : null
  if (target === null) return
  e.preventDefault()
  target.focus()
}
