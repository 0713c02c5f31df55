// One `swarmdrop agent --json` process inside a lab host's namespace, started from the built
// CLI: keeps every stdout/stderr line in memory (for assertions and for printing on failure),
// parses its JSON events, waits for events with a deadline, and ends it by SIGTERM (then SIGKILL)
// or kills it outright with SIGKILL to simulate a crash.

import type { ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import type { Lab, LabHost } from '../lab/netns-lab.js'
import { killGroup, waitForExit } from '../lab/run-command.js'
import { isListening, parseAgentEvent, type AgentEvent, type ListeningEvent } from './agent-events.js'

export interface LabAgentSpec {
  readonly lab: Lab
  readonly host: LabHost
  /** Absolute path of the built CLI (dist/main/agent/cli/swarmdrop.js). */
  readonly cli: string
  readonly name: string
  readonly dataDir: string
  readonly downloadsDir: string
  /** Extra environment (e.g. DEBUG=webtorrent* when chasing an engine problem). */
  readonly env?: Readonly<Record<string, string>>
  /** The agent's --accept policy (default all). */
  readonly accept?: 'ask' | 'trusted' | 'all'
  /** More `swarmdrop agent` flags (e.g. --ui). */
  readonly args?: readonly string[]
}

type Waiter = (e: AgentEvent) => void

const MAX_LINES = 50_000
const STOP_GRACE_MS = 5_000
const KILL_WAIT_MS = 3_000

export class LabAgent {
  /** Every line the agent printed in all its runs, tagged "[out]"/"[err]", with run markers. */
  readonly lines: string[] = []
  /** Parsed JSON events of the current run. */
  events: AgentEvent[] = []
  private child: ChildProcess | undefined
  private readonly waiters = new Set<Waiter>()
  private runs = 0

  constructor (readonly spec: LabAgentSpec) {}

  get name (): string { return this.spec.name }

  /** Pid of the running agent (the node process itself: `ip netns exec` execs it). */
  get pid (): number | undefined {
    const c = this.child
    return c !== undefined && c.exitCode === null && c.signalCode === null ? c.pid : undefined
  }

  get running (): boolean { return this.pid !== undefined }

  /** Starts the agent and resolves with its "listening" event, or throws with its output. */
  async start (timeoutMs = 20_000): Promise<ListeningEvent> {
    if (this.running) throw new Error(`${this.name} is already running`)
    const { lab, host, cli, name, dataDir, downloadsDir } = this.spec
    this.runs++
    this.events = []
    this.push(`--- run ${this.runs} started ${new Date().toISOString()} ---`)
    const child = lab.spawn(host, process.execPath, [cli, 'agent', '--name', name, '--data-dir', dataDir, '--downloads', downloadsDir, '--accept', this.spec.accept ?? 'all', '--json', ...(this.spec.args ?? [])],
      this.spec.env === undefined ? {} : { env: this.spec.env })
    this.child = child
    if (child.stdout === null || child.stderr === null) throw new Error(`${name}: spawned without stdout/stderr pipes`)
    createInterface({ input: child.stdout }).on('line', (line) => { this.onLine(line) })
    createInterface({ input: child.stderr }).on('line', (line) => { this.push(`[err] ${line}`) })
    child.once('exit', (code, signal) => { this.push(`--- run exited: code ${String(code)}, signal ${String(signal)} ---`) })
    child.once('error', (err) => { this.push(`--- spawn error: ${err.message} ---`) })
    const listening = await this.waitFor(isListening, timeoutMs, 'its "listening" line', 0)
    return listening
  }

  /**
   * Resolves with the first event matching `match` among this run's events from index `from`
   * (default: only events that arrive after the call); throws on deadline or exit.
   */
  waitFor<T extends AgentEvent> (match: (e: AgentEvent) => e is T, timeoutMs: number, what: string, from?: number): Promise<T>
  waitFor (match: (e: AgentEvent) => boolean, timeoutMs: number, what: string, from?: number): Promise<AgentEvent>
  waitFor (match: (e: AgentEvent) => boolean, timeoutMs: number, what: string, from: number = this.events.length): Promise<AgentEvent> {
    const seen = this.events.slice(from).find(match)
    if (seen !== undefined) return Promise.resolve(seen)
    const child = this.child
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer)
        this.waiters.delete(waiter)
        child?.off('exit', onExit)
      }
      const waiter: Waiter = (e) => { if (match(e)) { done(); resolve(e) } }
      const onExit = (): void => { done(); reject(new Error(`${this.name} exited while waiting for ${what}\n${this.tail()}`)) }
      const timer = setTimeout(() => { done(); reject(new Error(`${this.name}: no ${what} within ${timeoutMs} ms\n${this.tail()}`)) }, timeoutMs)
      if (child === undefined || child.exitCode !== null || child.signalCode !== null) { onExit(); return }
      this.waiters.add(waiter)
      child.once('exit', onExit)
    })
  }

  /** Calls `listener` for each event of the current run from now on; returns the unsubscriber. */
  onEvent (listener: (e: AgentEvent) => void): () => void {
    this.waiters.add(listener)
    return () => { this.waiters.delete(listener) }
  }

  /** SIGKILL, like a crash or a power cut; checks first that the pid is this agent's node process. */
  async kill (): Promise<void> {
    const child = this.child
    const pid = this.pid
    if (child === undefined || pid === undefined) throw new Error(`${this.name} is not running`)
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
    if (cmdline[0] !== process.execPath || !cmdline.includes(this.spec.cli) || !cmdline.includes('agent')) {
      throw new Error(`pid ${pid} is not ${this.name}'s node process: ${cmdline.join(' ')}`)
    }
    // The agent leads its own process group: this reaches it and anything it started.
    killGroup(pid, 'SIGKILL')
    if (!(await waitForExit(child, KILL_WAIT_MS))) throw new Error(`${this.name} (pid ${pid}) survived SIGKILL`)
    this.push(`--- killed with SIGKILL ${new Date().toISOString()} ---`)
  }

  /** SIGTERM (the agent leaves the network cleanly), then SIGKILL if it does not end in time. */
  async stop (): Promise<void> {
    const child = this.child
    const pid = this.pid
    if (child === undefined || pid === undefined) return
    killGroup(pid, 'SIGTERM')
    if (await waitForExit(child, STOP_GRACE_MS)) return
    this.push('--- did not end on SIGTERM; SIGKILL ---')
    killGroup(pid, 'SIGKILL')
    await waitForExit(child, KILL_WAIT_MS)
  }

  /**
   * The last `n` lines for error messages and failure reports, leaving out all but the last three
   * progress lines (one a second per transfer would push everything else out).
   */
  tail (n = 80): string {
    const isProgress = (l: string): boolean => l.includes('"event":"progress"')
    let progressLeft = this.lines.filter(isProgress).length
    const kept = this.lines.filter((l) => !isProgress(l) || progressLeft-- <= 3)
    const shown = kept.slice(-n)
    return [`==== ${this.name} (last ${shown.length} of ${this.lines.length} lines, older progress lines left out) ====`, ...shown].join('\n')
  }

  private onLine (line: string): void {
    this.push(`[out] ${line}`)
    const e = parseAgentEvent(line)
    if (e === undefined) return
    this.events.push(e)
    for (const w of [...this.waiters]) w(e)
  }

  private push (line: string): void {
    if (this.lines.length >= MAX_LINES) this.lines.splice(0, MAX_LINES / 10)
    this.lines.push(line)
  }
}
