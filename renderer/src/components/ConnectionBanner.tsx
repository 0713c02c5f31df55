// Says plainly when the engine cannot be reached; the last known state stays on screen below it.
import { sentence } from '../format/format.js'
import { useUi } from '../store/context.js'

export function ConnectionBanner () {
  const connection = useUi(s => s.connection)
  if (connection.status !== 'lost') return null
  return (
    <div className="banner banner-danger" role="alert" data-testid="connection-lost">
      <strong>Lost the connection to Swarmdrop.</strong>{' '}
      {sentence(connection.message)} Showing the last known state; trying again every few seconds.
    </div>
  )
}
