// Offers waiting for an answer, newest last, each on its own card.
import type { IncomingOffer } from '../../../preload/api.js'
import { useUi } from '../store/context.js'
import { EmptyState } from './EmptyState.js'
import { OfferCard } from './OfferCard.js'

const NONE: readonly IncomingOffer[] = []

export function IncomingView () {
  const offers = useUi(s => s.app?.offers ?? NONE)
  const policy = useUi(s => s.app?.settings.accept)
  return (
    <section className="view" aria-labelledby="incoming-title">
      <h2 id="incoming-title" tabIndex={-1} className="view-title">Incoming</h2>
      {offers.length === 0
        ? (
          <EmptyState title="No files waiting.">
            {policy === 'all'
              ? 'This device accepts every offer on its own (see Settings).'
              : 'When another machine sends you a file, it appears here for you to accept or decline.'}
          </EmptyState>
          )
        : offers.map(o => <OfferCard key={o.offerId} offer={o} />)}
    </section>
  )
}
