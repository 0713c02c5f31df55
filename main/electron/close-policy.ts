// What closing the window means. Transfers must not stop because someone closed a window
// (WebTorrent Desktop #1448), so while anything moves the window only hides and the tray keeps
// the app; an idle app quits. On macOS a closed window never quits the app: people expect it to
// stay in the Dock and menu bar until Cmd+Q, as every Mac app does.
import type { AppState, DistributionState } from '../../common/api.js'

export type CloseAction = 'hide' | 'quit'

const BUSY: ReadonlySet<DistributionState> = new Set(['seeding', 'downloading', 'verifying'])

/** Something would stop if the app quit now: hashing, receiving, or serving pieces. */
export function isBusy (state: AppState): boolean {
  if (state.hashing.length > 0) return true
  return state.distributions.some(d => BUSY.has(d.state) && !(d.state === 'seeding' && state.seedingPaused))
}

export interface CloseContext {
  readonly platform: string
  /** Quit was chosen (menu, tray, OS shutdown): the window closes for real. */
  readonly quitting: boolean
  /** The latest state, or null while the engine is still starting. */
  readonly state: AppState | null
}

export function closeAction (ctx: CloseContext): CloseAction {
  if (ctx.quitting) return 'quit'
  if (ctx.platform === 'darwin') return 'hide'
  return ctx.state !== null && isBusy(ctx.state) ? 'hide' : 'quit'
}

/** The one-time explanation shown the first time the window hides instead of quitting. */
export const CLOSE_TO_TRAY_NOTICE = {
  title: 'Swarmdrop is still running',
  body: 'Transfers continue in the background. Open Swarmdrop or quit it from its tray icon.'
} as const
