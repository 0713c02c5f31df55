// One device per data directory: agent.json says which process runs the device of a data
// directory, and, once it listens, where its local API is and with which token. Every command
// that runs a device (`agent`, and `send` or `peers` when none runs) claims the file first, by
// creating it exclusively; every other command for that data directory reads it and talks to that
// device. So no two processes ever run one identity on the LAN. A claim whose process is gone (a
// crash) is stale and taken over. The token (owner-only file) keeps other local users out.
// On Linux the claim also records its process's start time (/proc/PID/stat), so a claim whose pid
// was reused by another process after a crash is seen as stale too.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { open, readFile, rm } from 'node:fs/promises'
import { resolve } from 'node:path'
import { errnoCode, errorMessage, fail, ok, type Result } from '../../../common/result.js'
import { dataPaths, defaultDataDir } from '../settings/data-dir.js'
import { isRecord, writeJson } from '../store/json-file.js'
import { mkdirPrivate, PRIVATE_FILE_MODE } from '../store/private-files.js'

/** The data directory a command means: the one it was given, else this user's default; absolute. */
export function resolveDataDir (given: string | undefined): string {
  return resolve(given ?? defaultDataDir())
}

/** A running device, as agent.json publishes it. */
export interface AgentFile {
  readonly pid: number
  /** The device's control port (mutual TLS, for other devices). */
  readonly controlPort: number
  /** The local API's port: plain HTTP on 127.0.0.1, for this machine's CLI. */
  readonly localPort: number
  readonly token: string
  readonly startedAt: string
  /** The process's start time in clock ticks since boot (Linux /proc/PID/stat field 22); absent elsewhere. */
  readonly procStart?: string
}

/** Who holds a data directory: a device still starting (no ports yet), or one that listens. */
export type Holder =
  | { readonly state: 'starting'; readonly pid: number; readonly startedAt: string; readonly procStart?: string }
  | { readonly state: 'running'; readonly agent: AgentFile }

/** This process's hold on a data directory. */
export interface DeviceClaim {
  /** Says where the device listens; the other commands find it from then on. */
  publish (ports: { readonly controlPort: number; readonly localPort: number }, token: string): Promise<void>
  /** Gives the data directory up (only if this process still holds it). */
  release (): Promise<void>
}

export function newToken (): string { return randomBytes(24).toString('base64url') }

/**
 * When process `pid` started, in clock ticks since boot (field 22 of /proc/PID/stat); undefined
 * where there is no /proc (not Linux) or no such process. Unique per pid over a boot, unlike the pid.
 */
export function processStartTime (pid: number): string | undefined {
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined
  }
  // Field 2 (comm) is in parentheses and may hold spaces or ')': count from after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const start = fields[22 - 3]
  return start !== undefined && /^\d+$/.test(start) ? start : undefined
}

function pidAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: it exists, under another user.
    return errnoCode(err) === 'EPERM'
  }
}

/** Whether the process that made a claim still runs: its pid lives and, where known, started when the claim says. */
function alive (h: Holder): boolean {
  const pid = pidOf(h)
  if (!pidAlive(pid)) return false
  const claimed = procStartOf(h)
  if (claimed === undefined) return true // no start time recorded (not Linux, or an older claim): the pid check is all there is
  const now = processStartTime(pid)
  return now === undefined || now === claimed
}

function holderOf (raw: unknown): Holder | undefined {
  if (!isRecord(raw) || typeof raw.pid !== 'number') return undefined
  const startedAt = typeof raw.startedAt === 'string' ? raw.startedAt : ''
  const procStart = typeof raw.procStart === 'string' ? { procStart: raw.procStart } : {}
  const { pid, controlPort, localPort, token } = raw
  if (typeof controlPort === 'number' && typeof localPort === 'number' && typeof token === 'string') {
    return { state: 'running', agent: { pid, controlPort, localPort, token, startedAt, ...procStart } }
  }
  return { state: 'starting', pid, startedAt, ...procStart }
}

