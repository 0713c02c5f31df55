// The one mapping from SwarmdropApi methods to contract Commands, and the SwarmdropApi built from
// it over any transport. The desktop preload (ipc-bridge.ts) and the agent's web UI
// (web-bridge.ts) only say how a command, the state and dropped files travel; what each method
// sends is written here once, so the two front ends cannot drift apart.
import type { ApiResult, AppState, Command, CommandReplies, CreateOptions, ShellKind, SwarmdropApi } from '../common/api.js'

/** The API methods that are exactly one Command each (the rest are state and file transport). */
export type CommandMethod = Exclude<keyof SwarmdropApi, 'shell' | 'getState' | 'subscribe' | 'createFromFiles'>

type CommandMapping = { readonly [M in CommandMethod]: (...args: Parameters<SwarmdropApi[M]>) => Command }

/**
 * Method → Command. Optional arguments the caller left out are left out of the command (the
 * contract parser tells "absent" from "undefined"); arrays and patches are copied so a caller's
 * later change cannot alter a command in flight.
 */
export const API_COMMANDS: CommandMapping = {
  createFromPath: path => ({ type: 'create', path }),
  browse: path => path === undefined ? { type: 'browse' } : { type: 'browse', path },
  offer: (infoHash, to) => ({ type: 'offer', infoHash, to: [...to] }),
  accept: (offerId, opts) => ({
    type: 'accept',
    offerId,
    ...(opts?.downloadsDir !== undefined ? { downloadsDir: opts.downloadsDir } : {}),
    ...(opts?.alwaysTrust !== undefined ? { alwaysTrust: opts.alwaysTrust } : {})
  }),
  decline: offerId => ({ type: 'decline', offerId }),
  pause: infoHash => infoHash === undefined ? { type: 'pause' } : { type: 'pause', infoHash },
  resume: infoHash => infoHash === undefined ? { type: 'resume' } : { type: 'resume', infoHash },
  openFolder: infoHash => ({ type: 'open-folder', infoHash }),
  remove: (infoHash, opts) => ({ type: 'remove', infoHash, ...(opts?.deleteFiles !== undefined ? { deleteFiles: opts.deleteFiles } : {}) }),
  chooseFolder: () => ({ type: 'choose-folder' }),
  updateSettings: patch => ({ type: 'update-settings', patch: { ...patch } }),
  trust: id => ({ type: 'trust', id }),
  untrust: id => ({ type: 'untrust', id }),
  report: infoHash => infoHash === undefined ? { type: 'report' } : { type: 'report', infoHash },
  setGroup: (name, ids) => ({ type: 'group-set', name, ids: [...ids] }),
  deleteGroup: name => ({ type: 'group-remove', name }),
  pair: (host, port) => port === undefined ? { type: 'pair', host } : { type: 'pair', host, port },
  unpair: id => ({ type: 'unpair', id }),
  watchFolder: (path, to) => ({ type: 'watch-add', path, ...to, ...(to.ids !== undefined ? { ids: [...to.ids] } : {}) }),
  unwatchFolder: channel => ({ type: 'watch-remove', channel }),
  restartEngine: () => ({ type: 'restart-engine' })
}

/** What a bridge supplies: how commands, state and dropped files travel to the engine. */
export interface BridgeTransport {
  readonly shell: ShellKind
  /** Sends one command; the engine answers with the reply type of that command. */
  send (command: Command): Promise<ApiResult<unknown>>
  getState (): Promise<ApiResult<AppState>>
  subscribe (listener: (state: AppState) => void): () => void
  /** Dropped or chosen files as one path on the engine's machine (resolved here, or uploaded first). */
  pathOfFiles (files: readonly File[], opts: CreateOptions): Promise<ApiResult<string>>
}

export function createBridgeApi (transport: BridgeTransport): SwarmdropApi {
  // Every command method is the same two steps: build its Command from the mapping, send it. The
  // engine answers a command with CommandReplies[its type], which is what the method promises.
  const methods = Object.fromEntries(Object.entries(API_COMMANDS).map(([name, toCommand]) => [
    name,
    (...args: unknown[]) => transport.send((toCommand as (...a: unknown[]) => Command)(...args))
  ])) as unknown as Pick<SwarmdropApi, CommandMethod>
  return {
    ...methods,
    shell: transport.shell,
    getState: () => transport.getState(),
    subscribe: listener => transport.subscribe(listener),
    createFromFiles: async (files, opts = {}) => {
      const path = await transport.pathOfFiles(files, opts)
      if (!path.ok) return path
      return transport.send({ type: 'create', path: path.value }) as Promise<ApiResult<CommandReplies['create']>>
    }
  }
}
