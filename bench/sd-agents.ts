// Swarmdrop agents (`swarmdrop agent --accept all --json`, the built CLI) on lab hosts, started
// together and given time to find each other over mDNS before anything is measured.

import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Lab, LabHost } from '../test/lab/netns-lab.js'
import { LabAgent } from '../test/multi/lab-agent.js'
import { sleep } from './method.js'

export interface AgentHost {
  readonly host: LabHost
  /** Device name (also the --to name). */
  readonly name: string
  /** Extra environment, e.g. the loop-delay probe. */
  readonly env?: Readonly<Record<string, string>>
  /** Another tree's built CLI for this agent (an A/B baseline); the caller's otherwise. */
  readonly cli?: string
}

const START_TIMEOUT_MS = 30_000
const DISCOVERY_TIMEOUT_MS = 30_000

/** Distinct machines an agent has seen come up (all its runs). */
export function peersSeen (agent: LabAgent): number {
  return new Set(agent.lines.filter((l) => l.includes('"event":"peer-up"')).map((l) => /"id":"([^"]+)"/.exec(l)?.[1] ?? l)).size
}

/** A LabAgent with its data and downloads under `dir`/<name>/ (not started). */
export async function labAgent (lab: Lab, cli: string, dir: string, spec: AgentHost): Promise<LabAgent> {
  const downloadsDir = join(dir, spec.name, 'downloads')
  await mkdir(downloadsDir, { recursive: true })
  return new LabAgent({ lab, host: spec.host, cli: spec.cli ?? cli, name: spec.name, dataDir: join(dir, spec.name, 'data'), downloadsDir, accept: 'all', ...(spec.env === undefined ? {} : { env: spec.env }) })
}

/**
 * Starts one agent per spec and waits until each has seen all the others; throws (after stopping
 * them) when one does not start or discovery does not complete in time.
 */
export async function startAgents (lab: Lab, cli: string, dir: string, specs: readonly AgentHost[]): Promise<LabAgent[]> {
  const agents = await Promise.all(specs.map(async (s) => await labAgent(lab, cli, dir, s)))
  try {
    await Promise.all(agents.map(async (a) => await a.start(START_TIMEOUT_MS)))
    const deadline = Date.now() + DISCOVERY_TIMEOUT_MS
    while (agents.some((a) => peersSeen(a) < agents.length - 1)) {
      if (Date.now() > deadline) {
        throw new Error(`discovery: after ${DISCOVERY_TIMEOUT_MS / 1000} s the agents saw ${agents.map((a) => `${a.name}: ${peersSeen(a)}`).join(', ')} of ${agents.length - 1} others\n${agents.map((a) => a.tail(20)).join('\n')}`)
      }
      await sleep(200)
    }
    return agents
  } catch (err) {
    await stopAgents(agents)
    throw err
  }
}

export async function stopAgents (agents: readonly LabAgent[]): Promise<void> {
  await Promise.all(agents.map(async (a) => await a.stop()))
}

/**
 * Every `event` line an agent printed (all its runs, oldest first) as parsed JSON with its own
 * "time": for fields the typed events of test/multi/agent-events.ts leave out.
 */
export function agentLines (agent: LabAgent, event: string): Array<{ readonly time: number; readonly value: Readonly<Record<string, unknown>> }> {
  const out: Array<{ time: number; value: Record<string, unknown> }> = []
  for (const line of agent.lines) {
    if (!line.startsWith('[out] {') || !line.includes(`"event":"${event}"`)) continue
    try {
      const v: unknown = JSON.parse(line.slice('[out] '.length))
      if (typeof v !== 'object' || v === null) continue
      const value = v as Record<string, unknown>
      if (value['event'] !== event) continue
      out.push({ time: typeof value['time'] === 'string' ? Date.parse(value['time']) : NaN, value })
    } catch { /* not JSON after all */ }
  }
  return out
}
