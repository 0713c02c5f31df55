// The report and the pruning of a data directory whose device is not running: straight from its
// history file (a running device is asked instead, so that one process writes the file).
import { join } from 'node:path'
import type { FleetReport } from '../../../common/api.js'
import { ok, type Result } from '../../../common/result.js'
import { loadSettings } from '../settings/settings.js'
import { isRecord, readJson } from '../store/json-file.js'
import { fleetReport, type ReportFilter } from '../history/fleet-report.js'
import { HistoryLog } from '../history/history-log.js'

/** The device of `dataDir` as its files name it; nothing is created (a folder without a device has an empty id). */
async function deviceOf (dataDir: string): Promise<FleetReport['device']> {
  const identity = await readJson(join(dataDir, 'identity.json'))
  const id = identity.ok && isRecord(identity.value) && typeof identity.value.id === 'string' ? identity.value.id : ''
  const settings = await loadSettings(dataDir)
  return { id, name: settings.ok ? settings.value.name : '' }
}

export async function storedReport (dataDir: string, filter: ReportFilter): Promise<Result<FleetReport>> {
  const opened = await HistoryLog.open(dataDir)
  if (!opened.ok) return opened
  return fleetReport(opened.value.log.list(), await deviceOf(dataDir), filter)
}

export async function pruneStored (dataDir: string, before: string): Promise<Result<{ removed: number; kept: number }>> {
  const opened = await HistoryLog.open(dataDir)
  if (!opened.ok) return opened
  return ok(await opened.value.log.prune(before))
}
