// A SwarmdropApi for unit tests: records every call and answers `ok` (or a reply the test sets),
// and lets the test push state updates as the engine would. The end-to-end test drives real agents.
import type { ApiResult, AppState, CreateOptions, FleetReport, FolderListing, MachineGroup, RemoveReply, SwarmdropApi, WatchedFolder } from '../../../preload/api.js'

type Method = Exclude<keyof SwarmdropApi, 'shell' | 'subscribe'>
export interface Call { readonly method: Method; readonly args: readonly unknown[] }

export class RecordingApi implements SwarmdropApi {
  readonly shell: SwarmdropApi['shell']
  readonly calls: Call[] = []
  private readonly listeners = new Set<(s: AppState) => void>()
  private readonly replies = new Map<Method, ApiResult<unknown>>()

  constructor (public state: AppState) {
    this.shell = state.shell
  }

  /** Makes the next calls of `method` answer `result`. */
  reply (method: Method, result: ApiResult<unknown>): void {
    this.replies.set(method, result)
  }

  push (state: AppState): void {
    this.state = state
    for (const l of this.listeners) l(state)
  }

  get listenerCount (): number { return this.listeners.size }

  callsOf (method: Method): ReadonlyArray<readonly unknown[]> {
    return this.calls.filter(c => c.method === method).map(c => c.args)
  }

  private answer<T> (method: Method, args: readonly unknown[], fallback: T): Promise<ApiResult<T>> {
    this.calls.push({ method, args })
    const set = this.replies.get(method)
    return Promise.resolve((set ?? { ok: true, value: fallback }) as ApiResult<T>)
  }

  getState () { return this.answer('getState', [], this.state) }
  subscribe (listener: (s: AppState) => void) {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  /** Options (progress, cancel) are for uploads, which a test scripts by replacing this method. */
  createFromFiles (files: readonly File[], _opts?: CreateOptions) { return this.answer('createFromFiles', [files], { jobId: 'job-1' }) }
  createFromPath (path: string) { return this.answer('createFromPath', [path], { jobId: 'job-2' }) }
  browse (path?: string) {
    const dir = path ?? '/home/lab'
    const listing: FolderListing = {
      path: dir,
      parent: dir === '/' ? null : dir.slice(0, dir.lastIndexOf('/')) || '/',
      entries: [
        { name: 'isos', kind: 'folder', size: null, link: false },
        { name: 'ubuntu-24.04-server.iso', kind: 'file', size: 2_600_000_000, link: false }
      ],
      truncated: false
    }
    return this.answer('browse', [path], listing)
  }
  offer (infoHash: string, to: readonly string[]) { return this.answer('offer', [infoHash, to], { offered: to.length }) }
  accept (offerId: string, opts?: { readonly downloadsDir?: string; readonly alwaysTrust?: boolean }) {
    return this.answer('accept', [offerId, opts], { infoHash: 'a'.repeat(40) })
  }

  decline (offerId: string) { return this.answer('decline', [offerId], {}) }
  pause (infoHash?: string) { return this.answer('pause', [infoHash], {}) }
  resume (infoHash?: string) { return this.answer('resume', [infoHash], {}) }
  /** Answers as the engine would for this state's distribution: withdrawn on the origin, else cancelled or removed. */
  remove (infoHash: string, opts?: { readonly deleteFiles?: boolean }) {
    const d = this.state.distributions.find(x => x.infoHash === infoHash)
    const self = d?.members.find(m => m.self)
    const verified = self?.verified === true
    const reply: RemoveReply = d === undefined || d.role === 'origin'
      ? { name: d?.name ?? '', outcome: 'withdrawn', told: d?.members.filter(m => !m.self && !m.verified && m.state !== 'declined').length ?? 0, unreached: 0, deletedBytes: 0 }
      : verified
        ? { name: d.name, outcome: 'removed', told: 0, unreached: 0, deletedBytes: opts?.deleteFiles === true ? d.totalLength : 0 }
        : { name: d.name, outcome: 'cancelled', told: 1, unreached: 0, deletedBytes: self?.verifiedBytes ?? 0 }
    return this.answer('remove', [infoHash, opts], reply)
  }

  openFolder (infoHash: string) { return this.answer('openFolder', [infoHash], { path: '/home/lab/ubuntu-24.04-server.iso', opened: true }) }
  chooseFolder () { return this.answer<{ readonly path: string } | null>('chooseFolder', [], null) }
  updateSettings (patch: Parameters<SwarmdropApi['updateSettings']>[0]) {
    return this.answer('updateSettings', [patch], { ...this.state.settings, ...patch })
  }

  trust (id: string) { return this.answer('trust', [id], {}) }
  untrust (id: string) { return this.answer('untrust', [id], {}) }
  pair (host: string, port?: number) { return this.answer('pair', [host, port], { id: '', fingerprint: '', name: host, pairedAddress: `${host}:${port ?? 47620}`, address: host, added: true }) }
  unpair (id: string) { return this.answer('unpair', [id], {}) }
  report (infoHash?: string) {
    const report: FleetReport = { format: 'swarmdrop-report', version: 1, generatedAt: '2026-12-04T10:00:00.000Z', device: { id: this.state.self.id, name: this.state.self.name }, distributions: [] }
    return this.answer('report', [infoHash], report)
  }
  /** Answers with the group as the engine would: each id, named from the machines in the state. */
  setGroup (name: string, ids: readonly string[]) {
    const members = ids.map(id => {
      const m = this.state.machines.find(x => x.id === id)
      return { id, fingerprint: m?.fingerprint ?? id.slice(0, 4), name: m?.name ?? '', online: m?.online ?? false }
    })
    return this.answer<MachineGroup>('setGroup', [name, ids], { name, members, createdAt: '2026-11-22T07:00:00.000Z' })
  }

  deleteGroup (name: string) { return this.answer<{ readonly group: MachineGroup | null }>('deleteGroup', [name], { group: null }) }

  /** Answers with the channel as the engine would, just added: nothing seen or sent yet. */
  watchFolder (path: string, to: { readonly group?: string; readonly ids?: readonly string[]; readonly settleSeconds?: number; readonly mirrorDeletes?: boolean }) {
    const channel: WatchedFolder = {
      id: '0123456789abcdef',
      name: path.split('/').filter(Boolean).at(-1) ?? path,
      dir: path,
      group: to.group ?? null,
      ids: to.ids ?? [],
      settleSeconds: to.settleSeconds ?? 3,
      mirrorDeletes: to.mirrorDeletes ?? false,
      state: 'watching',
      backlogFiles: 0,
      backlogBytes: 0,
      batches: 0,
      filesSent: 0,
      lastBatch: null,
      members: [],
      createdAt: '2026-11-22T07:00:00.000Z'
    }
    return this.answer<WatchedFolder>('watchFolder', [path, to], channel)
  }

  unwatchFolder (channel: string) { return this.answer('unwatchFolder', [channel], { id: channel, dir: channel }) }
  restartEngine () { return this.answer<Record<string, never>>('restartEngine', [], {}) }
}
