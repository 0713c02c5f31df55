// A watched folder as a whole, at the top of any of its batches: the folder's row in the sidebar
// opens its last batch, which alone said nothing of the batches before it (a machine two batches
// behind read "offline" on the last one only). Here: the folder's state, and each machine it sends
// to, up to date or behind by how many batches and bytes, and whether it is away.
import type { ChannelMember, Distribution, WatchedFolder } from '../../../preload/api.js'
import { formatBytes, plural } from '../format/format.js'
import { useUi } from '../store/context.js'
import { channelSummary, target } from './ChannelList.js'

/** One machine of the folder: its name, then what it holds of what was sent. */
export function channelMemberLine (m: ChannelMember): { readonly who: string; readonly state: string; readonly behind: boolean } {
  const who = m.name !== '' ? m.name : m.fingerprint
  if (m.behindBatches === 0) return { who, state: m.online ? 'up to date' : 'up to date (away now)', behind: false }
  const lacks = `${plural(m.behindBatches, 'batch', 'batches')} behind (${formatBytes(m.behindBytes)})`
  return { who, state: m.online ? lacks : `away: ${lacks}, sent when it is back`, behind: true }
}

/** Which batch the page below shows, among the folder's. */
function shownBatch (c: WatchedFolder, dist: Distribution): string {
  const last = c.lastBatch
  if (last !== null && last.infoHash === dist.infoHash) return `Below: batch ${last.seq}, the last of ${plural(c.batches, 'batch', 'batches')} sent.`
  return `Below: an earlier batch of this folder (${plural(c.batches, 'batch', 'batches')} sent).`
}

export function WatchedFolderCard ({ dist }: { readonly dist: Distribution }) {
  const folder = useUi(s => dist.channel === undefined ? undefined : s.app?.channels.find(c => c.id === dist.channel))
  if (folder === undefined) return null
  const behind = folder.members.filter(m => m.behindBatches > 0).length
  return (
    <section className="card channel-card" aria-labelledby="channel-card-title" data-testid="channel-card">
      <h3 id="channel-card-title">Watched folder {folder.name} → {target(folder)}</h3>
      <p className="hint" title={folder.dir} data-testid="channel-card-summary">
        {folder.state === 'error' && <span aria-hidden="true">! </span>}{channelSummary(folder)}
      </p>
      <p data-testid="channel-card-verdict">
        {folder.members.length === 0
          ? 'No machine to send to.'
          : behind === 0
            ? `Every machine holds every batch sent (${plural(folder.filesSent, 'file')}).`
            : `${plural(behind, 'machine')} of ${folder.members.length} ${behind === 1 ? 'lacks' : 'lack'} batches:`}
      </p>
      <ul className="channel-card-members" data-testid="channel-card-members">
        {folder.members.map(m => {
          const line = channelMemberLine(m)
          return (
            <li key={m.id} className={line.behind ? 'member-attention' : undefined}>
              <span className="channel-card-who">{line.who}</span> {line.state}
            </li>
          )
        })}
      </ul>
      <p className="hint" data-testid="channel-card-shown">{shownBatch(folder, dist)}</p>
    </section>
  )
}
