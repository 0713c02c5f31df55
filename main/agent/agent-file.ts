// agent.json in the data directory says that an agent runs for it, where, and with which token.
// The CLI uses it to talk to that agent instead of starting one; the token (owner-only file)
// keeps other local users from driving the agent through its loopback API.
import { randomBytes } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { dataPaths } from '../core/settings/data-dir.js'
import { isRecord, readJson, writeJson } from '../core/store/json-file.js'

export interface AgentFile {
  readonly pid: number
  /** The device's control port (mutual TLS, for other devices). */
  readonly controlPort: number
  /** The local API's port: plain HTTP on 127.0.0.1, for this machine's CLI and UI. */
  readonly localPort: number
  readonly token: string
  readonly startedAt: string
}

export function newToken (): string { return randomBytes(24).toString('base64url') }

export async function writeAgentFile (dataDir: string, a: AgentFile): Promise<void> {
  await writeJson(dataPaths(dataDir).agent, a, 0o600)
}

export async function removeAgentFile (dataDir: string, pid: number): Promise<void> {
  const current = await readAgentFile(dataDir)
  if (current?.pid === pid) await rm(dataPaths(dataDir).agent, { force: true })
}

/** The agent file if its process is still alive; a stale one is ignored. */
export async function readAgentFile (dataDir: string): Promise<AgentFile | undefined> {
  const r = await readJson(dataPaths(dataDir).agent)
  if (!r.ok || !isRecord(r.value)) return undefined
  const { pid, controlPort, localPort, token, startedAt } = r.value
  if (typeof pid !== 'number' || typeof controlPort !== 'number' || typeof localPort !== 'number' || typeof token !== 'string') return undefined
  try {
    process.kill(pid, 0)
  } catch (err) {
    if ((err as { code?: string }).code !== 'EPERM') return undefined
  }
  return { pid, controlPort, localPort, token, startedAt: typeof startedAt === 'string' ? startedAt : '' }
}
