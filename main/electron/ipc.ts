// The IPC between the window and the engine: commands in (only from our own page, validated,
// then routed), state out (every throttled AppState pushed to the window).
import { dialog, ipcMain, shell, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import type { ApiResult } from '../../common/api.js'
import { IPC_NAVIGATE, IPC_STATE, type NavigateTarget } from '../../common/ipc.js'
import { fail } from '../../common/result.js'
import type { AppService } from '../core/app/app-service.js'
import { requestHandlers, type DesktopActions } from './command-router.js'
import { isTrustedSender } from './security-policy.js'

const REFUSED: ApiResult<never> = fail('forbidden', 'commands are accepted from the Swarmdrop window only')

export interface IpcBridge {
  /** Asks the window to show a view (after a notification or tray click). */
  navigate (target: NavigateTarget): void
  dispose (): void
}

export function connectIpc (win: BrowserWindow, service: AppService, indexUrl: string): IpcBridge {
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

  const handlers = requestHandlers(service, desktop)
  for (const [channel, handler] of Object.entries(handlers)) {
    ipcMain.handle(channel, async (event, payload: unknown) => trusted(event) ? handler(payload) : REFUSED)
  }

  const send = (channel: string, payload: unknown): void => {
    if (!win.isDestroyed() && !win.webContents.isDestroyed()) win.webContents.send(channel, payload)
  }
  // A hidden window is not drawn: copying a state with big piece maps to it would only cost CPU
  // during a long background transfer. Showing it sends the current state at once.
  const unsubscribe = service.subscribe(state => { if (win.isVisible()) send(IPC_STATE, state) })
  const onShow = (): void => {
    try {
      send(IPC_STATE, service.state())
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
