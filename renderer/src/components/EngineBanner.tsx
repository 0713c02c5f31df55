// Says plainly when the desktop app's engine process is down: restarting (the last known state
// stays on screen below), or given up on (and what to do). The web UI's engine runs inside its
// agent, so its state has no engine field and this shows nothing there.
import { sentence } from '../format/format.js'
import { useUi } from '../store/context.js'

export function EngineBanner () {
  const engine = useUi(s => s.app?.engine)
  if (engine === undefined || engine.status === 'running') return null
  const restarting = engine.status === 'restarting'
  return (
    <div className={`banner ${restarting ? 'banner-warn' : 'banner-danger'}`} role="alert" data-testid="engine-status" data-status={engine.status}>
      <strong>{restarting ? 'The engine is restarting.' : 'The engine stopped.'}</strong>{' '}
      {sentence(engine.message)}{restarting ? ' Showing the last known state until it is back.' : ''}
    </div>
  )
}
