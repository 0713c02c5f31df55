// What a settings change is checked against on this machine, beyond its form (common/commands.ts):
// a downloads folder files can really be saved in, and a name no other machine on the network uses.
// Both were saved silently before: the folder failed only at the next offer, the name made
// `send --to NAME` refuse to tell the two machines apart, and neither window said why.
import { isAbsolute } from 'node:path'
import type { SettingsPatch } from '../../../common/api.js'
import { shortFingerprint } from '../../../common/device-id.js'
import { fail, ok, type Result } from '../../../common/result.js'
import { folderProblem } from '../node/folder-access.js'
import type { Peer } from '../discovery/peer-info.js'

/** The machines seen on the network now, and this device's own id (its own advert is not a clash). */
export interface SettingsContext {
  readonly selfId: string
  readonly peers: () => readonly Peer[]
}

/** Why a downloads folder typed in Settings cannot be used, in the offer card's own words. */
export async function downloadsDirProblem (dir: string): Promise<string | undefined> {
  // A relative path would be taken from wherever the agent happened to be started; `~` is not
  // expanded by anything between the form and the disk.
  if (!isAbsolute(dir)) return `the downloads folder must be a full path, not ${JSON.stringify(dir.slice(0, 80))}: a relative one would depend on where Swarmdrop was started`
  const problem = await folderProblem(dir)
  // The same sentence an offer card shows for that folder (`destination.problem`).
  return problem === undefined ? undefined : `cannot save here: ${problem}. Choose another folder`
}

/** Another machine on the network now that answers to `name` (names are matched case-insensitively by `send --to`). */
export function nameClash (name: string, ctx: SettingsContext): Peer | undefined {
  const wanted = name.toLowerCase()
  return ctx.peers().find(p => p.id !== ctx.selfId && p.name.toLowerCase() === wanted)
}

export async function checkSettingsPatch (patch: SettingsPatch, ctx: SettingsContext): Promise<Result<SettingsPatch>> {
  if (patch.name !== undefined) {
    const other = nameClash(patch.name, ctx)
    if (other !== undefined) {
      return fail('name-taken', `another machine on this network is already called ${other.name} (${other.address}, ${shortFingerprint(other.id)}): choose another name, or the two cannot be told apart when sending by name`)
    }
  }
  if (patch.downloadsDir !== undefined) {
    const problem = await downloadsDirProblem(patch.downloadsDir)
    if (problem !== undefined) return fail('not-writable', problem)
  }
  return ok(patch)
}
