// SwarmdropApi over a request/reply channel and one push channel: the logic of the Electron
// preload without Electron, so it is tested under Node. electron-preload.ts plugs in ipcRenderer
// and webUtils and exposes the result; the renderer never sees the transport. What each method
// sends is api-commands.ts's, shared with the web UI's bridge.
import type { ApiResult, AppState, SwarmdropApi } from '../common/api.js'
import { IPC_COMMAND, IPC_GET_STATE, IPC_STATE } from '../common/ipc.js'
import { errorMessage, fail, ok } from '../common/result.js'
import { createBridgeApi } from './api-commands.js'

export interface IpcTransport {
  invoke (channel: string, payload?: unknown): Promise<unknown>
  /** Adds a listener for pushes on `channel`; returns its removal. */
  on (channel: string, listener: (payload: unknown) => void): () => void
}

/** The file's absolute path on this computer, or '' when it has none (e.g. made in the page). */
export type PathForFile = (file: File) => string

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
    return fail('ipc', `the app did not answer: ${errorMessage(err)}`)
  }
  // The main process builds each reply for the command it was sent, so the value has type T.
  if (isApiResult(reply)) return reply as ApiResult<T>
  return fail('ipc', 'the app answered with something that is not a result')
}

export function createIpcApi (transport: IpcTransport, pathForFile: PathForFile): SwarmdropApi {
  return createBridgeApi({
    shell: 'electron',
    send: command => request<unknown>(transport, IPC_COMMAND, command),
    getState: () => request<AppState>(transport, IPC_GET_STATE),
    subscribe: listener => transport.on(IPC_STATE, state => listener(state as AppState)),
    // The desktop app shares a dropped file where it is: its path on this computer.
    pathOfFiles: async files => {
      const [file, ...rest] = files
      if (file === undefined || rest.length > 0) {
        return fail('bad-request', 'Drop one file or one folder at a time.')
      }
      let path: string
      try {
        path = pathForFile(file)
      } catch {
        path = ''
      }
      if (path === '') return fail('bad-request', `${file.name || 'That item'} is not a file on this computer, so it cannot be sent.`)
      return ok(path)
    }
  })
}
