// Start at login, from settings.startAtLogin. Electron can register a login item on macOS and
// Windows; on Linux it cannot, so an XDG autostart entry does the same job there.
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { app } from 'electron'
import { autostartEntry, autostartPath } from './autostart-entry.js'

export async function applyStartAtLogin (openAtLogin: boolean): Promise<void> {
  if (process.platform !== 'linux') {
    app.setLoginItemSettings({ openAtLogin })
    return
  }
  // An unpackaged run is `electron .`: registering the bare Electron binary would start nothing useful.
  if (!app.isPackaged) return
  const path = autostartPath()
  // An AppImage runs from a temporary mount; its stable path is in $APPIMAGE.
  const executable = process.env.APPIMAGE ?? process.execPath
  if (openAtLogin) {
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, autostartEntry(executable))
  } else {
    await rm(path, { force: true })
  }
}
