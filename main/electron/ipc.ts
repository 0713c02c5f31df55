// The IPC between the window and the engine: commands in (only from our own page, validated,
// then routed to the engine process), state out (every AppState the engine sends, with its
// status, pushed to the window).
import { dialog, ipcMain, shell, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import type { ApiResult, AppState } from '../../common/api.js'
import { IPC_NAVIGATE, IPC_STATE, type NavigateTarget } from '../../common/ipc.js'
import { fail } from '../../common/result.js'
import { requestHandlers, type DesktopActions, type EngineService } from './command-router.js'
import { isTrustedSender } from './security-policy.js'

const REFUSED: ApiResult<never> = fail('forbidden', 'commands are accepted from the Swarmdrop window only')

export interface IpcBridge {
  /** Asks the window to show a view (after a notification or tray click). */
  navigate (target: NavigateTarget): void
  dispose (): void
}

/** The engine as the window's IPC needs it: commands, the latest state, and its stream. */
export interface StreamingEngine extends EngineService {
  subscribe (listener: (state: AppState) => void): () => void
}

export function connectIpc (win: BrowserWindow, engine: StreamingEngine, indexUrl: string): IpcBridge {
  const trusted = (event: IpcMainInvokeEvent): boolean => {
    const frame = event.senderFrame
    return isTrustedSender({
      frameUrl: frame?.url ?? null,
      isMainFrame: frame !== null && frame.parent === null,
      fromOurWindow: !win.isDestroyed() && event.sender === win.webContents
    }, indexUrl)
  }
  const desktop: DesktopActions = {
    chooseFolder: async () => {
      const picked = await dialog.showOpenDialog(win, { title: 'Choose a folder', properties: ['openDirectory', 'createDirectory'] })
      return picked.canceled ? null : picked.filePaths[0] ?? null
    },
    showInFolder: path => shell.showItemInFolder(path)
  }

  const handlers = requestHandlers(engine, desktop)
  for (const [channel, handler] of Object.entries(handlers)) {
    ipcMain.handle(channel, async (event, payload: unknown) => trusted(event) ? handler(payload) : REFUSED)
  }

  const send = (channel: string, payload: unknown): void => {
    if (!win.isDestroyed() && !win.webContents.isDestroyed()) win.webContents.send(channel, payload)
  }
  // A hidden window is not drawn: copying a state with big piece maps to it would only cost CPU
  // during a long background transfer. Showing it sends the current state at once.
  const unsubscribe = engine.subscribe(state => { if (win.isVisible()) send(IPC_STATE, state) })
  const onShow = (): void => {
    try {
      send(IPC_STATE, engine.state())
    } catch {
      // The next throttled state follows within a fraction of a second.
    }
  }
  win.on('show', onShow)

  return {
    navigate: target => send(IPC_NAVIGATE, target),
    dispose: () => {
      unsubscribe()
      if (!win.isDestroyed()) win.off('show', onShow)
      for (const channel of Object.keys(handlers)) ipcMain.removeHandler(channel)
    }
  }
}
