// Says plainly when the desktop app's engine process is down: restarting (the last known state
// stays on screen below), or given up on, with a way to start it again once the cause is mended
// (a full disk freed, say) without quitting the app. The web UI's engine runs inside its agent,
// so its state has no engine field and this shows nothing there.
import { useState } from 'react'
import type { ApiError } from '../../../preload/api.js'
import { sentence } from '../format/format.js'
import { useUi } from '../store/context.js'

export function EngineBanner () {
  const engine = useUi(s => s.app?.engine)
  const restartEngine = useUi(s => s.restartEngine)
  const [asking, setAsking] = useState(false)
  const [refused, setRefused] = useState<ApiError | null>(null)
  if (engine === undefined || engine.status === 'running') return null
  const restarting = engine.status === 'restarting'
  const tryAgain = async (): Promise<void> => {
    setAsking(true)
    const answer = await restartEngine()
    setAsking(false)
    setRefused(answer.ok ? null : answer.error)
  }
  return (
    <div className={`banner ${restarting ? 'banner-warn' : 'banner-danger'}`} role="alert" data-testid="engine-status" data-status={engine.status}>
      <span>
        <strong>{restarting ? 'The engine is restarting.' : 'The engine is not running.'}</strong>{' '}
        {sentence(engine.message)}{restarting ? ' Showing the last known state until it is back.' : ''}
        {!restarting && refused !== null ? <> <span data-testid="engine-retry-error">{sentence(refused.message)}</span></> : null}
      </span>
      {!restarting
        ? <button type="button" className="button" data-testid="engine-retry" disabled={asking} onClick={() => { void tryAgain() }}>{asking ? 'Starting…' : 'Try again'}</button>
        : null}
    </div>
  )
}
