// Discovery's suspicion (discovery.ts, suspect): a machine whose connection with this device ended
// abruptly is asked about on the LAN at once. Real mDNS between two lab namespaces: the observer is
// a Discovery in a process on host "obs" (discovery-observer.ts, driven over its stdin), the
// suspected machine a Discovery in a process on host "adv" (discovery-advertiser.ts). One that
// answers stays listed and no 'down' is emitted; one killed with SIGKILL (no goodbye) is dropped
// within the grace, long before the 16 s expiry; a machine added by address, or one never heard, is
// left alone.
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Advert, Peer } from '../../main/core/discovery/peer-info.js'
import { waitForOutput } from '../lab/netns-lab.js'
import { labFixture } from './lab-fixture.js'

const GRACE_MS = 3_000
/** The expiry without an answer (the default): the suspicion must beat it by far. */
const EXPIRE_MS = 16_000
/** How long a reply to one command may take. */
const REPLY_MS = 5_000

const OBS = 0
const ADV = 1
const fx = labFixture([{ name: 'obs' }, { name: 'adv' }], 'dsuspect')

const advert = (name: string): Advert => ({ id: randomBytes(16).toString('hex'), name, platform: 'linux', version: 'test', controlPort: 40_000, btPort: 40_001 })

const tsx = (script: string, args: readonly string[]): string[] => ['--import', 'tsx', resolve('test/multi', script), ...args]

interface Line { kind: string, at: number, [key: string]: unknown }
interface EventLine extends Line { kind: 'event', event: 'up' | 'down' | 'update', peer: Peer }
interface SuspectedLine extends Line { kind: 'suspected', count: number }
interface Reply extends Line { kind: 'reply', cmd: string, error?: string, suspectedCount?: number, peer?: Peer | null, departed?: Peer | null }

/** The observer process as the test sees it: what it printed, and its commands. */
class Observer {
  readonly events: EventLine[] = []
  readonly suspected: SuspectedLine[] = []
  /** 'down' events since the last clear (the test's `downs`). */
  readonly downs: EventLine[] = []
  private readonly waiting: Array<(r: Reply) => void> = []
  private stderr = ''

  constructor (readonly child: ChildProcess) {
    if (child.stdout === null || child.stdin === null || child.stderr === null) throw new Error('the observer was spawned without pipes')
    createInterface({ input: child.stdout }).on('line', text => {
      let line: Line
      try { line = JSON.parse(text) as Line } catch { return }
      if (line.kind === 'event') {
        this.events.push(line as EventLine)
        if ((line as EventLine).event === 'down') this.downs.push(line as EventLine)
      } else if (line.kind === 'suspected') {
        this.suspected.push(line as SuspectedLine)
      } else if (line.kind === 'reply') {
        this.waiting.shift()?.(line as Reply)
      }
    })
    child.stderr.on('data', (d: Buffer) => { this.stderr = (this.stderr + d.toString('utf8')).slice(-4_096) })
  }

  get running (): boolean { return this.child.exitCode === null && this.child.signalCode === null }

  /** Sends one command line and resolves with its reply (replies come in the order of the commands). */
  command (line: string): Promise<Reply> {
    return new Promise((resolveReply, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiting.indexOf(take)
        if (i >= 0) this.waiting.splice(i, 1)
        reject(new Error(`the observer did not answer "${line.slice(0, 60)}" within ${REPLY_MS} ms; stderr: ${this.stderr.trim()}`))
      }, REPLY_MS)
      const take = (r: Reply): void => {
        clearTimeout(timer)
        if (r.error !== undefined) reject(new Error(`observer: ${r.error}`))
        else resolveReply(r)
      }
      this.waiting.push(take)
      this.child.stdin?.write(`${line}\n`)
    })
  }
}

let observer: Observer | undefined
let advertiser: ChildProcess | undefined
const subject = advert('lab-02')

const need = (): Observer => {
  if (observer === undefined) throw new Error('the observer is not running (did beforeAll fail?)')
  return observer
}

async function until<T> (what: string, check: () => T | undefined, ms: number): Promise<T> {
  const start = Date.now()
  for (;;) {
    const found = check()
    if (found !== undefined) return found
    if (Date.now() - start > ms) throw new Error(`${what}: not within ${ms} ms`)
    await new Promise(r => setTimeout(r, 20))
  }
}

const tick = (ms: number): Promise<void> => new Promise(r => setTimeout(r, ms))

/** Resolves once `child` has exited, or after `ms` (false). */
function exited (child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true)
  return new Promise(r => {
    const timer = setTimeout(() => { child.off('exit', done); r(false) }, ms)
    const done = (): void => { clearTimeout(timer); r(true) }
    child.once('exit', done)
  })
}

