// SwarmdropApi over a request/reply channel and one push channel: the logic of the Electron
// preload without Electron, so it is tested under Node. electron-preload.ts plugs in ipcRenderer
// and webUtils and exposes the result; the renderer never sees the transport.
import type { ApiResult, AppState, Command, CommandReplies, CommandType, SwarmdropApi } from '../common/api.js'
import { IPC_COMMAND, IPC_GET_STATE, IPC_STATE } from '../common/ipc.js'

export interface IpcTransport {
  invoke (channel: string, payload?: unknown): Promise<unknown>
  /** Adds a listener for pushes on `channel`; returns its removal. */
  on (channel: string, listener: (payload: unknown) => void): () => void
}

/** The file's absolute path on this computer, or '' when it has none (e.g. made in the page). */
export type PathForFile = (file: File) => string

function failure (code: string, message: string): ApiResult<never> {
  return { ok: false, error: { code, message } }
}

function isApiResult (v: unknown): v is ApiResult<unknown> {
  if (typeof v !== 'object' || v === null || !('ok' in v)) return false
  const r = v as { ok: unknown; value?: unknown; error?: unknown }
  if (r.ok === true) return 'value' in r
  if (r.ok !== false || typeof r.error !== 'object' || r.error === null) return false
  const e = r.error as { code?: unknown; message?: unknown }
  return typeof e.code === 'string' && typeof e.message === 'string'
}

async function request<T> (transport: IpcTransport, channel: string, payload?: unknown): Promise<ApiResult<T>> {
  let reply: unknown
  try {
    reply = await transport.invoke(channel, payload)
  } catch (err) {
    return failure('ipc', `the app did not answer: ${err instanceof Error ? err.message : String(err)}`)
  }
  // The main process builds each reply for the command it was sent, so the value has type T.
  if (isApiResult(reply)) return reply as ApiResult<T>
  return failure('ipc', 'the app answered with something that is not a result')
}

export function createIpcApi (transport: IpcTransport, pathForFile: PathForFile): SwarmdropApi {
  const send = <K extends CommandType>(command: Extract<Command, { type: K }>): Promise<ApiResult<CommandReplies[K]>> =>
    request<CommandReplies[K]>(transport, IPC_COMMAND, command)

  return {
    shell: 'electron',
    getState: () => request<AppState>(transport, IPC_GET_STATE),
    subscribe: listener => transport.on(IPC_STATE, state => listener(state as AppState)),
    createFromFiles: async files => {
      const [file, ...rest] = files
      if (file === undefined || rest.length > 0) {
        return failure('bad-request', 'Drop one file or one folder at a time.')
      }
      let path: string
      try {
        path = pathForFile(file)
      } catch {
        path = ''
      }
      if (path === '') return failure('bad-request', `${file.name || 'That item'} is not a file on this computer, so it cannot be sent.`)
      return send({ type: 'create', path })
    },
    createFromPath: path => send({ type: 'create', path }),
    browse: path => send(path === undefined ? { type: 'browse' } : { type: 'browse', path }),
    offer: (infoHash, to) => send({ type: 'offer', infoHash, to: [...to] }),
    accept: (offerId, opts) => send({
      type: 'accept',
      offerId,
      ...(opts?.downloadsDir !== undefined ? { downloadsDir: opts.downloadsDir } : {}),
      ...(opts?.alwaysTrust !== undefined ? { alwaysTrust: opts.alwaysTrust } : {})
    }),
    decline: offerId => send({ type: 'decline', offerId }),
    pause: infoHash => send(infoHash === undefined ? { type: 'pause' } : { type: 'pause', infoHash }),
    resume: infoHash => send(infoHash === undefined ? { type: 'resume' } : { type: 'resume', infoHash }),
    openFolder: infoHash => send({ type: 'open-folder', infoHash }),
    chooseFolder: () => send({ type: 'choose-folder' }),
    updateSettings: patch => send({ type: 'update-settings', patch: { ...patch } }),
    trust: id => send({ type: 'trust', id }),
    untrust: id => send({ type: 'untrust', id }),
    setGroup: (name, ids) => send({ type: 'group-set', name, ids: [...ids] }),
    deleteGroup: name => send({ type: 'group-remove', name }),
    watchFolder: (path, to) => send({ type: 'watch-add', path, ...to, ...(to.ids !== undefined ? { ids: [...to.ids] } : {}) }),
    unwatchFolder: channel => send({ type: 'watch-remove', channel })
  }
}
