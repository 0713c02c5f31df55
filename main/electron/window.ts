// The app's one window and the session rules around it: sandboxed, context-isolated, no Node in
// the page, a strict CSP on every response, no navigation, no new windows, no permissions.
import { BrowserWindow, session, type Session } from 'electron'
import type { AppPaths } from './app-paths.js'
import { mayNavigate, withCsp } from './security-policy.js'

/** Session-wide rules; installed once, before the window loads anything. */
export function secureSession (ses: Session = session.defaultSession): void {
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCsp(details.responseHeaders) })
  })
  // Camera, notifications from the page, clipboard, geolocation...: the UI needs none of them
  // (OS notifications come from the main process).
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  ses.setPermissionCheckHandler(() => false)
}

export function createMainWindow (paths: AppPaths, show: boolean): BrowserWindow {
  const win = new BrowserWindow({
    width: 1180,
    height: 760,
    minWidth: 760,
    minHeight: 520,
    show: false,
    title: 'Swarmdrop',
    icon: paths.appIcon,
    autoHideMenuBar: true,
    webPreferences: {
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false
    }
  })
  const contents = win.webContents
  contents.on('will-navigate', (event, url) => {
    if (!mayNavigate(url, paths.rendererIndexUrl)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!mayNavigate(url, paths.rendererIndexUrl)) event.preventDefault()
  })
  contents.on('will-attach-webview', event => event.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  if (show) win.once('ready-to-show', () => win.show())
  void win.loadFile(paths.rendererIndex)
  return win
}

/** Brings the window to the front, restoring it from the tray or the taskbar. */
export function revealWindow (win: BrowserWindow): void {
  if (win.isDestroyed()) return
  if (win.isMinimized()) win.restore()
  win.show()
  win.focus()
}
