// Issue 13: the desktop app's engine runs in a process of its own. No Electron binary can run
// here, so the host entry is forked by plain Node (the same messages Electron's utilityProcess
// carries over its MessagePort) and driven by the real supervisor: a command round trip, state
// arriving coalesced, a SIGKILL mid-life answered by a restart that resumes the distribution,
// giving up after repeated crashes, and a graceful stop.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { AppState, EngineProcessStatus } from '../../../common/api.js'
import type { EngineLaunch } from '../../../common/engine-host-messages.js'
import { EngineSupervisor, RESTARTING_CODE, type EngineExit, type SupervisorOptions } from '../../../main/core/app/engine-supervisor.js'
import { forkEngineHost } from '../../../main/core/app/forked-engine.js'

const ENTRY = resolve('main/core/app/engine-host-main.ts')
const dirs: string[] = []
const tmp = (): string => { const d = mkdtempSync(join(tmpdir(), 'sd-host-')); dirs.push(d); return d }
const supervisors: EngineSupervisor[] = []
afterEach(async () => { await Promise.all(supervisors.splice(0).map(s => s.stop())) })
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }) })

/** Free ports, so the test never meets an agent of this machine. */
const SETTINGS = { btPort: 0, controlPort: 0, name: 'host-test' }

interface Spawned { readonly pid: number; readonly at: number; exit: EngineExit | null }

/** The real fork of the host entry (from source, through tsx), remembering each child it started. */
function forking (launches: (n: number) => EngineLaunch) {
  const children: Spawned[] = []
  const spawn = (): ReturnType<typeof forkEngineHost> => {
    const handle = forkEngineHost(launches(children.length), { entry: ENTRY, execArgv: ['--import', 'tsx'] , onPid: pid => children.push({ pid, at: Date.now(), exit: null }) })
    const mine = children[children.length - 1]
    handle.onExit(exit => { if (mine) mine.exit = exit })
    return handle
  }
  return { spawn, children }
}

function supervise (spawn: () => ReturnType<typeof forkEngineHost>, opts: SupervisorOptions = {}): EngineSupervisor {
  const s = new EngineSupervisor(spawn, { onWarning: () => {}, ...opts })
  supervisors.push(s)
  return s
}

/** The first state (from now on) that satisfies `test`, or a failure naming what was awaited. */
function nextState (s: EngineSupervisor, what: string, test: (st: AppState) => boolean, ms = 30_000): Promise<AppState> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error(`no state with ${what} within ${ms} ms`)) }, ms)
    const off = s.subscribe(st => {
      if (!test(st)) return
      clearTimeout(timer)
      off()
      resolve(st)
    })
  })
}

const engineIs = (status: EngineProcessStatus) => (st: AppState): boolean => st.engine?.status === status

async function started (s: EngineSupervisor): Promise<AppState> {
  const first = await s.start()
  if (!first.ok) throw new Error(first.error.message)
  return first.value
}

