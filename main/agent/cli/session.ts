// How a CLI command reaches the device of its data directory: the one running there (an agent,
// or another command's device, found through agent.json), or, when the command needs a device
// and none runs, one started inside this process and registered the same way for its duration.
import { findDevice, resolveDataDir } from '../../core/app/device-lock.js'
import type { DeviceClient } from '../../core/app/device-client.js'
import { LocalClient } from '../../core/app/local-client.js'
import type { NodeOptions } from '../../core/node/swarm-node.js'
import { runAgent, type RunningAgent } from '../run-agent.js'
import { UsageError } from './exit-codes.js'

/** How long a command's own device asks the LAN each second (longer than send's discovery wait). */
const EAGER_DISCOVERY_MS = 15_000

export interface Session {
  readonly client: DeviceClient
  /** Present when this process runs the device itself (none was running). */
  readonly inProcess?: RunningAgent
  close (): Promise<void>
}

export function dataDirOf (value: string | undefined): string {
  return resolveDataDir(value)
}

/** The client of the device running for `dataDir`; undefined when none runs. */
export async function runningAgent (dataDir: string): Promise<LocalClient | undefined> {
  const found = await findDevice(dataDir)
  if (!found.ok) throw new UsageError(found.error.message)
  const a = found.value
  if (a === undefined) return undefined
  const client = new LocalClient(a.localPort, a.token)
  const state = await client.state()
  // Its process lives, so starting another device here would put one identity on the LAN twice.
  if (!state.ok) throw new UsageError(`the device of ${dataDir} (process ${a.pid}) does not answer: ${state.error.message}`)
  return client
}

export async function openSession (dataDir: string, overrides: NonNullable<NodeOptions['overrides']>): Promise<Session> {
  const client = await runningAgent(dataDir)
  if (client) return { client, close: async () => {} }
  // Ephemeral ports: a fixed default may belong to another agent on this machine. The command
  // looks for the others as it starts, so its device asks the LAN each second at first; after that
  // as often as an agent, so a long `send --wait` does not add to every machine's mDNS traffic.
  const started = await runAgent({ dataDir, overrides: { controlPort: 0, btPort: 0, ...overrides }, discoveryEagerForMs: EAGER_DISCOVERY_MS })
  if (!started.ok) {
    // Another command started this data directory's device a moment ago: use that one.
    if (started.error.code === 'device-running') {
      const other = await runningAgent(dataDir)
      if (other) return { client: other, close: async () => {} }
    }
    throw new UsageError(started.error.message)
  }
  const agent = started.value
  return { client: agent.client, inProcess: agent, close: () => agent.stop() }
}
