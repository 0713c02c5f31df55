// How far a distribution has got, one number for the sidebar: the share of the file the receiving
// machines hold (this device's own share when it is a recipient).
import type { Distribution } from '../../../preload/api.js'

export function distributionProgress (dist: Distribution): number {
  if (dist.totalLength <= 0) return 0
  if (dist.role === 'recipient') {
    const self = dist.members.find(m => m.self)
    if (self !== undefined) return self.verifiedBytes / dist.totalLength
    return dist.state === 'verified' || dist.state === 'seeding' ? 1 : 0
  }
  const receivers = dist.members.filter(m => !m.origin && m.state !== 'declined')
  if (receivers.length === 0) return 0
  const held = receivers.reduce((sum, m) => sum + Math.min(m.verifiedBytes, dist.totalLength), 0)
  return held / (receivers.length * dist.totalLength)
}
