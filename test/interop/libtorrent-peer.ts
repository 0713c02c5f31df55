// A reference BitTorrent peer for interop tests and the benchmark: lt_peer.py (libtorrent, the
// most widely used C++ implementation) run as a child process and driven through its JSON lines.
//
// Every wait is bounded, every process is stopped by stop() (SIGTERM, then SIGKILL), and a peer
// whose parent dies stops by itself: the script watches its stdin, which closes with us.
// Failures come back as values (see common/result.ts), never as rejections.

import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { errnoCode, errorMessage, fail, ok, type Failure, type Result } from '../../common/result.js'
import { killGroup } from '../lab/run-command.js'

/** The script this module drives. */
export const LT_PEER_SCRIPT = fileURLToPath(new URL('./lt_peer.py', import.meta.url))

/**
 * The interpreter that has Debian's python3-libtorrent. Not `python3` from PATH, which may be a
 * pyenv build without it. Override with SWARMDROP_LT_PYTHON.
 */
export const DEFAULT_PYTHON = process.env['SWARMDROP_LT_PYTHON'] ?? '/usr/bin/python3'

export const LIBTORRENT_INSTALL_HINT = 'install it with: apt-get install -y python3-libtorrent'

/** Exit codes of lt_peer.py. */
export const LT_EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  timeout: 3,
  interrupted: 4,
  noLibtorrent: 5
} as const

export type LtFailureCode =
  | 'not-available' // python or libtorrent missing
  | 'bad-options' // options that cannot work (a get with no peer to dial)
  | 'spawn-failed' // the command could not be started
  | 'start-timeout' // no "listening" line in time
  | 'exited' // the process ended before the awaited event
  | 'timeout' // our own bounded wait ran out
  | 'peer-error' // the script reported {"event":"error"}

// ------------------------------------------------------------------------------------------------
// The script's output, one JSON object per line

export interface LtListening { readonly event: 'listening', readonly port: number }
export interface LtState { readonly event: 'state', readonly state: string, readonly progress: number }
export interface LtChecked { readonly event: 'checked', readonly seconds: number, readonly progress: number }
export interface LtSeeding { readonly event: 'seeding', readonly seconds: number }
export interface LtProgress {
  readonly event: 'progress'
  readonly progress: number // 0..1
  readonly downloaded: number // payload bytes received this run
  readonly uploaded: number // payload bytes sent this run
  readonly have: number // verified bytes held
  readonly peers: number
  readonly rate: number // download payload bytes/s
  readonly uploadRate: number // upload payload bytes/s
}
export interface LtHashFailed { readonly event: 'hash_failed', readonly piece: number }
export interface LtDone {
  readonly event: 'done'
  readonly seconds: number // from adding the torrent to complete
  readonly downloaded: number
  readonly uploaded: number
  readonly have: number
  readonly hashFailedBytes: number
}
export interface LtStopped {
  readonly event: 'stopped'
  readonly reason: string // 'stay' | 'signal' | 'stdin'
  readonly downloaded?: number
  readonly uploaded?: number
}
export interface LtCreated {
  readonly event: 'created'
  readonly infoHash: string // v1, 40 hex digits
  readonly seconds: number // time spent hashing
  readonly bytesPerSecond: number | null
  readonly pieceLength: number
  readonly pieces: number
  readonly totalSize: number
  readonly name: string
  readonly files: number
  readonly torrent: string
}
export interface LtVersion {
  readonly event: 'version'
  readonly libtorrent: string
  readonly python: string
  readonly executable: string
}
export interface LtError { readonly event: 'error', readonly code: string, readonly message: string }

export type LtEvent =
  | LtListening | LtState | LtChecked | LtSeeding | LtProgress | LtHashFailed | LtDone | LtStopped
  | LtCreated | LtVersion | LtError

export type LtEventName = LtEvent['event']
export type LtEventOf<N extends LtEventName> = Extract<LtEvent, { event: N }>

