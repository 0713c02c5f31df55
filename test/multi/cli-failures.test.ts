// What the command line says when things go wrong, with real agents: a recipient killed during
// `send --wait` (a line when it happens, "lost" at the end, exit 1), a downloads folder that fills
// up (out of space, not merely "not done in time"), the status totals in the window's words, and
// the mistakes a person makes naming a recipient or a number (one line, exit 2); a machine named
// while it is away waits for the file and gets it when it is back. `send` runs with
// stderr a pipe, as in a script or a log: no bars, a line per change.
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fillDisk } from './fill-disk.js'
import type { LabAgent } from './lab-agent.js'
import { labFixture } from './lab-fixture.js'

const MiB = 1024 * 1024
// Receivers at 40 Mbit/s (5 MB/s): a 32 MiB file takes ~7 s, time to kill one mid-transfer.
const fx = labFixture([{ name: 'sender' }, { downMbit: 40 }, { downMbit: 40 }, { downMbit: 24 }], 'clifail')
let lab02: LabAgent
let mounted = ''
const sleep = (ms: number): Promise<void> => new Promise(r => setTimeout(r, ms))

function file (name: string, mib: number): string {
  const p = join(fx.work, name)
  writeFileSync(p, randomBytes(mib * MiB))
  return p
}

/** The lines of `text`, without the time a line begins with ("7:37:50 PM  "). */
const untimed = (text: string): string[] => text.split('\n').map(l => l.replace(/^\d{1,2}:\d\d:\d\d( [AP]M)? {2}/, ''))

beforeAll(async () => {
  mounted = join(fx.work, 'dl3')
  mkdirSync(mounted, { recursive: true })
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=40m', 'swarmdrop-test-tmpfs', mounted])
  await fx.agent(0, 'sender').start()
  await fx.agent(1, 'lab-01', 'all').start()
  lab02 = fx.agent(2, 'lab-02', 'all')
  await lab02.start()
  await fx.agent(3, 'lab-03', 'all').start()
}, 90_000)

afterAll(() => {
  if (mounted) execFileSync('umount', ['-l', mounted])
})

describe('send --wait when a machine is killed', () => {
  it('says when it lost contact, reports it lost at the timeout and exits 1; status counts it as the window does', async () => {
    const f = file('big.bin', 32)
    const run = fx.cli(0, ['send', f, '--to', 'lab-01,lab-02', '--wait', '--timeout', '20'], 60_000)
    await sleep(2500)
    await lab02.kill()
    const r = await run
    expect(r.code, r.stderr).toBe(1)
    // The pipe got a line per change: receiving, then lost contact when it happened.
    const changes = untimed(r.stderr)
    expect(changes).toContain('lab-02: receiving')
    expect(changes.some(l => /^lab-02: lost contact \d:\d\d ago, resumes when it returns$/.test(l)), r.stderr).toBe(true)
    expect(changes).toContain('lab-01: ✓ verified')
    expect(r.stdout).toMatch(/^lab-02 +lost contact at .+; it resumes when it returns$/m)
    expect(r.stdout).toMatch(/^1 of 2 machines verified \(1 lost\) in \d:\d\d;/m)

    const status = await fx.cli(0, ['status'])
    expect(status.code).toBe(0)
    expect(status.stdout).toContain('1 of 2 recipients verified, 1 lost contact')
  }, 90_000)

  it('sends to the killed machine by name all the same: it waits for the file and gets it once it is back', async () => {
    const f = file('later.bin', 4)
    const r = await fx.cli(0, ['send', f, '--to', 'lab-02', '--json'])
    expect(r.code, r.stderr).toBe(0)
    const offered = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { recipients?: Array<{ name: string; status: string }> }
    expect(offered.recipients).toEqual([expect.objectContaining({ name: 'lab-02', status: 'waiting' })])
    await lab02.start()
    const lab02State = async (): Promise<string | undefined> => {
      const out = (await fx.cli(0, ['status', '--json'])).stdout.trim().split('\n').at(-1) ?? '{}'
      const report = JSON.parse(out) as { distributions?: Array<{ name: string; members: Array<{ name: string; state: string }> }> }
      return report.distributions?.find(d => d.name === 'later.bin')?.members.find(m => m.name === 'lab-02')?.state
    }
    const deadline = Date.now() + 60_000
    let state = await lab02State()
    while (state !== 'verified' && Date.now() < deadline) {
      await sleep(1000)
      state = await lab02State()
    }
    expect(state).toBe('verified')
  }, 90_000)
})

describe('send --wait when a downloads folder fills up', () => {
  it('reports the machine out of space with how much is needed, counts it so, and exits 1', async () => {
    const f = file('full.bin', 32)
    const run = fx.cli(0, ['send', f, '--to', 'lab-03', '--wait', '--timeout', '20'], 60_000)
    await sleep(4000)
    fillDisk(join(mounted, 'filler'), 40)
    const r = await run
    expect(r.code, r.stderr).toBe(1)
    expect(untimed(r.stderr).some(l => l.startsWith('lab-03: out of space (not enough space in ')), r.stderr).toBe(true)
    expect(r.stdout).toMatch(/^lab-03 +out of space, not done in time \(not enough space in .+ more needed/m)
    expect(r.stdout).toMatch(/^0 of 1 machine verified \(1 out of space\) in \d:\d\d;/m)
    expect(r.stdout).not.toContain('not done in time)')

    const json = await fx.cli(0, ['send', f, '--to', 'lab-03', '--wait', '--timeout', '3', '--json'], 30_000)
    expect(json.code).toBe(1)
    const finished = JSON.parse(json.stdout.trim().split('\n').pop() ?? '{}') as { recipients: Array<{ name: string; status: string; reason?: string }> }
    expect(finished.recipients).toEqual([expect.objectContaining({ name: 'lab-03', status: 'no-space' })])

    // The sender counts it as the window's figure does; the full machine heads its own copy so.
    expect((await fx.cli(0, ['status'])).stdout).toContain('0 of 1 recipient verified, 1 out of space, waiting')
    expect((await fx.cli(3, ['status'])).stdout).toMatch(/^full\.bin +recipient +out of space +33\.6 MB .*\(not enough space in /m)
  }, 90_000)
})

describe('what a person types wrong: one line, exit 2', () => {
  it.each([
    [['--to', 'sender'], /^swarmdrop: send: "sender" is this machine; it has the file already\. Machines found: .*lab-01/],
    [['--to', 'ab'], /^swarmdrop: send: "ab" is too short for an id prefix \(at least 4 hex digits\) and no machine has that name; machines found: .*lab-01/],
    [['--to', 'lab-01', '--wait', '--timeout', '-5'], /^swarmdrop: --timeout must be a whole number from 1 to 2592000, not "-5"$/m],
    [['--to', 'lab-01', '--wait', '--timeout', '0'], /^swarmdrop: --timeout must be a whole number from 1 to 2592000, not "0"$/m]
  ])('send FILE %j', async (args, said) => {
    const r = await fx.cli(0, ['send', join(fx.work, 'big.bin'), ...args])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(said)
  }, 30_000)
})
