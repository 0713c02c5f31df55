// The running desktop app: the engine in its own process (a utilityProcess, supervised: restarted
// if it dies) shared by the window, the tray and the notifications. This process keeps only the
// native parts, so they stay responsive whatever the engine does. main.ts owns the process
// lifecycle; this owns what lives inside it.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { app, type BrowserWindow } from 'electron'
import type { AppState } from '../../common/api.js'
import type { NavigateTarget } from '../../common/ipc.js'
import { EngineSupervisor } from '../core/app/engine-supervisor.js'
import { errorMessage, fail, ok, type Result } from '../../common/result.js'
import type { AppPaths } from './app-paths.js'
import { CLOSE_TO_TRAY_NOTICE, closeAction } from './close-policy.js'
import { CloseNotice, desktopPrefsPath } from './desktop-prefs.js'
import { connectIpc, type IpcBridge } from './ipc.js'
import { applyStartAtLogin } from './login-item.js'
import { spawnEngineProcess } from './engine-process.js'
import { DesktopNotifications } from './notifications.js'
import { installTestHooks } from './test-hooks.js'
import { AppTray } from './tray.js'
import { createMainWindow, revealWindow, secureSession } from './window.js'

/** Long enough for the mDNS goodbye and the journals; short enough that Quit never hangs. */
const STOP_TIMEOUT_MS = 8_000

/** The engine's warnings and the shell's own go to the log (the terminal that started the app). */
function warn (message: string): void {
  console.warn(`swarmdrop: ${message}`)
}

export interface DesktopAppOptions {
  readonly paths: AppPaths
  /** True once Quit was chosen: a closing window then really closes. */
  readonly quitting: () => boolean
  readonly quit: () => void
}

export class DesktopApp {
  private latest: AppState | null = null
  private loginItem: boolean | null = null
  private stopping: Promise<void> | null = null
  private readonly unsubscribe: () => void

  private constructor (
    private readonly opts: DesktopAppOptions,
    private readonly engine: EngineSupervisor,
    private readonly win: BrowserWindow,
    private readonly ipc: IpcBridge,
    private readonly tray: AppTray,
    private readonly notifications: DesktopNotifications,
    private readonly closeNotice: CloseNotice
  ) {
    this.latest = engine.state()
    this.unsubscribe = engine.subscribe(state => this.onState(state))
    win.on('close', event => this.onClose(event))
    win.on('show', () => tray.problemsSeen())
    win.on('focus', () => tray.problemsSeen())
    // Windows log-off or shutdown: leave the LAN cleanly while there is still time.
    win.on('session-end', () => opts.quit())
    this.onState(this.latest)
    installTestHooks({
      execute: raw => engine.handle(raw),
      trayPresent: () => tray.present(),
      trayTooltip: () => tray.tooltipText()
    })
  }

  static async start (opts: DesktopAppOptions): Promise<Result<DesktopApp>> {
    for (const [part, build] of [[opts.paths.rendererIndex, 'npm run build:ui'], [opts.paths.preload, 'npm run build:electron'], [opts.paths.engineHost, 'npm run build']] as const) {
      if (!existsSync(part)) return fail('not-built', `${part} is missing: run ${build} first.`)
    }
    const userData = app.getPath('userData')
    // The device's own files (identity, settings, distributions) apart from Chromium's; the host
    // takes free ports when an agent of this machine holds the default ones.
    const launch = { dataDir: join(userData, 'device') }
    const engine = new EngineSupervisor(() => spawnEngineProcess(opts.paths.engineHost, launch), { stopTimeoutMs: STOP_TIMEOUT_MS, onWarning: warn })
    const first = await engine.start()
    if (!first.ok) return first
    try {
      const settings = first.value.settings
      secureSession()
      const win = createMainWindow(opts.paths, !settings.startHidden)
      const ipc = connectIpc(win, engine, opts.paths.rendererIndexUrl)
      // Assigned below; the tray's and notifications' callbacks run only after start returns.
      let self: DesktopApp | null = null
      const tray = new AppTray(opts.paths.iconsDir, {
        open: () => self?.show(),
        openDistribution: infoHash => self?.show({ view: 'distribution', infoHash }),
        pauseAll: () => { void engine.execute({ type: 'pause' }) },
        resumeAll: () => { void engine.execute({ type: 'resume' }) },
        restartEngine: () => { void engine.execute({ type: 'restart-engine' }) },
        quit: opts.quit
      })
      const notifications = new DesktopNotifications(opts.paths.appIcon, target => self?.show(target))
      self = new DesktopApp(opts, engine, win, ipc, tray, notifications, new CloseNotice(desktopPrefsPath(userData)))
      return ok(self)
    } catch (err) {
      await engine.stop()
      return fail('desktop', `the window could not be created: ${errorMessage(err)}`)
    }
  }

  /** Shows the window (from the tray, a notification, a second launch), on a view if given. */
  show (target?: NavigateTarget): void {
    revealWindow(this.win)
    if (target) this.ipc.navigate(target)
  }

  /** Stops everything once; the engine last, so its mDNS goodbye goes out before the app ends. */
  stop (): Promise<void> {
    this.stopping ??= this.stopAll()
    return this.stopping
  }

  private async stopAll (): Promise<void> {
    this.unsubscribe()
    this.ipc.dispose()
    this.notifications.dispose()
    this.tray.destroy()
    // A graceful stop asked of the engine process; killed if it takes longer than the timeout.
    await this.engine.stop()
  }

  private onState (state: AppState): void {
    this.latest = state
    this.tray.update(state)
    this.notifications.update(state)
    if (state.settings.startAtLogin !== this.loginItem) {
      this.loginItem = state.settings.startAtLogin
      applyStartAtLogin(state.settings.startAtLogin).catch((err: unknown) => {
        warn(`start at login: ${errorMessage(err)}`)
      })
    }
  }

  private onClose (event: Electron.Event): void {
    const action = closeAction({ platform: process.platform, quitting: this.opts.quitting(), state: this.latest })
    if (action === 'quit') {
      // A close that ends the app goes through Quit, so the node stops before the window is gone.
      if (!this.opts.quitting()) {
        event.preventDefault()
        this.opts.quit()
      }
      return
    }
    event.preventDefault()
    this.win.hide()
    void this.closeNotice.claim().then(first => {
      if (first) this.notifications.show(CLOSE_TO_TRAY_NOTICE.title, CLOSE_TO_TRAY_NOTICE.body, () => this.show())
    }, (err: unknown) => warn(`desktop prefs: ${errorMessage(err)}`))
  }
}
