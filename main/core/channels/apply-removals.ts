// A member's side of --mirror-deletes: the sender of a channel says files were removed from the
// watched folder; this device removes its copies, but only inside the folder that sender's batches
// of that channel went to, only regular files (never a link, never a folder), only at paths the
// torrent path rules accept, and only while the file still is the version that was sent (its
// SHA-256): a file edited here, or already replaced by a newer batch, stays.
import { lstat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { fail, ok, type Result } from '../../../common/result.js'
import type { DistributionRecord } from '../distributions/records.js'
import { sha256OfFiles } from '../hashing/hash-files.js'
import type { ChannelRemovals } from '../protocol/channel-removals.js'
import { resolveInside, unsafePathReason } from '../torrent/safe-path.js'

export interface RemovalOutcome { readonly removed: number; readonly kept: number }

/** The channel folder `sender`'s batches of `channel` went to here, from this device's records. */
export function channelFolder (records: readonly DistributionRecord[], sender: string, channel: string): string | undefined {
  const r = records.find(x => x.role === 'recipient' && x.channel?.id === channel && x.sender.id === sender)
  return r?.role === 'recipient' ? join(r.downloadsDir, r.finalName) : undefined
}

export async function applyRemovals (records: readonly DistributionRecord[], sender: string, msg: ChannelRemovals): Promise<Result<RemovalOutcome>> {
  const folder = channelFolder(records, sender, msg.channel)
  if (folder === undefined) return fail('not-found', `no batch of channel ${msg.channel} from that device is here`)
  let removed = 0
  let kept = 0
  for (const r of msg.removals) {
    const components = r.path.split('/')
    const target = unsafePathReason(components) === undefined ? resolveInside(folder, components) : undefined
    if (target === undefined) return fail('unsafe-path', `a removal names a path outside the channel folder: ${JSON.stringify(r.path.slice(0, 80))}`)
    // No folder on the way may be a link: removing through one would reach outside the channel folder.
    if (!(await realFolders(folder, components.slice(0, -1)))) { kept++; continue }
    const st = await lstat(target).catch(() => undefined)
    if (!st?.isFile()) { kept++; continue }
    const digest = await sha256OfFiles([{ path: target, length: st.size }])
    if (!digest.ok || digest.value[0] !== r.sha256) { kept++; continue }
    await unlink(target).then(() => { removed++ }, () => { kept++ })
  }
  return ok({ removed, kept })
}

async function realFolders (root: string, dirs: readonly string[]): Promise<boolean> {
  let at = root
  for (const d of ['', ...dirs]) {
    at = d === '' ? at : join(at, d)
    const st = await lstat(at).catch(() => undefined)
    if (st === undefined || st.isSymbolicLink() || !st.isDirectory()) return false
  }
  return true
}
