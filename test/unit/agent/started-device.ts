// A device started as `swarmdrop agent` starts it (runAgent), in a fresh data folder, with what
// another process on this machine would use to reach it: the local API's port and token from
// agent.json, and a LocalClient over them.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAgent, type RunningAgent } from '../../../main/agent/run-agent.js'
import { readHolder } from '../../../main/core/app/device-lock.js'
import { LocalClient } from '../../../main/core/app/local-client.js'

export interface StartedDevice {
  readonly dataDir: string
  readonly agent: RunningAgent
  /** http://127.0.0.1:PORT of the local API. */
  readonly base: string
  readonly token: string
  /** The command line's client of a device in another process: over the local API. */
  readonly http: LocalClient
}

export async function startDevice (folderPrefix: string, name: string): Promise<StartedDevice> {
  const dataDir = mkdtempSync(join(tmpdir(), folderPrefix))
  const started = await runAgent({ dataDir, overrides: { btPort: 0, controlPort: 0, name } })
  if (!started.ok) throw new Error(started.error.message)
  const holder = await readHolder(dataDir)
  if (holder?.state !== 'running') throw new Error('the device did not publish agent.json')
  const { localPort, token } = holder.agent
  return { dataDir, agent: started.value, base: `http://127.0.0.1:${localPort}`, token, http: new LocalClient(localPort, token) }
}
