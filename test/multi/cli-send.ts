// Runs `swarmdrop send ... --wait --json` with the built CLI inside a lab host's namespace
// (bounded), measuring that host's cable counters around it, and parses the summary.

import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Lab, LabCounters, LabHost, RunOutcome } from '../lab/netns-lab.js'
import { parseSendSummary, type SendSummary } from './send-summary.js'

/** The built CLI; the suite runs what `npm run build` produced, not the TypeScript sources. */
export const BUILT_CLI = resolve('dist/main/agent/cli/swarmdrop.js')

export function requireBuiltCli (): string {
  if (!existsSync(BUILT_CLI)) throw new Error(`${BUILT_CLI} is missing: run \`npm run build\` before this suite`)
  return BUILT_CLI
}

export interface SendOptions {
  readonly lab: Lab
  readonly host: LabHost
  readonly path: string
  /** ['--all'] or ['--to', 'NAME'] */
  readonly targets: readonly string[]
  readonly dataDir: string
  readonly name: string
  /** send's own --timeout, in seconds; the process gets a hard deadline a little later. */
  readonly timeoutSeconds: number
  /** Another build's CLI (a benchmark's A/B); the suite's own build when absent. */
  readonly cli?: string
}

export interface SendRun {
  readonly outcome: RunOutcome
  readonly summary: SendSummary | Error
  /** The sender's cable counters just before the send started and just after it ended. */
  readonly before: LabCounters
  readonly after: LabCounters
  readonly wallSeconds: number
}

async function counters (lab: Lab, host: LabHost): Promise<LabCounters> {
  const c = await lab.counters(host)
  if (!c.ok) throw new Error(`counters of ${host.name}: ${c.error.message}`)
  return c.value
}

export async function runSend (o: SendOptions): Promise<SendRun> {
  const before = await counters(o.lab, o.host)
  const started = performance.now()
  const outcome = await o.lab.run(o.host, process.execPath, [
    o.cli ?? requireBuiltCli(), 'send', o.path, ...o.targets, '--wait', '--json',
    '--data-dir', o.dataDir, '--name', o.name, '--timeout', String(o.timeoutSeconds)
  ], { timeoutMs: (o.timeoutSeconds + 20) * 1000 })
  const wallSeconds = (performance.now() - started) / 1000
  const after = await counters(o.lab, o.host)
  return { outcome, summary: parseSendSummary(outcome.stdout), before, after, wallSeconds }
}

/** send's output for an error message. */
export function describeSend (run: SendRun): string {
  const o = run.outcome
  return `send: exit ${String(o.code)}, signal ${String(o.signal)}, timedOut ${String(o.timedOut)}${o.spawnError === undefined ? '' : `, spawn error ${o.spawnError}`}\n` +
    `--- send stdout ---\n${o.stdout.trim()}\n--- send stderr ---\n${o.stderr.trim()}`
}
