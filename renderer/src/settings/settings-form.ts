// The settings form as text fields, and the patch it makes: only fields the person changed, checked
// before they leave. Limits are typed in MB/s (decimal, like every size in the UI), stored in bytes/s.
import { MAX_DEVICE_NAME, unsafeCharacters } from '../../../common/network-text.js'
import type { AcceptPolicy, AppSettings, IncomingOffer, SettingsPatch } from '../../../preload/api.js'

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
/** The engine's ceiling (common/commands.ts: 10^12 bytes/s), in the form's unit. */
const MAX_LIMIT_MB = 1_000_000
/** The form shows limits to 0.01 MB/s: a smaller one would read back as 0, which means no limit. */
const MIN_LIMIT_MB = 0.01

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

/** Bytes per second for the text typed, or the sentence that says what to type instead. */
function parseLimit (text: string): { readonly bytes: number } | { readonly error: string } {
  const t = text.trim()
  if (t === '') return { bytes: 0 }
  if (/^-\s*\d/.test(t)) return { error: 'A limit cannot be negative: enter MB/s, or 0 for no limit.' }
  if (!/^\d+(\.\d+)?$/.test(t)) return { error: 'Enter a number of MB/s, or 0 for no limit.' }
  const mb = Number(t)
  if (mb > MAX_LIMIT_MB) return { error: `Enter at most ${MAX_LIMIT_MB.toLocaleString('en-US')} MB/s, or 0 for no limit.` }
  if (mb > 0 && mb < MIN_LIMIT_MB) return { error: `Enter at least ${MIN_LIMIT_MB} MB/s, or 0 for no limit.` }
  return { bytes: Math.round(mb * MB) }
}

/** Why a device name would be refused, as the person who typed it can act on; undefined when fine. */
function nameProblem (name: string): string | undefined {
  if (name === '') return 'Give this device a name other machines will see.'
  if (name.length > MAX_DEVICE_NAME) return `Keep the name to ${MAX_DEVICE_NAME} characters or fewer (this one has ${name.length}).`
  const hidden = unsafeCharacters(name)
  if (hidden.length > 0) {
    // Invisible or reordering characters cannot be seen in the field: name them.
    return `Remove the control or text-direction characters (${hidden.join(', ')}): other machines refuse a name with them.`
  }
  return undefined
}

export function settingsPatch (current: AppSettings, form: SettingsForm): { readonly patch: SettingsPatch; readonly errors: SettingsErrors } {
  const patch: { -readonly [K in keyof AppSettings]?: AppSettings[K] } = {}
  const errors: SettingsErrors = {}

  const name = form.name.trim()
  const badName = nameProblem(name)
  if (badName !== undefined) errors.name = badName
  else if (name !== current.name) patch.name = name

  const dir = form.downloadsDir.trim()
  if (dir === '') errors.downloadsDir = 'Choose the folder where received files go.'
  else if (dir !== current.downloadsDir) patch.downloadsDir = dir

  if (form.accept !== current.accept) patch.accept = form.accept

  for (const key of ['uploadLimit', 'downloadLimit'] as const) {
    const limit = parseLimit(form[key])
    if ('error' in limit) errors[key] = limit.error
    // The same MB/s shown back must not count as a change because of rounding.
    else if (form[key].trim() !== mbText(current[key]) && limit.bytes !== current[key]) patch[key] = limit.bytes
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

/** Errors of the engine's own checks of a field (main/core/app/settings-checks.ts): their messages quote names and paths. */
const FIELD_CODES: Readonly<Record<string, keyof AppSettings>> = {
  'name-taken': 'name',
  'not-writable': 'downloadsDir'
}

/**
 * Which field an engine error is about: by its code where the code says, else from the words of its
 * message (a quoted machine name such as "upload-box" must not move it to another field); null when none fits.
 */
export function fieldOfError (message: string, code?: string): keyof AppSettings | null {
  const byCode = code !== undefined ? FIELD_CODES[code] : undefined
  if (byCode !== undefined) return byCode
  for (const [field, words] of FIELD_WORDS) if (words.test(message)) return field
  return null
}

/**
 * What Save says once the engine took the change. A new accept policy applies to offers that
 * arrive from now on: one already waiting still needs an answer, and "Saved." alone let a person
 * believe it had been taken.
 */
export function savedStatus (before: AppSettings, after: AppSettings, waiting: readonly IncomingOffer[]): string {
  if (after.accept === before.accept || after.accept === 'ask') return 'Saved.'
  const covered = waiting.filter(o => after.accept === 'all' || o.sender.trusted)
  if (covered.length === 0) return 'Saved.'
  const which = covered.length === 1 ? `The offer of ${covered[0]?.name ?? ''} already waiting` : `The ${covered.length} offers already waiting`
  return `Saved. ${which} in Incoming ${covered.length === 1 ? 'still needs' : 'still need'} your answer: the new policy applies to offers that arrive from now on.`
}
