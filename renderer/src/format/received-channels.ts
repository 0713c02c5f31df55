// A watched folder as a recipient sees it: the batches one sender sent for one channel, as one
// sidebar row (on the origin, AppState.channels is that row; a recipient has only its batches).
import type { Distribution } from '../../../preload/api.js'
import { channelBatches, type ChannelBatches } from '../../../common/channel-batches.js'
import { formatBytes, formatCount, formatPercent, plural } from './format.js'
import { distributionProgress } from './progress.js'

/** The channels this device receives, one entry per sender and channel. */
export function receivedChannels (dists: readonly Distribution[]): ChannelBatches[] {
  return channelBatches(dists.filter(d => d.role === 'recipient'))
}

/** "from lab-01 · 240 batches · 1 arriving · 3.2 GB · last batch 45%". */
export function receivedSummary (c: ChannelBatches): string {
  const d = c.shown
  const last = d.state === 'downloading'
    ? `last batch ${formatPercent(distributionProgress(d))}`
    : d.state === 'verified' || d.state === 'seeding' ? 'last batch ✓ verified' : `last batch ${d.state}`
  return [
    `from ${c.sender}`,
    plural(c.batches.length, 'batch', 'batches'),
    ...(c.arriving > 0 ? [`${formatCount(c.arriving)} arriving`] : []),
    formatBytes(c.bytes),
    last
  ].join(' · ')
}
