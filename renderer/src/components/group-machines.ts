// The machines a person can choose from where groups are in play (the send panel, the groups
// editor): those the device lists, then group members it does not list (not seen in this run).
import type { Machine, MachineGroup } from '../../../preload/api.js'

export function choosable (machines: readonly Machine[], groups: readonly MachineGroup[]): Machine[] {
  const out = [...machines]
  for (const g of groups) {
    for (const m of g.members) {
      if (out.some(x => x.id === m.id)) continue
      out.push({ id: m.id, fingerprint: m.fingerprint, name: m.name === '' ? m.fingerprint : m.name, platform: 'unknown', address: '', online: m.online, trusted: false, lastSeen: '' })
    }
  }
  return out
}
