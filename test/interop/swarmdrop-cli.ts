// The built Swarmdrop CLI (dist/main/agent/cli/swarmdrop.js) run as a child process, for interop tests:
// one-shot commands with a bounded wait (runCli), and long-running ones (a seed) whose JSON lines
// are awaited as they arrive (startCli). Every process is stopped with SIGTERM, then SIGKILL, and
// one still running when this process exits is killed with it.
//
// Failures come back as values (see common/result.ts), never as rejections.

import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { errorMessage, fail, ok, type Result } from '../../common/result.js'
import { killGroup } from '../lab/run-command.js'

/** The built CLI; `npm run build` writes it. */
export const CLI_PATH = fileURLToPath(new URL('../../dist/main/agent/cli/swarmdrop.js', import.meta.url))

/** ok when the built CLI is there; otherwise how to get it. */
export function cliBuilt (): Result<void, 'not-built'> {
  return existsSync(CLI_PATH) ? ok(undefined) : fail('not-built', `${CLI_PATH} is missing: run "npm run build" first`)
}

// ------------------------------------------------------------------------------------------------
// The CLI's --json lines (only the fields the tests read are required)

export interface SdCreated {
  readonly event: 'created'
  readonly infoHash: string
  readonly name: string
  readonly bytes: number
  readonly sha256: string
  readonly torrent: string
}
export interface SdSeeding {
  readonly event: 'seeding'
  readonly infoHash: string
  readonly name: string
  readonly bytes: number
  readonly port: number
}
export interface SdProgress { readonly event: 'progress' }
export interface SdDoneOk {
  readonly event: 'done'
  readonly ok: true
  readonly path: string
  readonly sha256: string
  readonly bytes: number
  readonly seconds: number
}
export interface SdDoneFailed { readonly event: 'done', readonly ok: false, readonly reason: string }
export type SdDone = SdDoneOk | SdDoneFailed

export type SdEvent = SdCreated | SdSeeding | SdProgress | SdDone
export type SdEventName = SdEvent['event']
export type SdEventOf<N extends SdEventName> = Extract<SdEvent, { event: N }>

type Json = Record<string, unknown>

const isStr = (o: Json, k: string): boolean => typeof o[k] === 'string'
const isNum = (o: Json, k: string): boolean => typeof o[k] === 'number'

/** One stdout line as an event, checked field by field; undefined for anything else. */
export function parseSdEvent (line: string): SdEvent | undefined {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const o = value as Json
  switch (o['event']) {
    case 'created':
      return isStr(o, 'infoHash') && isStr(o, 'name') && isNum(o, 'bytes') && isStr(o, 'sha256') && isStr(o, 'torrent')
        ? o as unknown as SdCreated
        : undefined
    case 'seeding':
      return isStr(o, 'infoHash') && isStr(o, 'name') && isNum(o, 'bytes') && isNum(o, 'port') ? o as unknown as SdSeeding : undefined
    case 'progress':
      return { event: 'progress' }
    case 'done':
      if (o['ok'] === true) {
        return isStr(o, 'path') && isStr(o, 'sha256') && isNum(o, 'bytes') && isNum(o, 'seconds') ? o as unknown as SdDoneOk : undefined
      }
      if (o['ok'] === false) return isStr(o, 'reason') ? o as unknown as SdDoneFailed : undefined
      return undefined
    default:
      return undefined
  }
}

// ------------------------------------------------------------------------------------------------
// Running it

export interface CliExit {
  /** Exit code, or null when the process died of a signal. */
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

export interface CliProcess {
  readonly pid: number
  /** Every JSON event line so far, in order. */
  readonly events: readonly SdEvent[]
  readonly stdout: () => string
  readonly stderr: () => string
  readonly exitInfo: CliExit | undefined
  /** Resolves when the process has exited and its output is read (never rejects). */
  readonly exited: Promise<CliExit>
  /** The first event with this name, seen or still to come; fails if the process ends first or time runs out. */
  waitForEvent: <N extends SdEventName>(name: N, timeoutMs: number) => Promise<Result<SdEventOf<N>, 'exited' | 'timeout'>>
  /** SIGTERM, then SIGKILL after graceMs (default 3 s); resolves once the process is gone. Idempotent. */
  stop: (graceMs?: number) => Promise<CliExit>
}

export interface CliRun extends CliExit {
  readonly stdout: string
  readonly stderr: string
  readonly events: readonly SdEvent[]
  /** True when the run was cut off by the time limit (and stopped). */
  readonly timedOut: boolean
}

const DEFAULT_GRACE_MS = 3_000
const KILL_WAIT_MS = 2_000
const OUTPUT_LIMIT = 256 * 1024

const live = new Set<number>()
let exitHookInstalled = false


function delay (ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref())
}

