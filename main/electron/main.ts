// The desktop app's entry (package.json "main"): one instance per user, the engine started once
// on ready, and one orderly way out — every Quit (menu, tray, OS, signal) stops the node first
// (mDNS goodbye, journals) and exits once.
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, dialog } from 'electron'
import { appPaths } from './app-paths.js'
import { installAppMenu } from './app-menu.js'
import { DesktopApp } from './desktop-app.js'

// One profile folder whether run from a checkout (app name "swarmdrop") or packaged
// ("Swarmdrop"); SWARMDROP_USER_DATA gives tests, or a second device on one login, their own.
// Must precede 'ready'.
app.setPath('userData', process.env.SWARMDROP_USER_DATA || join(app.getPath('appData'), 'Swarmdrop'))

// Windows shows notifications only for an app with an id; the installer registers this one.
if (process.platform === 'win32') app.setAppUserModelId('dev.swarmdrop.app')

const paths = appPaths(dirname(fileURLToPath(import.meta.url)))
let desktop: DesktopApp | null = null
/** Settles when the engine has started (or failed to): Quit waits for it, then stops it. */
let startup: Promise<DesktopApp | null> = Promise.resolve(null)
let quitting = false
let stopped = false

const quit = (): void => { app.quit() }

if (!app.requestSingleInstanceLock()) {
  // Another Swarmdrop runs for this user: it has been told (second-instance) and shows itself.
  app.exit(0)
} else {
  app.on('second-instance', () => desktop?.show())
  app.on('activate', () => desktop?.show())
  // The tray keeps the app; quitting is decided by the close policy and Quit, never here.
  app.on('window-all-closed', () => {})
  app.on('before-quit', event => {
    quitting = true
    if (stopped) return
    event.preventDefault()
    const done = (): void => {
      stopped = true
      app.quit()
    }
    void startup.then(d => d?.stop()).then(done, done)
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, quit)

  const cannotStart = (message: string): null => {
    dialog.showErrorBox('Swarmdrop cannot start', message)
    app.exit(1)
    return null
  }
  startup = app.whenReady().then(async () => {
    installAppMenu(quit)
    const started = await DesktopApp.start({ paths, quitting: () => quitting, quit })
    if (!started.ok) return cannotStart(started.error.message)
    desktop = started.value
    return desktop
  }).catch((err: unknown) => cannotStart(err instanceof Error ? err.message : String(err)))
}
