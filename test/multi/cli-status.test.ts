// `swarmdrop status` shows, for each distribution, the rows of the app's machine table: with
// --json as the contract's Distribution (common/api.ts), its `members` the rows (MemberRow: id,
// name, state, rate, etaSeconds, verified, verifiedBytes, …), and for people as a line per machine. Three machines in a lab: an origin
// sends to one that accepts everything and one that asks; the person there declines. The origin's
// rows follow each recipient, its totals agree with the rows, and the recipient's rows show the
// origin and itself verified. `send --wait` ends with a summary in the singular for one machine.
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { MemberRow } from '../../common/api.js'
import { CLI, labFixture, lastJson } from './lab-fixture.js'
import { statusOn, type StatusJson } from './status-json.js'
import { parseSendSummary } from './send-summary.js'

const fx = labFixture(3, 'cli-status')
const SIZE = 3 * 1024 * 1024 + 99
let file = ''

type Dist = StatusJson['distributions'][number]

async function distOn (host: number, name: string): Promise<Dist | undefined> {
  return (await statusOn(fx, host)).distributions.find(d => d.name === name)
}

async function until<T> (what: string, limitMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const started = Date.now()
  while (Date.now() - started < limitMs) {
    const v = await check()
    if (v !== undefined) return v
    await new Promise(r => setTimeout(r, 300))
  }
  throw new Error(`${what}: not within ${limitMs} ms`)
}

const rowOf = (d: Dist | undefined, name: string): MemberRow | undefined => d?.members.find(m => m.name === name)

beforeAll(async () => {
  await fx.agent(0, 'origin', 'all').start()
  await fx.agent(1, 'taker', 'all').start()
  await fx.agent(2, 'asker', 'ask').start()
  file = join(fx.work, 'image.bin')
  writeFileSync(file, randomBytes(SIZE))
}, 60_000)

describe('status shows the machine rows', () => {
  it('status --json carries members with each machine\'s state, on the origin and on a recipient', async () => {
    const sent = await fx.cli(0, ['send', file, '--to', 'taker,asker', '--json'])
    expect(sent.code, sent.stderr).toBe(0)

    const verified = await until('taker verified in the origin\'s rows', 30_000, async () => {
      const d = await distOn(0, 'image.bin')
      return rowOf(d, 'taker')?.state === 'verified' ? d : undefined
    })
    const self = verified.members.find(m => m.self)
    expect(self).toMatchObject({ name: 'origin', origin: true, state: 'verified', verified: true, verifiedBytes: SIZE })
    expect(rowOf(verified, 'taker')).toMatchObject({ self: false, origin: false, verified: true, verifiedBytes: SIZE, rate: 0, etaSeconds: null })
    expect(rowOf(verified, 'asker')).toMatchObject({ state: 'pending', verified: false, verifiedBytes: 0 })
    expect(verified.members).toHaveLength(3)
    expect(verified.totals).toMatchObject({ recipients: 2, verifiedRecipients: 1, refusedRecipients: 0 })

    const offers = await until('the offer listed on asker', 10_000, async () => {
      const l = lastJson<Array<{ offerId: string; name: string }>>((await fx.cli(2, ['offers', '--json'])).stdout)
      return l.find(o => o.name === 'image.bin')
    })
    const declined = await fx.cli(2, ['decline', offers.offerId])
    expect(declined.code, declined.stderr).toBe(0)
    const after = await until('the decline in the origin\'s rows', 10_000, async () => {
      const d = await distOn(0, 'image.bin')
      return rowOf(d, 'asker')?.state === 'declined' ? d : undefined
    })
    expect(after.totals).toMatchObject({ recipients: 2, verifiedRecipients: 1, refusedRecipients: 1 })

    // The recipient's own table: the origin and itself verified, with the file's bytes.
    const there = await distOn(1, 'image.bin')
    expect(there?.members.find(m => m.origin)).toMatchObject({ name: 'origin', state: 'verified', self: false })
    expect(there?.members.find(m => m.self)).toMatchObject({ name: 'taker', state: 'verified', verified: true, verifiedBytes: SIZE, etaSeconds: null })
    expect(createHash('sha256').update(readFileSync(join(fx.work, 'dl1', 'image.bin'))).digest('hex'))
      .toBe(createHash('sha256').update(readFileSync(file)).digest('hex'))
  }, 90_000)

  it('status for people prints a line per machine, and what they add up to', async () => {
    const r = await fx.cli(0, ['status'])
    expect(r.code, r.stderr).toBe(0)
    const lines = r.stdout.split('\n')
    expect(lines.some(l => l.includes('1 of 2 recipients verified, 1 declined'))).toBe(true)
    const taker = lines.find(l => /^\s+taker\s/.test(l)) ?? ''
    expect(taker).toContain('100%')
    expect(taker).toContain('✓ verified')
    // A finished row has no ETA left over.
    expect(taker).not.toMatch(/\d:\d\d/)
    expect(lines.find(l => /^\s+asker\s/.test(l))).toContain('declined')
    expect(lines.find(l => l.includes('origin (this machine)'))).toContain('✓ verified')
  }, 30_000)

  it('send --wait to one machine ends with "The 1 machine verified"', async () => {
    const other = join(fx.work, 'small.bin')
    writeFileSync(other, randomBytes(200_000))
    const r = await fx.cli(0, ['send', other, '--to', 'taker', '--wait', '--timeout', '60'], 90_000)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^taker\s+✓ verified$/m)
    expect(r.stdout).toMatch(/^The 1 machine verified in \d+:\d\d; this machine uploaded/m)
    expect(r.stdout).not.toContain('machines verified')
  }, 100_000)

  it('a send with no agent running follows the same rows to the end', async () => {
    // Its own device for the command's duration (a data folder no agent runs for), on asker's host.
    const solo = join(fx.work, 'solo.bin')
    writeFileSync(solo, randomBytes(300_000))
    const r = await fx.lab.run(fx.host(2), process.execPath, [CLI, 'send', solo, '--to', 'taker', '--wait', '--json', '--timeout', '60', '--name', 'solo', '--data-dir', join(fx.work, 'solo-data')], { timeoutMs: 90_000 })
    expect(r.code, r.stderr).toBe(0)
    const summary = parseSendSummary(r.stdout)
    if (summary instanceof Error) throw summary
    expect(summary.recipients).toEqual([expect.objectContaining({ name: 'taker', status: 'verified' })])
    expect(readFileSync(join(fx.work, 'dl1', 'solo.bin')).equals(readFileSync(solo))).toBe(true)
  }, 100_000)
})
