// Offers answered by people and by policy, through the CLI as a person would use it: an origin
// agent offers without waiting; an `--accept ask` agent lists the offer and accepts or declines it
// by command; an `--accept trusted` agent takes offers from a device it trusts (by id) at once
// and leaves others pending. The sender's `status` follows each recipient to the end.
import { readFileSync, writeFileSync } from 'node:fs'
import { randomBytes, createHash } from 'node:crypto'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { labFixture, lastJson } from './lab-fixture.js'
import { recipientRows, statusOn } from './status-json.js'

const fx = labFixture(3, 'offers')
let file = ''

async function recipientState (name: string): Promise<string | undefined> {
  const s = await statusOn(fx, 0)
  for (const d of s.distributions) for (const r of recipientRows(d)) if (r.name === name) return r.state
  return undefined
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

beforeAll(async () => {
  await fx.agent(0, 'origin', 'ask').start()
  await fx.agent(1, 'asker', 'ask').start()
  await fx.agent(2, 'trusting', 'trusted').start()
  file = join(fx.work, 'payload.bin')
  writeFileSync(file, randomBytes(3 * 1024 * 1024 + 17))
}, 60_000)

describe('offers through the CLI', () => {
  it('an ask agent holds the offer until a person accepts it; declining is reported back', async () => {
    const sent = await fx.cli(0, ['send', file, '--to', 'asker', '--json'])
    expect(sent.code, sent.stderr).toBe(0)
    expect(lastJson<{ recipients: Array<{ status: string }> }>(sent.stdout).recipients[0]?.status).toBe('pending')
    const offers = await until('offer listed', 10_000, async () => {
      const l = lastJson<Array<{ offerId: string; name: string; sender: { name: string } }>>((await fx.cli(1, ['offers', '--json'])).stdout)
      return l.length > 0 ? l : undefined
    })
    expect(offers[0]?.name).toBe('payload.bin')
    expect(offers[0]?.sender.name).toBe('origin')
    const accepted = await fx.cli(1, ['accept', offers[0]?.offerId ?? ''])
    expect(accepted.code, accepted.stderr).toBe(0)
    await until('asker verified', 30_000, async () => (await recipientState('asker')) === 'verified' ? true : undefined)
    const copy = readFileSync(join(fx.work, 'dl1', 'payload.bin'))
    expect(createHash('sha256').update(copy).digest('hex')).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'))

    // A second file, declined by the person.
    const other = join(fx.work, 'other.bin')
    writeFileSync(other, randomBytes(100_000))
    await fx.cli(0, ['send', other, '--to', 'asker', '--json'])
    const pending = await until('second offer listed', 10_000, async () => {
      const l = lastJson<Array<{ offerId: string; name: string }>>((await fx.cli(1, ['offers', '--json'])).stdout)
      return l.find(o => o.name === 'other.bin')
    })
    expect((await fx.cli(1, ['decline', pending.offerId])).code).toBe(0)
    const s = await statusOn(fx, 0)
    await until('decline reported to the sender', 10_000, async () => {
      const st = await statusOn(fx, 0)
      const d = st.distributions.find(x => recipientRows(x).some(r => r.name === 'asker' && r.state === 'declined'))
      return d ? true : undefined
    })
    expect(s.distributions.length).toBe(2)
  }, 90_000)

  it('a trusted-policy agent accepts a device it trusts by id at once, and only that one', async () => {
    const before = await fx.cli(0, ['send', file, '--to', 'trusting', '--json'])
    expect(lastJson<{ recipients: Array<{ status: string }> }>(before.stdout).recipients[0]?.status).toBe('pending')
    const originId = lastJson<Array<{ id: string; name: string }>>((await fx.cli(2, ['peers', '--json'])).stdout).find(p => p.name === 'origin')?.id
    expect(originId).toMatch(/^[0-9a-f]{32}$/)
    // Trusting by name is refused: names are not identities.
    const byName = await fx.cli(2, ['trust', 'origin'])
    expect(byName.code).toBe(2)
    expect(byName.stderr.trim().split('\n')).toHaveLength(1)
    expect((await fx.cli(2, ['trust', originId ?? ''])).code).toBe(0)
    const other = join(fx.work, 'third.bin')
    writeFileSync(other, randomBytes(200_000))
    const after = await fx.cli(0, ['send', other, '--to', 'trusting', '--json'])
    expect(lastJson<{ recipients: Array<{ status: string }> }>(after.stdout).recipients[0]?.status).toBe('accepted')
    await until('trusting verified third.bin', 30_000, async () => {
      try { return readFileSync(join(fx.work, 'dl2', 'third.bin')).equals(readFileSync(other)) ? true : undefined } catch { return undefined }
    })
  }, 90_000)
})
