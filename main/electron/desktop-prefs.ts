// What the desktop shell remembers about the person, apart from the device's settings.json: for
// now only that the close-to-tray notice was shown, so it is shown once per installation.
import { join } from 'node:path'
import { isRecord, readJson, writeJson } from '../core/store/json-file.js'

export interface DesktopPrefs {
  readonly closeToTrayNoticeShown: boolean
}

const DEFAULTS: DesktopPrefs = { closeToTrayNoticeShown: false }

export function desktopPrefsPath (userDataDir: string): string {
  return join(userDataDir, 'desktop.json')
}

/** A missing or damaged file reads as the defaults: at worst a notice is shown once more. */
export async function loadDesktopPrefs (path: string): Promise<DesktopPrefs> {
  const read = await readJson(path)
  if (!read.ok || !isRecord(read.value)) return DEFAULTS
  return { closeToTrayNoticeShown: read.value.closeToTrayNoticeShown === true }
}

export async function saveDesktopPrefs (path: string, prefs: DesktopPrefs): Promise<void> {
  await writeJson(path, prefs)
}

/** claimCloseNotice for one running app: answers from memory after the first claim, so two quick
 * closes cannot both read the file before either writes it. */
export class CloseNotice {
  private claimed = false

  constructor (private readonly path: string) {}

  async claim (): Promise<boolean> {
    if (this.claimed) return false
    this.claimed = true
    return claimCloseNotice(this.path)
  }
}

/**
 * Answers true exactly once per prefs file (the first call that finds it unset) and records it, so
 * a second window close, or a second run of the app, does not repeat the notice.
 */
export async function claimCloseNotice (path: string): Promise<boolean> {
  const prefs = await loadDesktopPrefs(path)
  if (prefs.closeToTrayNoticeShown) return false
  await saveDesktopPrefs(path, { ...prefs, closeToTrayNoticeShown: true })
  return true
}