beforeAll(async () => {
  // It asks only when told to (refresh, a suspicion): the answers the suspicion needs are its own query's.
  const options = { queryIntervalMs: 60_000, suspectGraceMs: GRACE_MS, expireAfterMs: EXPIRE_MS }
  const obsChild = fx.lab.spawn(fx.host(OBS), process.execPath, tsx('discovery-observer.ts', [JSON.stringify(advert('lab-01')), JSON.stringify(options)]))
  observer = new Observer(obsChild)
  const advChild = fx.lab.spawn(fx.host(ADV), process.execPath, tsx('discovery-advertiser.ts', [JSON.stringify(subject)]), { stdio: ['ignore', 'pipe', 'pipe'] })
  advertiser = advChild
  const [obsUp, advUp] = await Promise.all([
    waitForOutput(obsChild, /"kind":"ready"/, 20_000),
    waitForOutput(advChild, /^published$/m, 20_000)
  ])
  if (!obsUp.ok) throw new Error(`the observer did not start: ${obsUp.error.message}`)
  if (!advUp.ok) throw new Error(`the advertiser did not start: ${advUp.error.message}`)
  // Read (and drop) the advertiser's output from now on, so its pipes never fill.
  advChild.stdout?.resume()
  advChild.stderr?.resume()
  const obs = observer
  const end = Date.now() + 15_000
  while (!obs.events.some(e => e.event === 'up' && e.peer.id === subject.id)) {
    if (Date.now() > end) throw new Error('the observer did not hear the advertiser within 15 s')
    await obs.command('refresh')
    await tick(500)
  }
}, 45_000)

afterAll(async () => {
  if (advertiser !== undefined && advertiser.exitCode === null && advertiser.signalCode === null) {
    advertiser.kill('SIGKILL')
    await exited(advertiser, 5_000)
  }
  if (observer !== undefined && observer.running) {
    observer.child.stdin?.end() // its goodbye, then it exits
    if (!await exited(observer.child, 5_000)) {
      observer.child.kill('SIGKILL')
      await exited(observer.child, 5_000)
    }
  }
}, 20_000)

describe('a suspected machine (two lab namespaces)', () => {
  it('that answers stays listed: the suspicion ends with its answer and nothing goes down', async () => {
    const obs = need()
    // Heard over the lab's wire, from the advertiser's own namespace.
    expect(obs.events.find(e => e.event === 'up' && e.peer.id === subject.id)?.peer.address).toBe(fx.host(ADV).ip)
    const asked = await obs.command(`suspect ${subject.id}`)
    expect(asked.suspectedCount).toBe(1)
    const ended = await until('the suspicion to end with an answer', () => obs.suspected.find(s => s.at >= asked.at && s.count === 0), GRACE_MS + 500)
    const answeredMs = ended.at - asked.at
    console.log(`a live machine answered the suspicion after ${answeredMs} ms`)
    // The answer to the suspicion's own query (at most 200 ms after it), not to a later one.
    expect(answeredMs).toBeLessThan(1_500)
    // Past the grace, and a second suspicion at once: still listed, never dropped.
    await obs.command(`suspect ${subject.id}`)
    await tick(GRACE_MS + 1_000)
    const now = await obs.command(`get ${subject.id}`)
    expect(now.peer?.name).toBe('lab-02')
    expect(now.suspectedCount).toBe(0)
    expect(obs.downs).toEqual([])
  }, 20_000)

  it('that was added by address, or was never heard, is left alone', async () => {
    const obs = need()
    const paired = advert('lab-03')
    await obs.command(`direct ${JSON.stringify({ ...paired, address: '127.0.0.1', lastSeen: Date.now(), pairedAddress: '127.0.0.1:40000' })}`)
    expect((await obs.command(`suspect ${paired.id}`)).suspectedCount).toBe(0)
    expect((await obs.command(`suspect ${randomBytes(16).toString('hex')}`)).suspectedCount).toBe(0)
    await tick(GRACE_MS + 500)
    const now = await obs.command(`get ${paired.id}`)
    expect(now.peer?.name).toBe('lab-03')
    expect(now.suspectedCount).toBe(0)
    expect(obs.downs).toEqual([])
    // Its 'down' is printed before the reply: cleared with it.
    await obs.command(`drop-direct ${paired.id}`)
    obs.downs.length = 0
  }, 15_000)

  it('that was killed (no goodbye) is dropped within the grace, long before the expiry', async () => {
    const obs = need()
    const c = advertiser as ChildProcess
    c.kill('SIGKILL')
    if (!await exited(c, 5_000)) throw new Error('the advertiser did not die within 5 s of SIGKILL')
    const killedAt = Date.now()
    // What a connection with it does as it closes (swarm-node.ts wires the node's connections here).
    const asked = await obs.command(`suspect ${subject.id}`)
    expect(asked.suspectedCount).toBe(1)
    const down = await until('the killed machine to go down', () => obs.downs.find(d => d.peer.id === subject.id), GRACE_MS + 2_000)
    const tookMs = down.at - killedAt
    console.log(`a killed machine was dropped ${tookMs} ms after its suspicion (${down.at - asked.at} ms after the call)`)
    expect(tookMs).toBeGreaterThanOrEqual(GRACE_MS - 50)
    expect(tookMs).toBeLessThan(GRACE_MS + 1_500)
    expect(tookMs).toBeLessThan(EXPIRE_MS / 2)
    const now = await obs.command(`get ${subject.id}`)
    expect(now.peer).toBeNull()
    expect(now.departed?.name).toBe('lab-02')
  }, 15_000)
})
