// The commands a data directory answers while no device runs for it (`swarmdrop trust` with no
// agent): the same contract as runCommand (a Command in, an ApiResult out), carried out on the
// files the device reads when it starts. The data directory is claimed meanwhile (device-lock.ts),
// so no device starts halfway through and overwrites the change.
import type { ApiResult, Command, CommandReplies } from '../../../common/api.js'
import { fail, ok } from '../../../common/result.js'
import { TrustStore } from '../settings/trust-store.js'
import { claimDataDir } from './device-lock.js'

const NOTHING: Record<string, never> = {}

/** What runOffline carries out; every other command needs a running device. */
export type OfflineCommand = Extract<Command, { readonly type: 'trust' | 'untrust' }>

function isOfflineCommand (c: Command): c is OfflineCommand {
  return c.type === 'trust' || c.type === 'untrust'
}

async function trust (dataDir: string, c: OfflineCommand): Promise<ApiResult<CommandReplies['trust']>> {
  const store = await TrustStore.load(dataDir)
  if (!store.ok) return store
  if (c.type === 'trust') {
    // No device runs, so no name was heard: trust is by id, the name only labels it.
    const trusted = await store.value.trust(c.id, '')
    return trusted.ok ? ok(NOTHING) : trusted
  }
  return await store.value.untrust(c.id) ? ok(NOTHING) : fail('not-found', 'that device is not trusted')
}

/** Carries out `c` on `dataDir`; fails with `device-running` when a device holds it (ask that device instead). */
export async function runOffline (dataDir: string, c: Command): Promise<ApiResult<unknown>> {
  if (!isOfflineCommand(c)) return fail('unsupported', `${c.type} needs the device of ${dataDir} running (start it with swarmdrop agent)`)
  const claim = await claimDataDir(dataDir)
  if (!claim.ok) return claim
  try {
    return await trust(dataDir, c)
  } finally {
    await claim.value.release()
  }
}
