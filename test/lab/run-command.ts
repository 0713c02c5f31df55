// Bounded child processes for the lab: every command gets a deadline, runs in its own process
// group (so a timeout or teardown also ends whatever it forked), and never hangs its caller.

import { spawn, type ChildProcess } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import { fail, ok, type Result } from '../../common/result.js'

export interface RunOptions {
  /** Hard deadline; the process group gets SIGTERM then SIGKILL when it passes. Default 10 s. */
  readonly timeoutMs?: number
  /** Added to (and overriding) the parent's environment, so PATH and friends stay usable. */
  readonly env?: Readonly<Record<string, string | undefined>>
  readonly cwd?: string
  /** Written to stdin, which is then closed; without it stdin is closed at once. */
  readonly input?: string | Uint8Array
}

export interface RunOutcome {
  /** Exit code, or null when the process died of a signal or never started. */
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  /** True when the deadline ended the process. */
  readonly timedOut: boolean
  /** Why the process could not be started (ENOENT, ...), if it could not. */
  readonly spawnError?: string
}

export const DEFAULT_RUN_TIMEOUT_MS = 10_000
/** How long a process group gets between SIGTERM and SIGKILL. */
export const KILL_GRACE_MS = 1_500
/** Output beyond this is dropped: a runaway child must not exhaust the test's memory. */
const MAX_CAPTURE_BYTES = 16 * 1024 * 1024

/**
 * Signals a whole process group (the child was spawned detached, so its pid is the group id);
 * falls back to the single pid. A group that is already gone is not an error.
 */
export function killGroup (pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    try { process.kill(pid, signal) } catch { /* already gone */ }
  }
}

/** True while a process with this pid exists (as root, EPERM cannot hide one). */
export function pidAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Resolves when the child has exited, or after `ms` at the latest; tells which happened. */
export function waitForExit (child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true)
  return new Promise((resolve) => {
    const timer = setTimeout(() => { child.off('exit', onExit); resolve(false) }, ms)
    const onExit = (): void => { clearTimeout(timer); resolve(true) }
    child.once('exit', onExit)
  })
}

/**
 * Runs a command to completion with a deadline. Never rejects: failures to start, non-zero
 * exits and timeouts are all reported in the outcome. `onSpawn` lets the caller track the
 * child (e.g. so a lab teardown can end it early).
 */
export function runBounded (
  command: string,
  args: readonly string[],
  opts: RunOptions = {},
  onSpawn?: (child: ChildProcess) => void
): Promise<RunOutcome> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS
  return new Promise((resolve) => {
    let child: ChildProcess
    try {
      child = spawn(command, [...args], {
        cwd: opts.cwd,
        env: opts.env === undefined ? process.env : { ...process.env, ...opts.env },
        // Own process group: a timeout kills the command and everything it forked.
        detached: true,
        stdio: ['pipe', 'pipe', 'pipe']
      })
    } catch (err) {
      resolve({ code: null, signal: null, stdout: '', stderr: '', timedOut: false, spawnError: String(err) })
      return
    }
    onSpawn?.(child)

    const out: Buffer[] = []
    const errOut: Buffer[] = []
    let outBytes = 0
    let errBytes = 0
    child.stdout?.on('data', (d: Buffer) => { if (outBytes < MAX_CAPTURE_BYTES) { out.push(d); outBytes += d.length } })
    child.stderr?.on('data', (d: Buffer) => { if (errBytes < MAX_CAPTURE_BYTES) { errOut.push(d); errBytes += d.length } })

    let timedOut = false
    let spawnError: string | undefined
    let settled = false
    const timers: NodeJS.Timeout[] = []
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (settled) return
      settled = true
      for (const t of timers) clearTimeout(t)
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(errOut).toString('utf8'),
        timedOut,
        ...(spawnError === undefined ? {} : { spawnError })
      })
    }

    child.on('error', (err) => {
      spawnError = err.message
      // 'close' does not always follow a failed spawn.
      if (child.pid === undefined) finish(null, null)
    })
    child.on('close', (code, signal) => { finish(code, signal); })

    timers.push(setTimeout(() => {
      timedOut = true
      if (child.pid !== undefined) killGroup(child.pid, 'SIGTERM')
      timers.push(setTimeout(() => {
        if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL')
        // Even if 'close' never comes (a grandchild holding the pipes open), give up waiting.
        timers.push(setTimeout(() => { finish(child.exitCode, child.signalCode); }, KILL_GRACE_MS))
      }, KILL_GRACE_MS))
    }, timeoutMs))

    child.stdin?.on('error', () => { /* the child may exit without reading its input */ })
    if (opts.input !== undefined) child.stdin?.end(opts.input)
    else child.stdin?.end()
  })
}

/**
 * Waits until the child's stdout has printed something matching `pattern` and returns the
 * match; fails if the child exits first or the deadline passes. Used to wait for "listening"
 * style readiness lines instead of sleeping. It sees only output that arrives after the call,
 * and leaves stdout flowing afterwards (unread output is dropped, so the child never blocks).
 */
export function waitForOutput (child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<Result<RegExpMatchArray>> {
  return new Promise((resolve) => {
    let seen = ''
    let errSeen = ''
    const cleanup = (): void => {
      clearTimeout(timer)
      child.stdout?.off('data', onData)
      child.stderr?.off('data', onErr)
      child.off('exit', onExit)
    }
    const onData = (d: Buffer): void => {
      seen += d.toString('utf8')
      const m = seen.match(pattern)
      if (m !== null) { cleanup(); resolve(ok(m)) }
    }
    const onErr = (d: Buffer): void => { if (errSeen.length < 4096) errSeen += d.toString('utf8') }
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      cleanup()
      resolve(fail('exited', `process exited (code ${String(code)}, signal ${String(signal)}) before printing ${String(pattern)}; stderr: ${errSeen.trim()}`))
    }
    const timer = setTimeout(() => {
      cleanup()
      resolve(fail('timeout', `no output matching ${String(pattern)} within ${timeoutMs} ms; stdout so far: ${seen.trim()}; stderr: ${errSeen.trim()}`))
    }, timeoutMs)
    if (child.stdout === null) { cleanup(); resolve(fail('no-stdout', 'child was spawned without a stdout pipe')); return }
    child.stdout.on('data', onData)
    child.stderr?.on('data', onErr)
    child.once('exit', onExit)
  })
}

/**
 * Absolute path of an executable, looked up in PATH and then in the sbin directories that a
 * non-login root shell (or CI) may leave out of PATH.
 */
export function findExecutable (name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/bin', '/bin']
  for (const dir of dirs) {
    if (dir === '') continue
    const candidate = join(dir, name)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch { /* not here */ }
  }
  return undefined
}