describe('engine host in a forked child', () => {
  it('answers a command by its request id and streams the state, coalesced', async () => {
    const { spawn } = forking(() => ({ dataDir: tmp(), settings: SETTINGS }))
    const s = supervise(spawn)
    const first = await started(s)
    expect(first.self.name).toBe('host-test')
    expect(first.engine).toEqual({ status: 'running', message: 'The engine runs.' })

    const id = 'ab'.repeat(16)
    const trusted = nextState(s, 'the trusted machine', st => st.machines.some(m => m.id === id && m.trusted))
    expect(await s.execute({ type: 'trust', id })).toEqual({ ok: true, value: {} })
    await trusted
    // The engine's own answer crosses unchanged, error values included.
    expect(await s.execute({ type: 'untrust', id: 'cd'.repeat(16) })).toEqual({ ok: false, error: { code: 'not-found', message: 'that device is not trusted' } })
    // What the shell is handed is validated before it goes anywhere.
    expect(await s.handle({ type: 'trust', id: 'lab-01' })).toMatchObject({ ok: false, error: { code: 'bad-request' } })

    // Snapshots keep coming without events (rates move), never more than one per 200 ms period.
    const times: number[] = []
    const off = s.subscribe(() => times.push(Date.now()))
    await new Promise(r => setTimeout(r, 3_000))
    off()
    expect(times.length).toBeGreaterThanOrEqual(2)
    expect(times.length).toBeLessThanOrEqual(3_000 / 200 + 1)
  }, 60_000)

  it('restarts a host killed mid-life, refuses commands meanwhile with a clear error, and resumes its distribution', async () => {
    const dataDir = tmp()
    const source = join(tmp(), 'payload.bin')
    writeFileSync(source, randomBytes(3 * 1024 * 1024 + 123))
    const { spawn, children } = forking(() => ({ dataDir, settings: SETTINGS }))
    const s = supervise(spawn, { backoffMs: [1_500] })
    await started(s)

    const seeding = nextState(s, 'the file seeding', st => st.distributions.some(d => d.name === 'payload.bin' && d.state === 'seeding'))
    expect(await s.execute({ type: 'create', path: source })).toMatchObject({ ok: true })
    const before = (await seeding).distributions.find(d => d.name === 'payload.bin')
    if (!before) throw new Error('unreachable')

    const restarting = nextState(s, 'the engine restarting', engineIs('restarting'))
    const firstPid = children[0]?.pid ?? 0
    // Frozen first, so a command is surely in flight when it dies: it is answered, not left hanging.
    process.kill(firstPid, 'SIGSTOP')
    const inFlight = s.execute({ type: 'pause', infoHash: before.infoHash })
    process.kill(firstPid, 'SIGKILL')
    expect(await inFlight).toEqual({
      ok: false,
      error: { code: RESTARTING_CODE, message: 'The engine stopped before it answered; it is restarting: try again in a few seconds.' }
    })
    const shown = await restarting
    expect(shown.engine?.message).toBe('The engine stopped unexpectedly (ended by SIGKILL); restarting it, and transfers resume once it is back.')
    // The last known state stays on screen under the banner.
    expect(shown.distributions.map(d => d.infoHash)).toContain(before.infoHash)
    expect(await s.execute({ type: 'pause' })).toEqual({
      ok: false,
      error: { code: RESTARTING_CODE, message: 'The engine is restarting after it stopped unexpectedly: try again in a few seconds.' }
    })

    const back = await nextState(s, 'the engine running again', engineIs('running'))
    expect(children).toHaveLength(2)
    expect(children[1]?.pid).not.toBe(firstPid)
    const after = back.distributions.find(d => d.infoHash === before.infoHash)
    expect(after).toMatchObject({ name: 'payload.bin', role: 'origin', state: 'seeding', sha256: before.sha256 })
    // Resumed: the engine serves it again (a distribution it does not run has no connections list).
    expect(after?.connections).toEqual([])
    expect(await s.execute({ type: 'pause', infoHash: before.infoHash })).toEqual({ ok: true, value: {} })
  }, 90_000)

  it('gives up with one sentence after repeated fast crashes, waiting longer before each restart', async () => {
    // The first host runs; every later one refuses its settings and exits at once.
    const { spawn, children } = forking(n => n === 0
      ? { dataDir: tmp(), settings: SETTINGS }
      : { dataDir: tmp(), settings: { ...SETTINGS, accept: 'nobody' } })
    const s = supervise(spawn, { backoffMs: [300, 900, 1_800], maxCrashes: 4 })
    await started(s)
    const failed = nextState(s, 'the engine given up', engineIs('failed'), 45_000)
    process.kill(children[0]?.pid ?? 0, 'SIGKILL')
    const last = await failed
    expect(last.engine?.message).toBe('The engine stopped 4 times in a row soon after starting (last: command line: accept must be one of ask, trusted, all), so Swarmdrop stopped restarting it: try again once that is mended, or quit and open Swarmdrop again.')
    expect(s.status()).toBe('failed')
    expect(children).toHaveLength(4)
    for (const c of children.slice(1)) expect(c.exit).toEqual({ code: 1, signal: null })
    // Each restart waited at least its back-off after the crash before it (which took its own time).
    const gaps = children.slice(1).map((c, i) => c.at - (children[i]?.at ?? 0))
    expect(gaps[0]).toBeGreaterThanOrEqual(300)
    expect(gaps[1]).toBeGreaterThanOrEqual(900)
    expect(gaps[2]).toBeGreaterThanOrEqual(1_800)
    expect(await s.execute({ type: 'resume' })).toMatchObject({ ok: false, error: { code: 'engine-stopped', message: last.engine?.message } })
    // Given up means given up: nothing is started later.
    await new Promise(r => setTimeout(r, 2_500))
    expect(children).toHaveLength(4)
  }, 60_000)

  it('starts a given-up engine again when asked (the banner\'s "Try again"), with a fresh count of crashes', async () => {
    // Host 1 (the first restart) exits at once, a cause the person then mends; later ones start.
    const dataDir = tmp()
    const { spawn, children } = forking(n => n !== 1
      ? { dataDir, settings: SETTINGS }
      : { dataDir, settings: { ...SETTINGS, accept: 'nobody' } })
    const s = supervise(spawn, { backoffMs: [200], maxCrashes: 2 })
    await started(s)
    // While it runs, asking is answered and starts nothing.
    expect(await s.execute({ type: 'restart-engine' })).toEqual({ ok: true, value: {} })
    expect(children).toHaveLength(1)
    const failed = nextState(s, 'the engine given up', engineIs('failed'), 30_000)
    process.kill(children[0]?.pid ?? 0, 'SIGKILL')
    await failed
    expect(children).toHaveLength(2)

    const starting = nextState(s, 'the engine starting again', st => st.engine?.status === 'restarting' && st.engine.message === 'Starting the engine again, as asked.', 5_000)
    const running = nextState(s, 'the engine running again', engineIs('running'), 30_000)
    expect(await s.handle({ type: 'restart-engine' })).toEqual({ ok: true, value: {} })
    await starting
    await running
    expect(children).toHaveLength(3)
    expect(s.status()).toBe('running')
    // The engine answers commands again.
    const id = 'ef'.repeat(16)
    expect(await s.execute({ type: 'trust', id })).toEqual({ ok: true, value: {} })
    // A second ask while it runs starts nothing more.
    expect(await s.execute({ type: 'restart-engine' })).toEqual({ ok: true, value: {} })
    expect(children).toHaveLength(3)
  }, 60_000)

  it('does not restart a host that could not start the first time: the shell is told why', async () => {
    const { spawn, children } = forking(() => ({ dataDir: tmp(), settings: { accept: 'nobody' } }))
    const s = supervise(spawn, { backoffMs: [100] })
    expect(await s.start()).toEqual({ ok: false, error: { code: 'engine-start', message: 'The engine could not start (command line: accept must be one of ask, trusted, all).' } })
    await new Promise(r => setTimeout(r, 1_000))
    expect(children).toHaveLength(1)
  }, 30_000)

  it('stops gracefully on request: the host leaves and exits by itself, and commands then say the app is closing', async () => {
    const { spawn, children } = forking(() => ({ dataDir: tmp(), settings: SETTINGS }))
    const s = supervise(spawn, { stopTimeoutMs: 15_000 })
    await started(s)
    const t0 = Date.now()
    await s.stop()
    expect(Date.now() - t0).toBeLessThan(15_000)
    expect(children[0]?.exit).toEqual({ code: 0, signal: null })
    expect(s.status()).toBe('stopped')
    expect(await s.execute({ type: 'pause' })).toEqual({ ok: false, error: { code: 'closed', message: 'the app is shutting down' } })
  }, 60_000)

  it('kills a host that does not stop within the timeout', async () => {
    const { spawn, children } = forking(() => ({ dataDir: tmp(), settings: SETTINGS }))
    const s = supervise(spawn, { stopTimeoutMs: 1_500 })
    await started(s)
    // A frozen host cannot answer the stop.
    process.kill(children[0]?.pid ?? 0, 'SIGSTOP')
    const t0 = Date.now()
    await s.stop()
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1_400)
    expect(children[0]?.exit).toEqual({ code: null, signal: 'SIGKILL' })
  }, 30_000)
})
