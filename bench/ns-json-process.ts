// A long-running command inside a lab host's namespace whose stdout is JSON lines (the built
// CLI's `seed --json` and `get --json`): keeps each line with the time it arrived, waits for a line
// with a deadline, and stops the process (SIGTERM, then SIGKILL). The lab ends it too if we forget.

import type { ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fail, ok, type Result } from '../common/result.js'
import type { Lab, LabHost } from '../test/lab/netns-lab.js'
import { killGroup, waitForExit } from '../test/lab/run-command.js'

export interface JsonLine {
  /** Date.now() when the line arrived. */
  readonly at: number
  readonly value: Readonly<Record<string, unknown>>
}

export type WaitFailure = 'timeout' | 'exited'

const TAIL_CHARS = 4_000
const MAX_LINES = 20_000
const STOP_GRACE_MS = 5_000
const KILL_WAIT_MS = 3_000

export class NsJsonProcess {
  readonly lines: JsonLine[] = []
  /** Date.now() when it was started. */
  readonly startedAt = Date.now()
  private stderr = ''
  private readonly child: ChildProcess
  private readonly listeners = new Set<(l: JsonLine) => void>()

  constructor (lab: Lab, host: LabHost, readonly label: string, command: string, args: readonly string[], env?: Readonly<Record<string, string>>) {
    this.child = lab.spawn(host, command, args, env === undefined ? {} : { env })
    this.child.stderr?.setEncoding('utf8')
    this.child.stderr?.on('data', (chunk: string) => { this.stderr = (this.stderr + chunk).slice(-TAIL_CHARS) })
    this.child.once('error', (err) => { this.stderr += `\nspawn error: ${err.message}` })
    if (this.child.stdout !== null) {
      createInterface({ input: this.child.stdout, crlfDelay: Infinity }).on('line', (text) => { this.onLine(text) })
    }
  }

  get pid (): number | undefined {
    const c = this.child
    return c.exitCode === null && c.signalCode === null ? c.pid : undefined
  }

  /** The first line (seen or still to come) that passes `match`. */
  async waitFor (match: (v: Readonly<Record<string, unknown>>) => boolean, timeoutMs: number, what: string): Promise<Result<JsonLine, WaitFailure>> {
    const seen = this.lines.find((l) => match(l.value))
    if (seen !== undefined) return ok(seen)
    if (this.pid === undefined) return fail('exited', `${this.label} ended before ${what}${this.tail()}`)
    return await new Promise((resolve) => {
      const done = (r: Result<JsonLine, WaitFailure>): void => {
        clearTimeout(timer)
        this.listeners.delete(listener)
        this.child.off('exit', onExit)
        resolve(r)
      }
      const listener = (l: JsonLine): void => { if (match(l.value)) done(ok(l)) }
      // Lines still in the pipe when the process exits arrive after 'exit': give them a moment.
      const onExit = (): void => { setTimeout(() => { done(fail('exited', `${this.label} ended before ${what}${this.tail()}`)) }, 200) }
      const timer = setTimeout(() => { done(fail('timeout', `${this.label}: no ${what} within ${(timeoutMs / 1000).toFixed(0)} s${this.tail()}`)) }, timeoutMs)
      this.listeners.add(listener)
      this.child.once('exit', onExit)
    })
  }

  /** SIGTERM to its process group, then SIGKILL if it is still there after the grace time. */
  async stop (): Promise<void> {
    const pid = this.pid
    if (pid === undefined) return
    killGroup(pid, 'SIGTERM')
    if (await waitForExit(this.child, STOP_GRACE_MS)) return
    killGroup(pid, 'SIGKILL')
    await waitForExit(this.child, KILL_WAIT_MS)
  }

  /** Last output, for error messages. */
  tail (): string {
    const out = this.lines.slice(-5).map((l) => JSON.stringify(l.value)).join('\n')
    return `\n--- ${this.label} stderr ---\n${this.stderr.trim()}\n--- ${this.label} last stdout lines ---\n${out}`
  }

  private onLine (text: string): void {
    const s = text.trim()
    if (!s.startsWith('{')) return
    let value: unknown
    try { value = JSON.parse(s) } catch { return }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return
    const line: JsonLine = { at: Date.now(), value: value as Record<string, unknown> }
    if (this.lines.length >= MAX_LINES) this.lines.splice(0, MAX_LINES / 10)
    this.lines.push(line)
    for (const l of [...this.listeners]) l(line)
  }
}
