// Every watched folder of a device: loaded from the data directory when the device starts, added
// and removed by command, stopped with the device. See channel.ts for one channel at work.
import { stat } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import { errorMessage, fail, ok, type Result } from '../../../common/result.js'
import { unsafeComponentReason } from '../torrent/safe-path.js'
import { Channel, type ChannelHost, type ChannelSnapshot } from './channel.js'
import { ChannelStore, newChannelId, type ChannelConfig } from './channel-store.js'

export const DEFAULT_SETTLE_MS = 3_000

export interface WatchRequest {
  readonly dir: string
  readonly group: string | null
  readonly ids: readonly string[]
  readonly settleMs?: number
  readonly mirrorDeletes?: boolean
}

export class Channels {
  private readonly running = new Map<string, Channel>()

  private constructor (private readonly store: ChannelStore, private readonly host: ChannelHost) {}

  /** Loads the channels of `dataDir` and starts watching each (one whose progress is unreadable is skipped, with a warning). */
  static async start (dataDir: string, host: ChannelHost): Promise<Result<Channels>> {
    const store = await ChannelStore.load(dataDir)
    if (!store.ok) return store
    const channels = new Channels(store.value, host)
    for (const c of store.value.list()) {
      const progress = await store.value.loadProgress(c.id)
      if (!progress.ok) {
        host.warn(`watched folder ${c.dir} is not watched: ${progress.error.message}`)
        continue
      }
      channels.run(new Channel(c, progress.value, host, store.value))
    }
    return ok(channels)
  }

  list (): ChannelSnapshot[] { return [...this.running.values()].map(c => c.snapshot()) }

  /** The channel with that id, or watching that folder. */
  find (idOrDir: string): Channel | undefined {
    const dir = resolve(idOrDir)
    return this.running.get(idOrDir) ?? [...this.running.values()].find(c => c.config.dir === dir)
  }

  async add (req: WatchRequest): Promise<Result<ChannelSnapshot>> {
    const dir = resolve(req.dir)
    try {
      if (!(await stat(dir)).isDirectory()) return fail('not-a-folder', `${dir} is not a folder: watch a folder`)
    } catch (err) {
      return fail('not-found', `cannot watch ${dir}: ${errorMessage(err)}`)
    }
    const name = basename(dir)
    const unsafe = unsafeComponentReason(name)
    if (unsafe !== undefined) return fail('bad-name', `${dir}: its name has ${unsafe}; rename it first`)
    if (this.find(dir) !== undefined) return fail('duplicate', `${dir} is watched already`)
    if (req.group === null && req.ids.length === 0) return fail('bad-request', 'say where to send: a group, machines, or both')
    if (req.group !== null && this.host.groupMembers(req.group) === undefined) return fail('not-found', `there is no group ${req.group}`)
    const config: ChannelConfig = {
      id: newChannelId(),
      dir,
      name,
      group: req.group,
      ids: [...new Set(req.ids)],
      settleMs: req.settleMs ?? DEFAULT_SETTLE_MS,
      ...(req.mirrorDeletes === true ? { mirrorDeletes: true } : {}),
      createdAt: new Date().toISOString()
    }
    const added = await this.store.add(config)
    if (!added.ok) return added
    const channel = new Channel(config, { sent: {}, batches: [] }, this.host, this.store)
    this.run(channel)
    return ok(channel.snapshot())
  }

  /** Stops watching; what was sent stays where it went, and its distributions stay shared. */
  async remove (idOrDir: string): Promise<Result<ChannelConfig>> {
    const channel = this.find(idOrDir)
    if (!channel) return fail('not-found', `no watched folder ${idOrDir}`)
    await channel.stop()
    this.running.delete(channel.config.id)
    const removed = await this.store.remove(channel.config.id)
    return removed.ok ? ok(channel.config) : removed
  }

  async stop (): Promise<void> {
    await Promise.all([...this.running.values()].map(async c => await c.stop()))
  }

  private run (channel: Channel): void {
    this.running.set(channel.config.id, channel)
    channel.start()
  }
}
