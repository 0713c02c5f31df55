// Reports with signed receipts, on real agents: a file sent to two machines ends verified on both;
// `report --json` on the origin lists both with receipts their own keys signed; `report --verify`
// of the exported file says ok for each, and bad (exit 1) once one byte of a receipt is changed;
// the history is still there after the origin's agent restarts; the CSV has a header and one row
// per machine; each recipient keeps its own received-history with its receipt.
import { randomBytes } from 'node:crypto'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { FleetReport } from '../../common/api.js'
import { REPORT_CSV_COLUMNS } from '../../common/report-csv.js'
import type { RunOutcome } from '../lab/netns-lab.js'
import { loadOrCreateIdentity, type Identity } from '../../main/core/identity/identity.js'
import { PROTOCOL, type Report } from '../../main/core/protocol/messages.js'
import { signReceipt, type Receipt } from '../../main/core/protocol/receipt.js'
import type { LabAgent } from './lab-agent.js'
import { CLI, labFixture, lastJson } from './lab-fixture.js'
import { postOffer } from './peer-post.js'
import { statusOn } from './status-json.js'

const MiB = 1024 * 1024
const fx = labFixture([{ name: 'origin' }, { name: 'lab-01' }, { name: 'lab-02' }], 'receipts')
const agents: LabAgent[] = []

/** `swarmdrop report ARGS --data-dir` of host i (report is not among the fixture's device commands). */
async function report (i: number, args: readonly string[], timeoutMs = 30_000): Promise<RunOutcome> {
  return fx.lab.run(fx.host(i), process.execPath, [CLI, 'report', ...args, '--data-dir', join(fx.work, `d${i}`)], { timeoutMs })
}

async function reportJson (i: number, args: readonly string[] = []): Promise<FleetReport> {
  const r = await report(i, [...args, '--json'])
  if (r.code !== 0) throw new Error(`report on host ${i}: exit ${String(r.code)}: ${r.stderr}`)
  return lastJson<FleetReport>(r.stdout)
}

/** Polls `check` until it gives a value, or throws with `what` after `ms`. */
async function until<T> (what: string, ms: number, check: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    const v = await check()
    if (v !== undefined) return v
    await new Promise(resolve => setTimeout(resolve, 500))
  }
  throw new Error(`${what}: not within ${ms / 1000} s`)
}

/** The origin's device id, from its listening event. */
async function originId (): Promise<string> {
  const e = await (agents[0] as LabAgent).waitFor(x => x.event === 'listening', 1_000, 'listening', 0) as { id: string }
  return e.id
}

beforeAll(async () => {
  agents.push(fx.agent(0, 'origin'), fx.agent(1, 'lab-01'), fx.agent(2, 'lab-02'))
  for (const a of agents) await a.start()
}, 60_000)

