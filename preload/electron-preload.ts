// The desktop app's preload: runs sandboxed beside the page and exposes exactly one object,
// `window.swarmdrop` (SwarmdropApi), through contextBridge. ipcRenderer itself never crosses:
// the page can send commands, not arbitrary IPC. Bundled to one CommonJS file because a sandboxed
// preload can `require('electron')` and nothing else (scripts/build-preload.mjs).
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron'
import { IPC_NAVIGATE, navigateHash } from '../common/ipc.js'
import { createIpcApi, type IpcTransport } from './ipc-bridge.js'

const transport: IpcTransport = {
  invoke: (channel, payload) => payload === undefined ? ipcRenderer.invoke(channel) : ipcRenderer.invoke(channel, payload),
  on: (channel, listener) => {
    // Wrapped so the page never receives the event object (it carries `sender`).
    const wrapped = (_event: IpcRendererEvent, payload: unknown): void => listener(payload)
    ipcRenderer.on(channel, wrapped)
    return () => { ipcRenderer.removeListener(channel, wrapped) }
  }
}

contextBridge.exposeInMainWorld('swarmdrop', createIpcApi(transport, file => webUtils.getPathForFile(file)))

// A notification or tray click asks for a view; the renderer follows `#/<view>` in the URL.
ipcRenderer.on(IPC_NAVIGATE, (_event, target: unknown) => {
  const hash = navigateHash(target)
  if (hash !== null) window.location.hash = hash
})
