// The last failed action, in the engine's own sentence, and short confirmations.
import { sentence } from '../format/format.js'
import { useUi } from '../store/context.js'

export function MessageBar () {
  const error = useUi(s => s.lastError)
  const notice = useUi(s => s.notice)
  const dismiss = useUi(s => s.dismissError)
  return (
    <>
      {error !== null && (
        <div className="banner banner-danger" role="alert" data-testid="error-message">
          <span>{sentence(error.message)}</span>
          <button type="button" className="button button-quiet" onClick={dismiss}>Dismiss</button>
        </div>
      )}
      {notice !== null && <p className="banner banner-info" role="status" data-testid="notice">{notice}</p>}
    </>
  )
}
