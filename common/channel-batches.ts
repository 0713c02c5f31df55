// The batches of one watched folder ("channel") folded into one entry, for the sidebar and
// `swarmdrop status`: a folder of segments arriving all day is one channel, not hundreds of batches.
import type { Distribution } from './api.js'

export interface ChannelBatches {
  /** Sender id and channel id: two senders' channels never share an entry. */
  readonly key: string
  readonly channel: string
  /** The folder the batches are in on this device (a recipient's channel folder). */
  readonly name: string
  readonly path: string
  readonly role: Distribution['role']
  /** The machine the batches came from (this device on the origin). */
  readonly sender: string
  /** Newest first. */
  readonly batches: readonly Distribution[]
  /** Batches still arriving (downloading, verifying, paused, out of space). */
  readonly arriving: number
  readonly bytes: number
  /** The batch it stands for: the newest still arriving, else the newest. */
  readonly shown: Distribution
}

const ARRIVING: ReadonlySet<Distribution['state']> = new Set(['downloading', 'verifying', 'paused', 'no-space'])

/** The batch is still on its way to this device. */
export function isArriving (d: Distribution): boolean {
  return ARRIVING.has(d.state)
}

function folderName (path: string): string {
  return path.split(/[\\/]/).filter(p => p !== '').pop() ?? path
}

/** The channel batches among `dists`, one entry per sender and channel, the most recent first. */
export function channelBatches (dists: readonly Distribution[]): ChannelBatches[] {
  const groups = new Map<string, Distribution[]>()
  for (const d of dists) {
    if (d.channel === undefined) continue
    const key = `${d.members.find(m => m.origin)?.id ?? ''}:${d.channel}`
    groups.set(key, [...(groups.get(key) ?? []), d])
  }
  return [...groups].map(([key, list]) => {
    const batches = [...list].sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    const newest = batches[0] as Distribution
    const arriving = batches.filter(isArriving)
    return {
      key,
      channel: newest.channel ?? '',
      name: folderName(newest.path),
      path: newest.path,
      role: newest.role,
      sender: newest.members.find(m => m.origin)?.name ?? 'unknown sender',
      batches,
      arriving: arriving.length,
      bytes: batches.reduce((sum, d) => sum + d.totalLength, 0),
      shown: arriving[0] ?? newest
    }
  }).sort((a, b) => b.shown.createdAt.localeCompare(a.shown.createdAt))
}