/** Starts `node dist/main/agent/cli/swarmdrop.js ...args`. */
export function startCli (args: readonly string[], opts: { readonly cwd?: string, readonly env?: Readonly<Record<string, string>> } = {}): CliProcess {
  let child: ChildProcess | undefined
  let spawnError: string | undefined
  try {
    child = spawn(process.execPath, [CLI_PATH, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      detached: true, // its own group: stop() reaches anything it might start
      stdio: ['ignore', 'pipe', 'pipe']
    })
  } catch (err) {
    spawnError = errorMessage(err)
  }

  let stdout = ''
  let stderr = ''
  const events: SdEvent[] = []
  const listeners = new Set<(e: SdEvent) => void>()
  let exitInfo: CliExit | undefined

  const exited = new Promise<CliExit>((resolve) => {
    if (child === undefined) {
      stderr = `cannot start the CLI: ${spawnError ?? 'unknown error'}`
      exitInfo = { code: null, signal: null }
      resolve(exitInfo)
      return
    }
    const c = child
    c.once('error', (err) => {
      stderr += `cannot start the CLI: ${errorMessage(err)}\n`
      if (c.pid === undefined) {
        exitInfo = { code: null, signal: null }
        resolve(exitInfo)
      }
    })
    // 'close' comes after both output streams ended, so every line has been seen
    c.once('close', (code, signal) => {
      exitInfo = { code, signal }
      resolve(exitInfo)
    })
  })

  const pid = child?.pid
  if (child !== undefined && pid !== undefined) {
    live.add(pid)
    if (!exitHookInstalled) {
      exitHookInstalled = true
      process.on('exit', () => { for (const p of live) killGroup(p, 'SIGKILL') })
    }
    void exited.then(() => { live.delete(pid) })
    child.stderr?.setEncoding('utf8')
    child.stderr?.on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-OUTPUT_LIMIT) })
    if (child.stdout !== null) {
      createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
        stdout = (stdout + line + '\n').slice(-OUTPUT_LIMIT)
        const event = parseSdEvent(line)
        if (event === undefined) return
        events.push(event)
        for (const listener of [...listeners]) listener(event)
      })
    }
  }

  const describe = (): string => {
    const err = stderr.trim()
    const out = stdout.trim().split('\n').slice(-5).join('\n')
    return `${err === '' ? '' : `\nstderr:\n${err.slice(-4000)}`}${out === '' ? '' : `\nstdout (last lines):\n${out}`}`
  }

  const waitForEvent = async <N extends SdEventName>(name: N, timeoutMs: number): Promise<Result<SdEventOf<N>, 'exited' | 'timeout'>> => {
    const wanted = (e: SdEvent): e is SdEventOf<N> => e.event === name
    const seen = events.find(wanted)
    if (seen !== undefined) return ok(seen)
    const ended = (info: CliExit): Result<SdEventOf<N>, 'exited'> =>
      fail('exited', `swarmdrop ${args[0] ?? ''} ended (code ${String(info.code)}, signal ${String(info.signal)}) before "${name}"${describe()}`)
    if (exitInfo !== undefined) return ended(exitInfo)
    return await new Promise((resolve) => {
      let settled = false
      const finish = (r: Result<SdEventOf<N>, 'exited' | 'timeout'>): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        listeners.delete(listener)
        resolve(r)
      }
      const listener = (e: SdEvent): void => { if (wanted(e)) finish(ok(e)) }
      listeners.add(listener)
      const timer = setTimeout(() => finish(fail('timeout', `swarmdrop ${args[0] ?? ''}: no "${name}" within ${timeoutMs} ms${describe()}`)), timeoutMs)
      void exited.then((info) => {
        const late = events.find(wanted)
        finish(late !== undefined ? ok(late) : ended(info))
      })
    })
  }

  let stopping: Promise<CliExit> | undefined
  const stop = (graceMs = DEFAULT_GRACE_MS): Promise<CliExit> => {
    if (stopping !== undefined) return stopping
    stopping = (async () => {
      if (exitInfo !== undefined || pid === undefined) return await exited
      killGroup(pid, 'SIGTERM')
      const gone = await Promise.race([exited.then(() => true), delay(graceMs).then(() => false)])
      if (!gone) killGroup(pid, 'SIGKILL')
      const info = await Promise.race([exited, delay(KILL_WAIT_MS).then(() => undefined)])
      return info ?? { code: null, signal: 'SIGKILL' }
    })()
    return stopping
  }

  return {
    pid: pid ?? -1,
    events,
    stdout: () => stdout,
    stderr: () => stderr,
    get exitInfo () { return exitInfo },
    exited,
    waitForEvent,
    stop
  }
}

/** Runs a command to its end, or stops it after timeoutMs. */
export async function runCli (
  args: readonly string[],
  timeoutMs: number,
  opts: { readonly cwd?: string, readonly env?: Readonly<Record<string, string>> } = {}
): Promise<CliRun> {
  const p = startCli(args, opts)
  const info = await Promise.race([p.exited, delay(timeoutMs).then(() => undefined)])
  const timedOut = info === undefined
  const exit = info ?? await p.stop()
  return { ...exit, stdout: p.stdout(), stderr: p.stderr(), events: [...p.events], timedOut }
}

/** A one-line human summary of a finished run, for assertion messages. */
export function describeRun (args: readonly string[], run: CliRun): string {
  return `swarmdrop ${args.join(' ')} -> code ${String(run.code)}, signal ${String(run.signal)}${run.timedOut ? ' (timed out)' : ''}\n` +
    `stderr:\n${run.stderr.trim()}\nstdout:\n${run.stdout.trim().split('\n').slice(-8).join('\n')}`
}
