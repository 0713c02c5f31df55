// What `swarmdrop status --json` and `peers --json` print, typed by the contract (common/api.ts):
// each distribution as the app shows it (piece maps as base64, common/wire.ts), each machine as
// the app lists it.
import type { Machine } from '../../common/api.js'
import type { WireDistribution } from '../../common/wire.js'
import type { LabFixture } from './lab-fixture.js'
import { lastJson } from './lab-fixture.js'

export interface StatusJson {
  readonly agentRunning: boolean
  readonly distributions: readonly WireDistribution[]
}

/** `status --json` on host `i`; throws with its stderr when it fails. */
export async function statusOn (fx: LabFixture, i: number, timeoutMs?: number): Promise<StatusJson> {
  const r = await fx.cli(i, ['status', '--json'], timeoutMs)
  if (r.code !== 0) throw new Error(`status on host ${i}: exit ${String(r.code)}: ${r.stderr}`)
  return lastJson<StatusJson>(r.stdout)
}

/** `peers --json` on host `i`. */
export async function peersOn (fx: LabFixture, i: number, timeoutMs?: number): Promise<Machine[]> {
  const r = await fx.cli(i, ['peers', '--json'], timeoutMs)
  if (r.code !== 0) throw new Error(`peers on host ${i}: exit ${String(r.code)}: ${r.stderr}`)
  return lastJson<Machine[]>(r.stdout)
}

/** The recipients' rows of a distribution this device sent (every member but itself). */
export function recipientRows (d: WireDistribution): WireDistribution['members'] {
  return d.members.filter(m => !m.self)
}

/** Machine `name`'s row in distribution `dist` as host `i`'s `status --json` shows it (its dashboard). */
export async function memberRowOn (fx: LabFixture, i: number, dist: string, name: string): Promise<WireDistribution['members'][number]> {
  const row = (await statusOn(fx, i, 10_000)).distributions.find(d => d.name === dist)?.members.find(m => m.name === name)
  if (row === undefined) throw new Error(`host ${i}'s status has no row for ${name} in ${dist}`)
  return row
}
