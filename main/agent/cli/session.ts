// How a CLI command reaches a device: the agent already running for the data directory, or
// (when the command needs one) a device started inside this process for the command's duration.
import { resolve } from 'node:path'
import { defaultDataDir } from '../../core/settings/data-dir.js'
import type { Settings } from '../../core/settings/settings.js'
import { readAgentFile } from '../agent-file.js'
import { LocalClient } from '../local-client.js'
import { runAgent, type RunningAgent } from '../run-agent.js'
import { UsageError } from './usage-error.js'

export interface Session {
  readonly client: LocalClient
  /** Present when this process runs the device itself (no agent was running). */
  readonly inProcess?: RunningAgent
  close (): Promise<void>
}

export function dataDirOf (value: string | undefined): string {
  return resolve(value ?? defaultDataDir())
}

export async function runningAgent (dataDir: string): Promise<LocalClient | undefined> {
  const a = await readAgentFile(dataDir)
  if (!a) return undefined
  const client = new LocalClient(a.localPort, a.token)
  return (await client.status()).ok ? client : undefined
}

export async function openSession (dataDir: string, overrides: Partial<Settings>): Promise<Session> {
  const client = await runningAgent(dataDir)
  if (client) return { client, close: async () => {} }
  // Ephemeral ports: a fixed default may belong to another agent on this machine.
  const started = await runAgent({ dataDir, overrides: { controlPort: 0, btPort: 0, ...overrides }, discoveryQueryIntervalMs: 1_000 }, false)
  if (!started.ok) throw new UsageError(started.error.message)
  const agent = started.value
  return { client: agent.client, inProcess: agent, close: () => agent.stop() }
}
