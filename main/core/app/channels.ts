// Watched folders through the one door: the watch commands, and each channel as AppState shows it
// (one row: its folder, target, backlog, last batch, and how far each machine is).
import type { ApiResult, ChannelMember, CommandReplies, WatchedFolder } from '../../../common/api.js'
import { fail, ok } from '../../../common/result.js'
import type { ChannelSnapshot } from '../channels/channel.js'
import type { DistributionRecord } from '../distributions/records.js'
import { shortFingerprint } from '../identity/device-id.js'
import type { SwarmNode } from '../node/swarm-node.js'

export interface ChannelSources {
  readonly record: (infoHash: string) => DistributionRecord | undefined
  readonly name: (id: string) => string
  readonly online: (id: string) => boolean
}

export function channelView (c: ChannelSnapshot, src: ChannelSources): WatchedFolder {
  const live = c.progress.batches.filter(b => b.superseded !== true)
  const members = c.targets.map((id): ChannelMember => {
    let behindBatches = 0
    let behindBytes = 0
    for (const b of live) {
      if (!b.to.includes(id)) continue
      const r = src.record(b.infoHash)
      const row = r?.role === 'origin' ? r.recipients.find(x => x.id === id) : undefined
      // Listed for a batch but never offered it: it held those files already (a re-sent batch).
      if (row === undefined || row.state === 'verified') continue
      behindBatches++
      behindBytes += b.totalLength
    }
    return { id, fingerprint: shortFingerprint(id), name: src.name(id), online: src.online(id), behindBatches, behindBytes }
  })
  const last = c.progress.batches.at(-1)
  const lastRecord = last === undefined ? undefined : src.record(last.infoHash)
  const rows = lastRecord?.role === 'origin' ? lastRecord.recipients : []
  // A re-sent batch lists the machines that verified the batch it replaces without offering it to
  // them: they hold its files, so they count as verified (it read "0 of 0 verified").
  const holders = last === undefined ? [] : last.to.filter(id => !rows.some(r => r.id === id))
  return {
    id: c.config.id,
    name: c.config.name,
    dir: c.config.dir,
    group: c.config.group,
    ids: c.config.ids,
    settleSeconds: c.config.settleMs / 1000,
    mirrorDeletes: c.config.mirrorDeletes === true,
    state: c.error !== undefined ? 'error' : c.sending ? 'sending' : 'watching',
    ...(c.error !== undefined ? { reason: c.error } : {}),
    backlogFiles: c.backlogFiles,
    backlogBytes: c.backlogBytes,
    batches: c.progress.batches.length,
    filesSent: Object.keys(c.progress.sent).length,
    lastBatch: last === undefined
      ? null
      : {
          seq: last.seq,
          infoHash: last.infoHash,
          fileCount: last.fileCount,
          totalLength: last.totalLength,
          createdAt: last.createdAt,
          verifiedRecipients: rows.filter(x => x.state === 'verified').length + holders.length,
          recipients: rows.length + holders.length
        },
    members,
    createdAt: c.config.createdAt
  }
}

export function channelSources (node: SwarmNode): ChannelSources {
  return {
    record: infoHash => node.registry.get(infoHash),
    name: id => node.discovery.get(id)?.name ?? node.known.get(id)?.name ?? node.trust.list().find(t => t.id === id)?.name ?? '',
    online: id => node.discovery.get(id) !== undefined
  }
}

export function channelsView (node: SwarmNode): WatchedFolder[] {
  const src = channelSources(node)
  return (node.channels?.list() ?? []).map(c => channelView(c, src)).sort((a, b) => a.dir.localeCompare(b.dir))
}

export interface WatchOptions {
  readonly group?: string
  readonly ids?: readonly string[]
  readonly settleSeconds?: number
  readonly mirrorDeletes?: boolean
}

export async function watchFolder (node: SwarmNode, path: string, opts: WatchOptions): Promise<ApiResult<CommandReplies['watch-add']>> {
  const { group, ids, settleSeconds } = opts
  if (!node.channels) return fail('device-starting', 'the device has not finished starting')
  const added = await node.channels.add({
    dir: path,
    group: group ?? null,
    ids: ids ?? [],
    ...(settleSeconds !== undefined ? { settleMs: Math.round(settleSeconds * 1000) } : {}),
    ...(opts.mirrorDeletes === true ? { mirrorDeletes: true } : {})
  })
  return added.ok ? ok(channelView(added.value, channelSources(node))) : added
}

export async function unwatchFolder (node: SwarmNode, channel: string): Promise<ApiResult<CommandReplies['watch-remove']>> {
  if (!node.channels) return fail('device-starting', 'the device has not finished starting')
  const removed = await node.channels.remove(channel)
  return removed.ok ? ok({ id: removed.value.id, dir: removed.value.dir }) : removed
}