async function readHolderFile (path: string): Promise<{ readonly text: string; readonly holder: Holder | undefined } | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    return undefined
  }
  try {
    return { text, holder: holderOf(JSON.parse(text) as unknown) }
  } catch {
    // Half written by a claim in progress, or damaged: a claim in progress finishes in a moment.
    return { text, holder: undefined }
  }
}

function pidOf (h: Holder): number { return h.state === 'running' ? h.agent.pid : h.pid }
function procStartOf (h: Holder): string | undefined { return h.state === 'running' ? h.agent.procStart : h.procStart }

/** The live holder of the data directory, if any; a claim of a dead process counts as none. */
export async function readHolder (dataDir: string): Promise<Holder | undefined> {
  const h = (await readHolderFile(dataPaths(dataDir).agent))?.holder
  return h !== undefined && alive(h) ? h : undefined
}

/** How long a command waits for a device that is starting (resuming distributions) to listen. */
const STARTING_WAIT_MS = 60_000

/** The running device of the data directory, waiting while one is starting; undefined when none runs. */
export async function findDevice (dataDir: string, waitMs = STARTING_WAIT_MS): Promise<Result<AgentFile | undefined>> {
  const until = Date.now() + waitMs
  for (;;) {
    const h = await readHolder(dataDir)
    if (h === undefined) return ok(undefined)
    if (h.state === 'running') return ok(h.agent)
    if (Date.now() >= until) return fail('device-starting', `the device of ${dataDir} (process ${h.pid}) is still starting after ${Math.round(waitMs / 1000)} s`)
    await new Promise(resolve => setTimeout(resolve, 200))
  }
}

/**
 * Claims the data directory for this process: creates agent.json exclusively, taking over a
 * claim whose process is gone. Fails with `device-running` when a live process holds it.
 */
export async function claimDataDir (dataDir: string): Promise<Result<DeviceClaim>> {
  const path = dataPaths(dataDir).agent
  const startedAt = new Date().toISOString()
  const procStart = processStartTime(process.pid)
  await mkdirPrivate(dataDir)
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const file = await open(path, 'wx', PRIVATE_FILE_MODE)
      try {
        await file.writeFile(JSON.stringify({ pid: process.pid, startedAt, procStart }) + '\n')
      } finally {
        await file.close()
      }
      return ok(claimOf(dataDir, startedAt, procStart))
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') return fail('unwritable', `cannot claim ${dataDir} for this device: ${errorMessage(err)}`)
    }
    const seen = await readHolderFile(path)
    if (seen === undefined) continue // released meanwhile: claim again
    const h = seen.holder
    if (h !== undefined && alive(h)) return fail('device-running', `a device already runs for ${dataDir} (process ${pidOf(h)})`)
    if (h === undefined && attempt < 2) {
      // Possibly a claim being written this instant: look again before calling it stale.
      await new Promise(resolve => setTimeout(resolve, 100))
      continue
    }
    // Stale: its process is gone (or its pid now belongs to another process). Removed only if unchanged since read, so a fresh claim by
    // another process taking over at the same moment is not removed with it.
    const again = await readHolderFile(path)
    if (again?.text === seen.text) await rm(path, { force: true })
  }
  return fail('device-running', `cannot claim ${dataDir}: another process keeps claiming it`)
}

function claimOf (dataDir: string, startedAt: string, procStart: string | undefined): DeviceClaim {
  const path = dataPaths(dataDir).agent
  return {
    publish: async (ports, token) => {
      const agent: AgentFile = { pid: process.pid, controlPort: ports.controlPort, localPort: ports.localPort, token, startedAt, ...(procStart !== undefined ? { procStart } : {}) }
      await writeJson(path, agent, PRIVATE_FILE_MODE)
    },
    release: async () => {
      const h = (await readHolderFile(path))?.holder
      if (h !== undefined && pidOf(h) === process.pid) await rm(path, { force: true })
    }
  }
}
