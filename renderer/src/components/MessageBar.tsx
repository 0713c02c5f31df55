// The last failed action, in the engine's own sentence, short confirmations, and what other
// machines did to this device's list (a sender withdrew a file), each until dismissed.
import type { DeviceNotice } from '../../../preload/api.js'
import { sentence } from '../format/format.js'
import { useUi } from '../store/context.js'

const NO_NOTICES: readonly DeviceNotice[] = []

/** A notice ends with a full stop; unlike an error it keeps its first word as written (a machine's name). */
const stopped = (text: string): string => /[.!?…]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`

export function MessageBar () {
  const error = useUi(s => s.lastError)
  const notice = useUi(s => s.notice)
  const dismiss = useUi(s => s.dismissError)
  const deviceNotices = useUi(s => s.app?.notices ?? NO_NOTICES)
  const dismissed = useUi(s => s.dismissedNotices)
  const dismissNotice = useUi(s => s.dismissDeviceNotice)
  const shown = deviceNotices.filter(n => !dismissed.includes(n.id))
  return (
    <>
      {error !== null && (
        <div className="banner banner-danger" role="alert" data-testid="error-message">
          <span>{sentence(error.message)}</span>
          <button type="button" className="button button-quiet" onClick={dismiss}>Dismiss</button>
        </div>
      )}
      {/* One status region that is always there: a region added together with its text is often
          not read out; text added inside one already present is. */}
      <div className="message-status" role="status" data-testid="message-status">
        {shown.map(n => (
          <div key={n.id} className="banner banner-warn" data-testid="device-notice">
            <span>{stopped(n.text)} <time dateTime={n.at} className="muted">({new Date(n.at).toLocaleTimeString()})</time></span>
            <button type="button" className="button button-quiet" onClick={() => dismissNotice(n.id)}>Dismiss</button>
          </div>
        ))}
        {notice !== null && <p className="banner banner-info" data-testid="notice">{notice}</p>}
      </div>
    </>
  )
}
