// OS notifications for what deserves one (notification-model.ts decides): an incoming offer, a
// finished or failed distribution, a full disk, a watched folder that cannot send, a withdrawal,
// an engine given up on. Clicking one opens the window on the matching view.
import { Notification } from 'electron'
import type { AppState } from '../../common/api.js'
import type { NavigateTarget } from '../../common/ipc.js'
import { NotificationTracker } from './notification-model.js'

export class DesktopNotifications {
  private readonly tracker = new NotificationTracker()
  /** Held so they are not garbage-collected (which drops their click handler) while on screen. */
  private readonly live = new Set<Notification>()

  constructor (private readonly icon: string, private readonly open: (target?: NavigateTarget) => void) {}

  update (state: AppState): void {
    const intents = this.tracker.next(state)
    if (intents.length === 0 || !Notification.isSupported()) return
    for (const intent of intents) {
      this.show(intent.title, intent.body, () => this.open(intent.target))
    }
  }

  /** A plain notice with no view behind it (e.g. the close-to-tray explanation). */
  show (title: string, body: string, onClick?: () => void): void {
    if (!Notification.isSupported()) return
    const n = new Notification({ title, body, icon: this.icon })
    this.live.add(n)
    const forget = (): void => { this.live.delete(n) }
    n.on('click', () => {
      forget()
      onClick?.()
    })
    n.on('close', forget)
    n.on('failed', forget)
    n.show()
  }

  dispose (): void {
    for (const n of this.live) n.close()
    this.live.clear()
  }
}
