// Says plainly when the engine cannot be reached; the last known state stays on screen below it,
// without rates or times (useLinkLost), and the banner says how old it is.
import { formatSince, sentence } from '../format/format.js'
import { useUi } from '../store/context.js'
import { useNow } from './use-now.js'

export function ConnectionBanner () {
  const connection = useUi(s => s.connection)
  const now = useNow()
  if (connection.status !== 'lost') return null
  return (
    <div className="banner banner-danger" data-testid="connection-lost">
      {/* Only what does not change is the alert: the age ticks every second and would be read out each time. */}
      <span role="alert" data-testid="connection-lost-alert">
        <strong>Lost the connection to Swarmdrop.</strong>{' '}
        {sentence(connection.message)}
      </span>
      {' '}Below is what it said {formatSince(connection.since, now)} ago, without rates or times, until it answers again.
    </div>
  )
}