export interface LtExit {
  /** Exit code, or null when the process died of a signal. */
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

// ------------------------------------------------------------------------------------------------
// Options

export interface LtCommandOptions {
  /** Interpreter with libtorrent; default DEFAULT_PYTHON. */
  readonly python?: string
  /** Run through this first, e.g. ['ip', 'netns', 'exec', 'ns1'] to run inside a namespace. */
  readonly commandPrefix?: readonly string[]
  /** Added to the environment. */
  readonly env?: Readonly<Record<string, string | undefined>>
}

export interface LibtorrentPeerOptions extends LtCommandOptions {
  readonly mode: 'seed' | 'get'
  readonly torrent: string
  /** Folder that holds (seed) or will hold (get) the torrent's file or top folder. */
  readonly savePath: string
  /** 'HOST:PORT' to listen on; port 0 picks a free one. Default '127.0.0.1:0'. */
  readonly listen?: string
  /** 'HOST:PORT' of peers to dial (re-dialled until connected). Required for 'get'. */
  readonly peers?: readonly string[]
  /** Seconds to keep seeding after completion ('get', default 0), or in all ('seed', default: until stop()). */
  readonly staySeconds?: number
  /** The script's own hard bound in seconds (exit 3). Default 300, so nothing outlives a run for long. */
  readonly timeoutSeconds?: number
  /** Seconds between dials of a peer that is not connected. Default 2. */
  readonly redialSeconds?: number
  /**
   * Seed only. 'check' (default): hash the data first and refuse to seed an incomplete copy.
   * 'seed-mode': libtorrent's seed_mode; skips the initial check, but still hashes each piece
   * the first time a peer asks for it, and on a mismatch leaves seed mode (so it never serves bad
   * data). 'trust-data': seed_mode with every piece marked verified: serves the bytes on disk as
   * they are, a damaged copy included.
   */
  readonly trust?: 'check' | 'seed-mode' | 'trust-data'
  /** Turn off peer exchange (ut_pex). */
  readonly noPex?: boolean
  /** Bounded wait for the "listening" line. Default 15 s. */
  readonly startTimeoutMs?: number
}

// ------------------------------------------------------------------------------------------------
// A running peer

export interface LibtorrentPeer {
  /** The TCP port it listens on (as reported, so port 0 resolved). */
  readonly port: number
  readonly pid: number
  /** The newest progress line, if any. */
  readonly lastProgress: LtProgress | undefined
  /** Every line seen so far except progress lines (those are in lastProgress and onEvent). */
  readonly events: readonly LtEvent[]
  /** Set once the process has exited. */
  readonly exitInfo: LtExit | undefined
  /** Resolves when the process exits (never rejects). */
  readonly exited: Promise<LtExit>
  /** Resolves with "done" (a 'get' completed), or fails on an error line, early exit or timeout. */
  waitForDone: (timeoutMs: number) => Promise<Result<LtDone, LtFailureCode>>
  /** The first event with this name (already seen or still to come) that passes `match`. */
  waitForEvent: <N extends LtEventName>(
    name: N, timeoutMs: number, match?: (e: LtEventOf<N>) => boolean
  ) => Promise<Result<LtEventOf<N>, LtFailureCode>>
  /** Every line as it arrives, progress included; returns the unsubscribe function. */
  onEvent: (listener: (e: LtEvent) => void) => () => void
  /** Latest diagnostics from stderr (peer connections, libtorrent errors), for failure messages. */
  stderrTail: () => string
  /** SIGTERM, then SIGKILL after graceMs (default 3 s); resolves once the process is gone. Idempotent. */
  stop: (graceMs?: number) => Promise<LtExit>
}

const DEFAULT_START_TIMEOUT_MS = 15_000
const DEFAULT_SCRIPT_TIMEOUT_S = 300
const DEFAULT_STOP_GRACE_MS = 3_000
const KILL_WAIT_MS = 2_000
const STDERR_TAIL_CHARS = 8_000

/** Starts lt_peer.py seed/get and resolves once it listens. */
export async function startLibtorrentPeer (
  opts: LibtorrentPeerOptions
): Promise<Result<LibtorrentPeer, LtFailureCode>> {
  const args = peerArgs(opts)
  if (!args.ok) return args
  const proc = spawnScript(args.value, opts)
  if (!proc.ok) return proc
  const p = proc.value

  const listening = await p.waitFor('listening', opts.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS)
  if (!listening.ok) {
    await p.stop(DEFAULT_STOP_GRACE_MS)
    const code = listening.error.code === 'timeout' ? 'start-timeout' : listening.error.code
    return fail(code, listening.error.message)
  }
  const port = listening.value.port
  return ok({
    port,
    pid: p.pid,
    get lastProgress () { return p.lastProgress },
    get events () { return p.events },
    get exitInfo () { return p.exitInfo },
    exited: p.exited,
    waitForDone: async (timeoutMs) => await p.waitFor('done', timeoutMs),
    waitForEvent: async (name, timeoutMs, match) => await p.waitFor(name, timeoutMs, match),
    onEvent: (listener) => p.onEvent(listener),
    stderrTail: () => p.stderrTail(),
    stop: async (graceMs) => await p.stop(graceMs ?? DEFAULT_STOP_GRACE_MS)
  })
}

/**
 * Makes a standard v1 torrent of a file or folder with libtorrent (create_torrent +
 * set_piece_hashes); reports its infohash and how long hashing took.
 */
export async function createTorrentWithLibtorrent (
  path: string,
  out: string,
  pieceLength?: number,
  opts: LtCommandOptions & { readonly timeoutMs?: number } = {}
): Promise<Result<LtCreated, LtFailureCode>> {
  const timeoutMs = opts.timeoutMs ?? 120_000
  const args = ['create', '--path', path, '--out', out, '--timeout', String(Math.ceil(timeoutMs / 1000)), '--watch-stdin']
  if (pieceLength !== undefined) args.push('--piece-length', String(pieceLength))
  return await runToEvent(args, 'created', timeoutMs, opts)
}

/** The libtorrent version the script sees, or why it cannot run. */
export async function libtorrentVersion (opts: LtCommandOptions = {}): Promise<Result<LtVersion, LtFailureCode>> {
  const version = await runToEvent(['version'], 'version', 20_000, opts)
  if (version.ok) return version
  if (version.error.code === 'spawn-failed') {
    return fail('not-available', `${version.error.message}; ${LIBTORRENT_INSTALL_HINT} (it brings python3)`)
  }
  if (version.error.code === 'peer-error' && version.error.message.includes('not importable')) {
    return fail('not-available', version.error.message)
  }
  return version
}

/** ok when lt_peer.py can run here; otherwise a one-line reason that says how to fix it. */
export async function libtorrentAvailable (opts: LtCommandOptions = {}): Promise<Result<void, LtFailureCode>> {
  const version = await libtorrentVersion(opts)
  if (!version.ok) return version
  return ok(undefined)
}

// ------------------------------------------------------------------------------------------------
// Internals

function peerArgs (opts: LibtorrentPeerOptions): Result<string[], LtFailureCode> {
  const peers = opts.peers ?? []
  if (opts.mode === 'get' && peers.length === 0) {
    return fail('bad-options', 'a libtorrent get needs at least one peer to dial')
  }
  const args = [
    opts.mode,
    '--torrent', opts.torrent,
    '--save-path', opts.savePath,
    '--listen', opts.listen ?? '127.0.0.1:0',
    '--timeout', String(opts.timeoutSeconds ?? DEFAULT_SCRIPT_TIMEOUT_S),
    '--watch-stdin'
  ]
  for (const peer of peers) args.push('--peer', peer)
  if (opts.staySeconds !== undefined) args.push('--stay', String(opts.staySeconds))
  if (opts.redialSeconds !== undefined) args.push('--redial', String(opts.redialSeconds))
  if (opts.noPex === true) args.push('--no-pex')
  if (opts.mode === 'seed' && opts.trust === 'seed-mode') args.push('--seed-mode')
  if (opts.mode === 'seed' && opts.trust === 'trust-data') args.push('--trust-data')
  return ok(args)
}

/** Runs the script until it exits; returns the first `name` event, or why there was none. */
async function runToEvent<N extends LtEventName> (
  args: readonly string[],
  name: N,
  timeoutMs: number,
  opts: LtCommandOptions
): Promise<Result<LtEventOf<N>, LtFailureCode>> {
  const proc = spawnScript(args, opts)
  if (!proc.ok) return proc
  const p = proc.value
  const got = await p.waitFor(name, timeoutMs)
  if (!got.ok) {
    await p.stop(DEFAULT_STOP_GRACE_MS)
    return got
  }
  // the event is the last thing the script does: let it exit, bounded
  const exit = await Promise.race([p.exited, delay(5_000).then(() => undefined)])
  if (exit === undefined) await p.stop(DEFAULT_STOP_GRACE_MS)
  return got
}

interface ScriptProcess {
  readonly pid: number
  readonly lastProgress: LtProgress | undefined
  readonly events: readonly LtEvent[]
  readonly exitInfo: LtExit | undefined
  readonly exited: Promise<LtExit>
  waitFor: <N extends LtEventName>(
    name: N, timeoutMs: number, match?: (e: LtEventOf<N>) => boolean
  ) => Promise<Result<LtEventOf<N>, LtFailureCode>>
  onEvent: (listener: (e: LtEvent) => void) => () => void
  stderrTail: () => string
  stop: (graceMs: number) => Promise<LtExit>
}

/** Children still running, killed synchronously if this process exits without stopping them. */
const live = new Set<number>()
let exitHookInstalled = false

function installExitHook (): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', () => {
    for (const pid of live) killGroup(pid, 'SIGKILL')
  })
}