describe('reports with signed receipts', () => {
  let infoHash = ''
  let exported = ''
  const ids: string[] = []

  it('lists both verified machines with receipts, and --verify of the export says ok for each', async () => {
    for (const a of agents.slice(1)) ids.push((await a.waitFor(e => e.event === 'listening', 1_000, 'listening', 0) as { id: string }).id)
    const file = join(fx.work, 'image.bin')
    writeFileSync(file, randomBytes(6 * MiB))
    const sent = await fx.cli(0, ['send', file, '--to', 'lab-01,lab-02', '--wait', '--timeout', '90', '--json'], 120_000)
    expect(sent.code, sent.stderr).toBe(0)
    infoHash = lastJson<{ infoHash: string }>(sent.stdout).infoHash

    // The report is written as reports arrive: both machines with a receipt, soon after --wait ends.
    const r = await until('both receipts in the origin\'s report', 20_000, async () => {
      const x = await reportJson(0, [infoHash])
      return x.distributions[0]?.machines.filter(m => m.receipt !== null).length === 2 ? x : undefined
    })
    expect(r.format).toBe('swarmdrop-report')
    const d = r.distributions[0]
    if (d === undefined) throw new Error('no distribution in the report')
    expect(d).toMatchObject({ infoHash, name: 'image.bin', totalLength: 6 * MiB, role: 'origin' })
    expect(d.sentAt).not.toBeNull()
    expect(d.originUploadedBytes).toBeGreaterThan(0)
    expect(d.machines.map(m => m.id).sort()).toEqual([...ids].sort())
    for (const m of d.machines) {
      expect(m).toMatchObject({ state: 'verified', bytes: 6 * MiB, badPieces: 0 })
      expect(m.acceptedAt).not.toBeNull()
      expect(m.receipt).toMatchObject({ infoHash, sha256: d.sha256, deviceId: m.id, bytes: 6 * MiB, verifiedAt: m.verifiedAt })
      expect(Date.parse(m.verifiedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(m.acceptedAt ?? ''))
    }

    // Exported as the app or a script would, then checked offline by --verify.
    exported = join(fx.work, 'report.json')
    const all = await report(0, ['--json'])
    writeFileSync(exported, all.stdout)
    const verified = await report(0, ['--verify', exported])
    expect(verified.code, verified.stdout + verified.stderr).toBe(0)
    const lines = verified.stdout.trim().split('\n')
    expect(lines.filter(l => l.startsWith('ok ')).length).toBe(2)
    expect(lines.at(-1)).toBe('2 receipts ok, 0 bad')
    // The history file is the device's own: owner-only.
    expect(statSync(join(fx.work, 'd0', 'history.jsonl')).mode & 0o777).toBe(0o600)
  }, 180_000)

  it('the origin refuses a report whose receipt does not hold, and keeps the one it had', async () => {
    const origin = agents[0] as LabAgent
    const { controlPort } = await origin.waitFor(e => e.event === 'listening', 1_000, 'listening', 0) as { controlPort: number }
    const dist = (await statusOn(fx, 0)).distributions.find(x => x.infoHash === infoHash)
    if (dist === undefined) throw new Error('the origin does not show the distribution')
    const before = (await reportJson(0, [infoHash])).distributions[0]?.machines.find(m => m.id === ids[0])?.receipt
    const lab01 = await loadOrCreateIdentity(join(fx.work, 'd1'))
    const stranger = await loadOrCreateIdentity(join(fx.work, 'stranger'))
    if (!lab01.ok || !stranger.ok) throw new Error('identities')
    const claim = { infoHash, sha256: dist.sha256, verifiedAt: new Date().toISOString(), deviceId: lab01.value.id, bytes: 6 * MiB }
    // Sent over lab-01's own TLS identity, from its address: only the receipt is wrong.
    const post = async (receipt: Receipt): Promise<{ status: number; code?: string }> => {
      const report: Report = {
        protocol: PROTOCOL, infoHash, from: lab01.value.id, state: 'verified', verifiedPieces: dist.pieceCount, pieceCount: dist.pieceCount,
        verifiedBytes: 6 * MiB, downloadSpeed: 0, uploadSpeed: 0, uploadedBytes: 0, hashFailures: 0, seq: Date.now() * 1000 + 999_999, receipt
      }
      const r = await postOffer(fx, 1, join(fx.work, 'd1'), { id: await originId(), address: fx.host(0).ip, controlPort }, JSON.stringify(report), '/v1/reports')
      return { status: r.status, ...(r.body.error ? { code: r.body.error.code } : {}) }
    }
    const signedBy = (who: Identity, over = claim): Receipt => signReceipt(who, over)
    // Signed by another key: the key is not lab-01's.
    expect(await post(signedBy(stranger.value, claim))).toEqual({ status: 403, code: 'key-mismatch' })
    // lab-01's key, but a field changed after signing.
    expect(await post({ ...signedBy(lab01.value), bytes: 6 * MiB + 1 })).toEqual({ status: 403, code: 'bad-signature' })
    // Genuine, but about another copy (another SHA-256) than this distribution's.
    expect(await post(signedBy(lab01.value, { ...claim, sha256: 'e'.repeat(64) }))).toEqual({ status: 400, code: 'mismatch' })
    const after = (await reportJson(0, [infoHash])).distributions[0]?.machines.find(m => m.id === ids[0])?.receipt
    expect(after).toEqual(before)
    // The genuine receipt again (signatures are deterministic: the same one) is taken: the check does not refuse everything.
    expect(signedBy(lab01.value, { ...claim, verifiedAt: before?.verifiedAt ?? '' })).toEqual(before)
    expect(await post(signedBy(lab01.value, { ...claim, verifiedAt: before?.verifiedAt ?? '' }))).toEqual({ status: 200 })
  }, 60_000)

  it('one byte of a receipt changed in the file: --verify says bad for that machine, exit 1', async () => {
    const text = readFileSync(exported, 'utf8')
    const report0 = JSON.parse(text) as FleetReport
    const sig = report0.distributions[0]?.machines[0]?.receipt?.signature ?? ''
    expect(sig.length).toBe(88)
    // One character of the signature: still base64 of 64 bytes, but another signature.
    const at = text.indexOf(sig) + 10
    const tampered = text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1)
    const bad = join(fx.work, 'tampered.json')
    writeFileSync(bad, tampered)
    const r = await report(0, ['--verify', bad, '--json'])
    expect(r.code, r.stderr).toBe(1)
    const verdicts = lastJson<{ ok: boolean; machines: Array<{ machineId: string; verdict: string; reason: string }> }>(r.stdout)
    expect(verdicts.ok).toBe(false)
    expect(verdicts.machines.map(m => m.verdict).sort()).toEqual(['bad', 'ok'])
    expect(verdicts.machines.find(m => m.verdict === 'bad')?.reason).toMatch(/signature/)

    // A signed field changed instead (the size in a receipt): bad, in text form with its reason.
    const bigger = text.replace(`"bytes":${6 * MiB},"publicKey"`, `"bytes":${6 * MiB + 1},"publicKey"`)
    expect(bigger).not.toBe(text)
    writeFileSync(bad, bigger)
    const r2 = await report(0, ['--verify', bad])
    expect(r2.code).toBe(1)
    expect(r2.stdout).toMatch(/^bad .*signature/m)
    // The receipts left alone but the report's claim changed (its size): each row contradicts its receipt.
    writeFileSync(bad, text.replace(`"totalLength":${6 * MiB}`, `"totalLength":${6 * MiB + 1}`))
    const r3 = await report(0, ['--verify', bad])
    expect(r3.code).toBe(1)
    expect(r3.stdout.split('\n').filter(l => /^bad .*bytes/.test(l)).length).toBe(2)
  }, 60_000)

  it('the history survives a restart of the origin agent, and reads the same without an agent', async () => {
    const before = await reportJson(0, [infoHash])
    const origin = agents[0] as LabAgent
    await origin.stop()
    // No agent: read straight from the data directory.
    const offline = await reportJson(0, [infoHash])
    expect(offline.distributions[0]?.machines).toEqual(before.distributions[0]?.machines)
    await origin.start()
    const after = await reportJson(0, [infoHash])
    const d = after.distributions[0]
    expect(d?.machines.map(m => [m.id, m.state, m.receipt?.signature])).toEqual(before.distributions[0]?.machines.map(m => [m.id, m.state, m.receipt?.signature]))
    // Upload before the restart is kept (the engine counts from 0 again).
    expect(d?.originUploadedBytes).toBeGreaterThanOrEqual(before.distributions[0]?.originUploadedBytes ?? Infinity)
    // --since after everything: nothing; before: it.
    expect((await reportJson(0, ['--since', '2999-01-01'])).distributions).toEqual([])
    expect((await reportJson(0, ['--since', '2020-01-01'])).distributions.map(x => x.infoHash)).toContain(infoHash)
  }, 150_000)

  it('CSV has a header and one row per machine', async () => {
    const r = await report(0, [infoHash, '--csv'])
    expect(r.code, r.stderr).toBe(0)
    const rows = r.stdout.trimEnd().split('\r\n')
    expect(rows[0]).toBe(REPORT_CSV_COLUMNS.join(','))
    expect(rows.length).toBe(3)
    for (const id of ids) expect(rows.filter(x => x.includes(`,${id},`)).length).toBe(1)
    for (const row of rows.slice(1)) expect(row.split(',').length).toBe(REPORT_CSV_COLUMNS.length)
  }, 30_000)

  it('each recipient keeps its own received-history, with the receipt it signed', async () => {
    for (const [k, i] of [1, 2].entries()) {
      const mine = await reportJson(i, [infoHash])
      const d = mine.distributions[0]
      expect(d).toMatchObject({ role: 'recipient', infoHash, originUploadedBytes: null })
      expect(d?.machines).toHaveLength(1)
      expect(d?.machines[0]).toMatchObject({ id: ids[k], state: 'verified' })
      expect(d?.machines[0]?.receipt?.deviceId).toBe(ids[k])
    }
  }, 30_000)

  it('pruning forgets entries last touched before a date, and survives the agent', async () => {
    const kept = await report(0, ['--prune-before', '2020-01-01', '--json'])
    expect(kept.code, kept.stderr).toBe(0)
    expect(lastJson<{ removed: number }>(kept.stdout).removed).toBe(0)
    const pruned = await report(0, ['--prune-before', '2999-01-01', '--json'])
    expect(lastJson<{ removed: number; kept: number }>(pruned.stdout)).toEqual({ removed: 1, kept: 0 })
    expect((await reportJson(0)).distributions).toEqual([])
    const origin = agents[0] as LabAgent
    await origin.stop()
    expect((await reportJson(0)).distributions).toEqual([])
    await origin.start()
  }, 60_000)
})
