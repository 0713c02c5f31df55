// The tray icon: the app's presence while the window is hidden. Everything it shows is decided
// by tray-model.ts; this file only keeps the native icon, tooltip and menu in step, touching each
// only when it changes (rebuilding a menu while it is open closes it on some desktops).
import { join } from 'node:path'
import { Menu, Tray, nativeImage, nativeTheme, type MenuItemConstructorOptions } from 'electron'
import type { AppState } from '../../common/api.js'
import {
  currentProblems, menuSignature, trayIconFile, trayIconState, trayMenu, trayTooltip,
  type TrayIconState, type TrayMenuItem
} from './tray-model.js'

export interface TrayActions {
  open (): void
  openDistribution (infoHash: string): void
  pauseAll (): void
  resumeAll (): void
  restartEngine (): void
  quit (): void
}

export class AppTray {
  private readonly tray: Tray
  private readonly seenProblems = new Set<string>()
  private state: AppState | null = null
  private icon = ''
  private tooltip: string
  private menu = ''
  private readonly onTheme = (): void => this.render()

  constructor (private readonly iconsDir: string, private readonly actions: TrayActions) {
    this.tray = new Tray(this.image('idle'))
    this.tooltip = 'Swarmdrop — starting'
    this.tray.setToolTip(this.tooltip)
    this.tray.on('click', () => actions.open())
    nativeTheme.on('updated', this.onTheme)
    this.render()
  }

  update (state: AppState): void {
    this.state = state
    this.render()
  }

  /** The person opened the window: the failures listed there count as seen. */
  problemsSeen (): void {
    if (this.state === null) return
    for (const key of currentProblems(this.state)) this.seenProblems.add(key)
    this.render()
  }

  /** The icon is in the tray (not yet destroyed by Quit). */
  present (): boolean { return !this.tray.isDestroyed() }

  tooltipText (): string { return this.tooltip }

  destroy (): void {
    nativeTheme.off('updated', this.onTheme)
    if (!this.tray.isDestroyed()) this.tray.destroy()
  }

  private image (state: TrayIconState): Electron.NativeImage {
    const theme = nativeTheme.shouldUseDarkColors ? 'dark' : 'light'
    return nativeImage.createFromPath(join(this.iconsDir, trayIconFile(process.platform, state, theme)))
  }

  private render (): void {
    if (this.tray.isDestroyed()) return
    const iconState = this.state === null ? 'idle' : trayIconState(this.state, this.seenProblems)
    const iconKey = `${iconState}:${nativeTheme.shouldUseDarkColors ? 'dark' : 'light'}`
    if (iconKey !== this.icon) {
      this.icon = iconKey
      this.tray.setImage(this.image(iconState))
    }
    if (this.state === null) {
      if (this.menu === '') this.setMenu([{ kind: 'open', label: 'Open Swarmdrop' }, { kind: 'separator' }, { kind: 'quit', label: 'Quit Swarmdrop' }])
      return
    }
    const tooltip = trayTooltip(this.state, this.seenProblems)
    if (tooltip !== this.tooltip) {
      this.tooltip = tooltip
      this.tray.setToolTip(tooltip)
    }
    this.setMenu(trayMenu(this.state))
  }

  private setMenu (items: readonly TrayMenuItem[]): void {
    const signature = menuSignature(items)
    if (signature === this.menu) return
    this.menu = signature
    this.tray.setContextMenu(Menu.buildFromTemplate(items.map(item => this.menuItem(item))))
  }

  private menuItem (item: TrayMenuItem): MenuItemConstructorOptions {
    const { actions } = this
    switch (item.kind) {
      case 'separator': return { type: 'separator' }
      case 'open': return { label: item.label, click: () => actions.open() }
      case 'distribution': return { label: item.label, click: () => actions.openDistribution(item.infoHash) }
      case 'note': return { label: item.label, enabled: false }
      case 'pause-all': return { label: item.label, click: () => actions.pauseAll() }
      case 'resume-all': return { label: item.label, click: () => actions.resumeAll() }
      case 'restart-engine': return { label: item.label, click: () => actions.restartEngine() }
      case 'quit': return { label: item.label, click: () => actions.quit() }
    }
  }
}
