// The settings form as text fields, and the patch it makes: only fields the person changed, checked
// before they leave. Limits are typed in MB/s (decimal, like every size in the UI), stored in bytes/s.
import type { AcceptPolicy, AppSettings, SettingsPatch } from '../../../preload/api.js'

export interface SettingsForm {
  readonly name: string
  readonly downloadsDir: string
  readonly accept: AcceptPolicy
  readonly uploadLimit: string
  readonly downloadLimit: string
  readonly startAtLogin: boolean
  readonly startHidden: boolean
}

export type SettingsErrors = Partial<Record<keyof AppSettings, string>>

const MB = 1_000_000
const MAX_NAME = 63

function mbText (bytesPerSecond: number): string {
  return bytesPerSecond <= 0 ? '0' : String(Math.round(bytesPerSecond / MB * 100) / 100)
}

export function formFromSettings (s: AppSettings): SettingsForm {
  return {
    name: s.name,
    downloadsDir: s.downloadsDir,
    accept: s.accept,
    uploadLimit: mbText(s.uploadLimit),
    downloadLimit: mbText(s.downloadLimit),
    startAtLogin: s.startAtLogin,
    startHidden: s.startHidden
  }
}

function parseLimit (text: string): number | null {
  const t = text.trim()
  if (t === '') return 0
  if (!/^\d+(\.\d+)?$/.test(t)) return null
  return Math.round(Number(t) * MB)
}

export function settingsPatch (current: AppSettings, form: SettingsForm): { readonly patch: SettingsPatch; readonly errors: SettingsErrors } {
  const patch: { -readonly [K in keyof AppSettings]?: AppSettings[K] } = {}
  const errors: SettingsErrors = {}

  const name = form.name.trim()
  if (name === '') errors.name = 'Give this device a name other machines will see.'
  else if (name.length > MAX_NAME) errors.name = `Keep the name to ${MAX_NAME} characters or fewer.`
  else if (name !== current.name) patch.name = name

  const dir = form.downloadsDir.trim()
  if (dir === '') errors.downloadsDir = 'Choose the folder where received files go.'
  else if (dir !== current.downloadsDir) patch.downloadsDir = dir

  if (form.accept !== current.accept) patch.accept = form.accept

  for (const key of ['uploadLimit', 'downloadLimit'] as const) {
    const bytes = parseLimit(form[key])
    if (bytes === null) errors[key] = 'Enter a number of MB/s, or 0 for no limit.'
    // The same MB/s shown back must not count as a change because of rounding.
    else if (form[key].trim() !== mbText(current[key]) && bytes !== current[key]) patch[key] = bytes
  }

  if (form.startAtLogin !== current.startAtLogin) patch.startAtLogin = form.startAtLogin
  if (form.startHidden !== current.startHidden) patch.startHidden = form.startHidden
  return { patch, errors }
}

const FIELD_WORDS: ReadonlyArray<readonly [keyof AppSettings, RegExp]> = [
  ['downloadsDir', /downloads?\s*dir|folder|directory/i],
  ['uploadLimit', /upload/i],
  ['downloadLimit', /download\s*limit|downloadLimit/i],
  ['startAtLogin', /login/i],
  ['startHidden', /hidden/i],
  ['accept', /accept|policy/i],
  ['name', /name/i]
]

/** Which field an engine error is about, from the words of its message; null when none fits. */
export function fieldOfError (message: string): keyof AppSettings | null {
  for (const [field, words] of FIELD_WORDS) if (words.test(message)) return field
  return null
}
