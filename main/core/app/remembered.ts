// The distributions of a data directory whose device is not running, as the app would draw them
// from what the data directory remembers: no engine, so no rates, connections or live pieces.
import type { Distribution } from '../../../common/api.js'
import { ok, type Result } from '../../../common/result.js'
import { DistributionRegistry } from '../distributions/registry.js'
import { loadOrCreateIdentity } from '../identity/identity.js'
import { loadSettings } from '../settings/settings.js'
import { distributionView } from './distribution-view.js'

export async function rememberedDistributions (dataDir: string): Promise<Result<Distribution[]>> {
  const reg = await DistributionRegistry.load(dataDir)
  if (!reg.ok) return reg
  const records = reg.value.list()
  // A data directory with distributions has a device key: nothing is created here.
  if (records.length === 0) return ok([])
  const [identity, settings] = await Promise.all([loadOrCreateIdentity(dataDir), loadSettings(dataDir)])
  if (!identity.ok) return identity
  if (!settings.ok) return settings
  const self = { id: identity.value.id, name: settings.value.name }
  return ok(records
    .map(record => distributionView({ record, self, transfer: undefined, ownBits: undefined, peerBits: [], inFlight: new Set(), failed: new Set(), banned: new Set(), paused: false }))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt)))
}
