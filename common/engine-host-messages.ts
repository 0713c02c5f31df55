// The messages between the desktop shell and its engine process (main/core/app/engine-host.ts),
// the same over Electron's MessagePort and over a forked Node child's IPC channel: commands with a
// request id, each answered by its ApiResult; the engine's AppState stream; warnings; a graceful
// stop. Both ends validate what they receive: a message that does not fit is dropped and reported,
// never half-used. Plain TypeScript, so the shell, the host and the tests share it.
import { API_VERSION, type ApiResult, type AppState, type Command } from './api.js'
import { parseCommand } from './commands.js'
import { fail, ok, type Failure, type Result } from './result.js'

/** Shell → host. */
export type ShellToHost =
  | { readonly kind: 'command'; readonly id: number; readonly command: Command }
  /** Leave the network cleanly (mDNS goodbye, journals), answer `stopped`, then exit. */
  | { readonly kind: 'stop' }

/** Host → shell. */
export type HostToShell =
  /** The device runs; its first state. */
  | { readonly kind: 'ready'; readonly state: AppState }
  /** The device could not start; the host exits next. */
  | { readonly kind: 'start-failed'; readonly error: Failure }
  /** The latest state: at most a few per second, never an old one after a newer. */
  | { readonly kind: 'state'; readonly state: AppState }
  | { readonly kind: 'result'; readonly id: number; readonly result: ApiResult<unknown> }
  /** Something the device noticed that is worth a log line, not a failure. */
  | { readonly kind: 'warning'; readonly message: string }
  /** The device left the network; the host exits next. */
  | { readonly kind: 'stopped' }

/** What the host process is started with (its command-line arguments). */
export interface EngineLaunch {
  /** The device's own files: identity, settings, distributions and their journals. */
  readonly dataDir: string
  /** Settings for this run only, over settings.json (tests use free ports); validated by the engine. */
  readonly settings?: Readonly<Record<string, unknown>>
}

type Fields = Readonly<Record<string, unknown>>

const bad = (message: string): Result<never> => fail('bad-message', message)

function isObject (v: unknown): v is Fields {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function isRequestId (v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0
}

function isFailure (v: unknown): v is Failure {
  return isObject(v) && typeof v.code === 'string' && typeof v.message === 'string'
}

function isApiResult (v: unknown): v is ApiResult<unknown> {
  if (!isObject(v)) return false
  return v.ok === true ? 'value' in v : v.ok === false && isFailure(v.error)
}

/**
 * The shape of an AppState, checked as deep as a wrong channel would show: piece maps must arrive
 * as bytes (a JSON channel would turn them into plain objects), so a forked host needs the
 * 'advanced' serialization.
 */
export function appStateProblem (v: unknown): string | null {
  if (!isObject(v)) return 'state must be an object'
  if (v.apiVersion !== API_VERSION) return `state is of API version ${String(v.apiVersion)}, this shell speaks ${API_VERSION}`
  if (v.shell !== 'electron' && v.shell !== 'web') return 'state.shell must be electron or web'
  if (!isObject(v.self) || typeof v.self.id !== 'string') return 'state.self must name the device'
  for (const list of ['machines', 'distributions', 'hashing', 'offers'] as const) {
    if (!Array.isArray(v[list])) return `state.${list} must be a list`
  }
  if (!isObject(v.rates) || !isObject(v.settings) || typeof v.seedingPaused !== 'boolean') return 'state must carry rates, settings and seedingPaused'
  for (const d of v.distributions as unknown[]) {
    const pieces = isObject(d) ? d.pieces : undefined
    if (!isObject(pieces) || !(pieces.holders instanceof Uint8Array) || !(pieces.local instanceof Uint8Array)) {
      return 'state.distributions[].pieces must hold byte arrays (is the channel structured-clone?)'
    }
  }
  return null
}

export function parseShellMessage (raw: unknown): Result<ShellToHost> {
  if (!isObject(raw)) return bad('a message must be an object')
  switch (raw.kind) {
    case 'stop': return ok({ kind: 'stop' })
    case 'command': {
      if (!isRequestId(raw.id)) return bad('command.id must be a positive whole number')
      const command = parseCommand(raw.command)
      if (!command.ok) return command
      return ok({ kind: 'command', id: raw.id, command: command.value })
    }
    default: return bad(`unknown message kind ${JSON.stringify(String(raw.kind)).slice(0, 40)}`)
  }
}

export function parseHostMessage (raw: unknown): Result<HostToShell> {
  if (!isObject(raw)) return bad('a message must be an object')
  switch (raw.kind) {
    case 'ready':
    case 'state': {
      const problem = appStateProblem(raw.state)
      if (problem !== null) return bad(problem)
      return ok({ kind: raw.kind, state: raw.state as AppState })
    }
    case 'start-failed':
      return isFailure(raw.error) ? ok({ kind: 'start-failed', error: { code: raw.error.code, message: raw.error.message } }) : bad('start-failed must carry a code and a message')
    case 'result':
      if (!isRequestId(raw.id)) return bad('result.id must be a positive whole number')
      return isApiResult(raw.result) ? ok({ kind: 'result', id: raw.id, result: raw.result }) : bad('result.result must be an ApiResult')
    case 'warning':
      return typeof raw.message === 'string' ? ok({ kind: 'warning', message: raw.message }) : bad('warning.message must be text')
    case 'stopped': return ok({ kind: 'stopped' })
    default: return bad(`unknown message kind ${JSON.stringify(String(raw.kind)).slice(0, 40)}`)
  }
}

const DATA_DIR = '--data-dir'
const SETTINGS = '--settings'
/** The options of the host's command line (launchArgs writes them, parseLaunchArgs reads them). */
export const LAUNCH_FLAGS: readonly string[] = [DATA_DIR, SETTINGS]

export function launchArgs (launch: EngineLaunch): string[] {
  return [DATA_DIR, launch.dataDir, ...(launch.settings ? [SETTINGS, JSON.stringify(launch.settings)] : [])]
}

export function parseLaunchArgs (argv: readonly string[]): Result<EngineLaunch> {
  let dataDir: string | undefined
  let settings: Record<string, unknown> | undefined
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]]
    if (value === undefined) return fail('usage', `${flag ?? ''} needs a value`)
    if (flag === DATA_DIR) {
      dataDir = value
    } else if (flag === SETTINGS) {
      let parsed: unknown
      try {
        parsed = JSON.parse(value)
      } catch {
        return fail('usage', `${SETTINGS} must be a JSON object`)
      }
      if (!isObject(parsed)) return fail('usage', `${SETTINGS} must be a JSON object`)
      settings = { ...parsed }
    } else {
      return fail('usage', `unknown option ${JSON.stringify(flag)}`)
    }
  }
  if (dataDir === undefined || dataDir.length === 0) return fail('usage', `the engine host needs ${DATA_DIR} <folder>`)
  return ok(settings ? { dataDir, settings } : { dataDir })
}
