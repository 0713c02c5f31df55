// A report from a history: the distributions asked for (one, or every one touched since a time),
// with the device whose history it is. The same for a running device and for a data directory read
// without one, so `report --json` prints the same thing either way.
import type { DistributionReport, FleetReport } from '../../../common/api.js'
import { fail, ok, type Result } from '../../../common/result.js'

export interface ReportFilter {
  readonly infoHash?: string
  /** ISO: only distributions touched at or after it. */
  readonly since?: string
}

export function fleetReport (all: readonly DistributionReport[], device: FleetReport['device'], filter: ReportFilter, now = new Date()): Result<FleetReport> {
  let chosen = all
  if (filter.infoHash !== undefined) {
    chosen = all.filter(d => d.infoHash === filter.infoHash)
    if (chosen.length === 0) return fail('unknown-distribution', `the history holds no distribution ${filter.infoHash}`)
  }
  const since = filter.since
  if (since !== undefined) chosen = chosen.filter(d => Date.parse(d.updatedAt) >= Date.parse(since))
  return ok({ format: 'swarmdrop-report', version: 1, generatedAt: now.toISOString(), device, distributions: chosen })
}
