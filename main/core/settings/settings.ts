// A device's settings: stored in settings.json, overridable per run (CLI flags), validated on read
// so a hand-edited file with a typo gives a clear message instead of odd behaviour.
import { hostname } from 'node:os'
import { isDisplayText, MAX_DEVICE_NAME } from '../../../common/network-text.js'
import { fail, ok, type Result } from '../../../common/result.js'
import { isRecord, readJson, writeJson } from '../store/json-file.js'
import { dataPaths, defaultDownloadsDir } from './data-dir.js'

export const ACCEPT_POLICIES = ['ask', 'trusted', 'all'] as const
export type AcceptPolicy = typeof ACCEPT_POLICIES[number]

export interface Settings {
  readonly name: string
  readonly downloadsDir: string
  readonly accept: AcceptPolicy
  readonly btPort: number
  readonly controlPort: number
  /** Bytes per second, 0 = unlimited. */
  readonly uploadLimit: number
  readonly downloadLimit: number
  /** Desktop app only (login item, start in the tray); kept here so both shells agree. */
  readonly startAtLogin: boolean
  readonly startHidden: boolean
}

export const DEFAULT_CONTROL_PORT = 47620
export const DEFAULT_BT_PORT = 47621

export function defaultSettings (): Settings {
  return {
    name: hostname().split('.')[0] || 'swarmdrop',
    downloadsDir: defaultDownloadsDir(),
    accept: 'ask',
    btPort: DEFAULT_BT_PORT,
    controlPort: DEFAULT_CONTROL_PORT,
    uploadLimit: 0,
    downloadLimit: 0,
    startAtLogin: false,
    startHidden: false
  }
}

export function isAcceptPolicy (v: unknown): v is AcceptPolicy {
  return typeof v === 'string' && (ACCEPT_POLICIES as readonly string[]).includes(v)
}

export function validateName (name: string): Result<string> {
  const trimmed = name.trim()
  // The rule every other device applies to this name when it arrives (advert, offer).
  if (!isDisplayText(trimmed, MAX_DEVICE_NAME)) {
    return fail('bad-name', `a device name must be 1 to ${MAX_DEVICE_NAME} printable characters`)
  }
  return ok(trimmed)
}

export function validatePort (port: number, what: string): Result<number> {
  if (!Number.isInteger(port) || port < 0 || port > 65535) return fail('bad-port', `${what} must be a port number from 0 to 65535`)
  return ok(port)
}

/** Applies a partial update after checking every field; unknown keys are refused. */
export function mergeSettings (base: Settings, patch: Record<string, unknown>, source: string): Result<Settings> {
  let next: Settings = base
  for (const [key, value] of Object.entries(patch)) {
    switch (key) {
      case 'name': {
        if (typeof value !== 'string') return fail('bad-settings', `${source}: name must be text`)
        const n = validateName(value)
        if (!n.ok) return n
        next = { ...next, name: n.value }
        break
      }
      case 'downloadsDir':
        if (typeof value !== 'string' || value.length === 0) return fail('bad-settings', `${source}: downloadsDir must be a path`)
        next = { ...next, downloadsDir: value }
        break
      case 'accept':
        if (!isAcceptPolicy(value)) return fail('bad-settings', `${source}: accept must be one of ${ACCEPT_POLICIES.join(', ')}`)
        next = { ...next, accept: value }
        break
      case 'btPort':
      case 'controlPort': {
        const p = validatePort(typeof value === 'number' ? value : NaN, `${source}: ${key}`)
        if (!p.ok) return p
        next = { ...next, [key]: p.value }
        break
      }
      case 'uploadLimit':
      case 'downloadLimit':
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return fail('bad-settings', `${source}: ${key} must be bytes per second (0 = unlimited)`)
        next = { ...next, [key]: Math.round(value) }
        break
      case 'startAtLogin':
      case 'startHidden':
        if (typeof value !== 'boolean') return fail('bad-settings', `${source}: ${key} must be true or false`)
        next = { ...next, [key]: value }
        break
      default:
        return fail('bad-settings', `${source}: unknown setting "${key}"`)
    }
  }
  return ok(next)
}

export async function loadSettings (dataDir: string): Promise<Result<Settings>> {
  const path = dataPaths(dataDir).settings
  const stored = await readJson(path)
  if (!stored.ok) return stored
  if (stored.value === undefined) return ok(defaultSettings())
  if (!isRecord(stored.value)) return fail('bad-settings', `${path} must hold a JSON object`)
  return mergeSettings(defaultSettings(), stored.value, path)
}

export async function saveSettings (dataDir: string, settings: Settings): Promise<void> {
  await writeJson(dataPaths(dataDir).settings, settings)
}