function delay (ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref())
}

function describeCommand (argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(' ')
}

function spawnScript (args: readonly string[], opts: LtCommandOptions): Result<ScriptProcess, LtFailureCode> {
  const argv = [...(opts.commandPrefix ?? []), opts.python ?? DEFAULT_PYTHON, LT_PEER_SCRIPT, ...args]
  const [command, ...rest] = argv
  if (command === undefined) return fail('spawn-failed', 'empty command')
  const label = `lt_peer.py ${args[0] ?? ''}`.trim()

  let child: ChildProcess
  try {
    child = spawn(command, rest, {
      env: opts.env === undefined ? process.env : { ...process.env, ...opts.env },
      // own process group: stop() also ends whatever a command prefix forked
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe']
    })
  } catch (err) {
    return fail('spawn-failed', `cannot start ${describeCommand(argv)}: ${errorMessage(err)}`)
  }

  const events: LtEvent[] = []
  const listeners = new Set<(e: LtEvent) => void>()
  let lastProgress: LtProgress | undefined
  let stderr = ''
  let exitInfo: LtExit | undefined
  let spawnError: string | undefined

  const exited = new Promise<LtExit>((resolve) => {
    child.once('error', (err) => {
      // ENOENT and friends: the process never ran
      spawnError = errnoCode(err) === 'ENOENT'
        ? `${command} not found (running ${describeCommand(argv)})`
        : `cannot start ${describeCommand(argv)}: ${errorMessage(err)}`
      if (child.pid === undefined) {
        exitInfo = { code: null, signal: null }
        resolve(exitInfo)
      }
    })
    child.once('close', (code, signal) => {
      exitInfo = { code, signal }
      resolve(exitInfo)
    })
  })
  if (child.pid !== undefined) {
    live.add(child.pid)
    installExitHook()
    void exited.then(() => { if (child.pid !== undefined) live.delete(child.pid) })
  }

  child.stdin?.on('error', () => { /* EPIPE once the script is gone */ })
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS)
  })
  if (child.stdout !== null) {
    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity })
    lines.on('line', (line) => {
      const event = parseEvent(line)
      if (event === undefined) {
        stderr = (stderr + `[stdout] ${line}\n`).slice(-STDERR_TAIL_CHARS)
        return
      }
      if (event.event === 'progress') lastProgress = event
      else events.push(event)
      for (const listener of [...listeners]) listener(event)
    })
  }

  const onEvent = (listener: (e: LtEvent) => void): (() => void) => {
    listeners.add(listener)
    return () => { listeners.delete(listener) }
  }

  const stderrTail = (): string => stderr.split('\n').filter((l) => l.trim() !== '').slice(-15).join('\n')

  /** Why the awaited event can no longer come, now that the process has ended. */
  const ended = (info: LtExit, name: string): { readonly ok: false, readonly error: Failure<LtFailureCode> } => {
    if (spawnError !== undefined) return fail('spawn-failed', spawnError)
    const how = info.code !== null ? `exited with code ${info.code}` : `was killed by ${info.signal ?? 'a signal'}`
    const tail = stderrTail()
    return fail('exited', `${label} ${how} before "${name}"${tail === '' ? '' : `; stderr:\n${tail}`}`)
  }

  const waitFor = async <N extends LtEventName>(
    name: N, timeoutMs: number, match?: (e: LtEventOf<N>) => boolean
  ): Promise<Result<LtEventOf<N>, LtFailureCode>> => {
    const wanted = (e: LtEvent): e is LtEventOf<N> =>
      e.event === name && (match === undefined || match(e as LtEventOf<N>))
    // Progress lines are not kept in `events`; the newest one may be the one asked for.
    const seen = name === 'progress' && lastProgress !== undefined && wanted(lastProgress)
      ? lastProgress
      : events.find(wanted)
    if (seen !== undefined) return ok(seen as LtEventOf<N>)
    const reported = events.find((e): e is LtError => e.event === 'error')
    if (reported !== undefined) return fail('peer-error', `${label}: ${reported.message} [${reported.code}]`)
    if (exitInfo !== undefined) return ended(exitInfo, name)

    return await new Promise((resolve) => {
      let settled = false
      const finish = (result: Result<LtEventOf<N>, LtFailureCode>): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        unsubscribe()
        resolve(result)
      }
      const timer = setTimeout(() => {
        finish(fail('timeout', `${label}: no "${name}" within ${timeoutMs} ms` +
          (lastProgress === undefined ? '' : ` (last progress ${(lastProgress.progress * 100).toFixed(1)}%, ${lastProgress.peers} peers)`) +
          (stderrTail() === '' ? '' : `; stderr:\n${stderrTail()}`)))
      }, timeoutMs)
      const unsubscribe = onEvent((e) => {
        if (wanted(e)) finish(ok(e))
        else if (e.event === 'error') finish(fail('peer-error', `${label}: ${e.message} [${e.code}]`))
      })
      void exited.then((info) => {
        // let the stdout reader deliver lines still buffered before judging
        setImmediate(() => finish(ended(info, name)))
      })
    })
  }

  let stopping: Promise<LtExit> | undefined
  const stop = (graceMs: number): Promise<LtExit> => {
    if (stopping !== undefined) return stopping
    stopping = (async () => {
      if (exitInfo !== undefined || child.pid === undefined) return await exited
      killGroup(child.pid, 'SIGTERM')
      const gone = await Promise.race([exited.then(() => true), delay(graceMs).then(() => false)])
      if (!gone) killGroup(child.pid, 'SIGKILL')
      const info = await Promise.race([exited, delay(KILL_WAIT_MS).then(() => undefined)])
      child.stdin?.destroy()
      return info ?? { code: null, signal: 'SIGKILL' }
    })()
    return stopping
  }

  return ok({
    pid: child.pid ?? -1,
    get lastProgress () { return lastProgress },
    get events () { return events },
    get exitInfo () { return exitInfo },
    exited,
    waitFor,
    onEvent,
    stderrTail,
    stop
  })
}

/** One stdout line as an event, or undefined when it is not one of ours. */
function parseEvent (line: string): LtEvent | undefined {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const event = (value as { event?: unknown }).event
  if (typeof event !== 'string') return undefined
  return value as LtEvent
}
