// The machines list: who discovery sees now, who it saw earlier in this run and lost, and the
// trusted devices (kept even while away, so they can be untrusted). A machine whose id answers from
// several addresses, each with its key, carries them all and why it is not sent to; machines on the
// network now that share a name (with each other or with this device) are marked so.
import type { Machine } from '../../../common/api.js'
import type { Peer } from '../discovery/peer-info.js'
import { shortFingerprint } from '../identity/device-id.js'
import type { PairingStatus } from '../pairing/pairings.js'
import { endpointText } from '../pairing/paired-store.js'
import type { TrustedDevice } from '../settings/trust-store.js'

export interface MachineFindings {
  /** Ids answering from several addresses that each hold the id's key (twin-check.ts). */
  readonly twins?: ReadonlyMap<string, { readonly addresses: readonly string[]; readonly message: string }>
  /** This device's own name: a machine on the network with the same name shares it. */
  readonly selfName?: string
}

/** `paired`: machines added by address, marked as such and listed even while they do not answer. */
export function machinesView (online: readonly Peer[], gone: readonly Peer[], trusted: readonly TrustedDevice[], paired: readonly PairingStatus[] = [], findings: MachineFindings = {}): Machine[] {
  const isTrusted = (id: string): boolean => trusted.some(t => t.id === id)
  const out = new Map<string, Machine>()
  const pairing = (id: string): { pairedAddress?: string; pairProblem?: string } => {
    const s = paired.find(x => x.device.id === id)
    if (!s) return {}
    return { pairedAddress: endpointText(s.device), ...(s.problem !== undefined && !s.online ? { pairProblem: s.problem } : {}) }
  }
  const add = (p: Peer, isOnline: boolean): void => {
    if (out.has(p.id)) return
    out.set(p.id, {
      ...pairing(p.id),
      id: p.id,
      fingerprint: shortFingerprint(p.id),
      name: p.name,
      platform: p.platform,
      address: p.address,
      online: isOnline,
      trusted: isTrusted(p.id),
      lastSeen: new Date(p.lastSeen).toISOString(),
      controlPort: p.controlPort,
      btPort: p.btPort
    })
  }
  for (const p of online) add(p, true)
  for (const p of gone) add(p, false)
  for (const s of paired) {
    if (out.has(s.device.id)) continue
    if (s.peer) add(s.peer, false)
    // Not answered in this run yet: its address as given, no time invented.
    else out.set(s.device.id, { ...pairing(s.device.id), id: s.device.id, fingerprint: shortFingerprint(s.device.id), name: s.device.name, platform: 'unknown', address: s.device.host, online: false, trusted: isTrusted(s.device.id), lastSeen: '' })
  }
  for (const t of trusted) {
    if (out.has(t.id)) continue
    // Never heard in this run: lastSeen stays empty rather than inventing a time.
    out.set(t.id, { id: t.id, fingerprint: shortFingerprint(t.id), name: t.name, platform: 'unknown', address: '', online: false, trusted: true, lastSeen: '' })
  }
  const names = new Map<string, number>()
  const nameKey = (n: string): string => n.toLowerCase()
  for (const p of online) names.set(nameKey(p.name), (names.get(nameKey(p.name)) ?? 0) + 1)
  if (findings.selfName !== undefined) names.set(nameKey(findings.selfName), (names.get(nameKey(findings.selfName)) ?? 0) + 1)
  for (const [id, m] of out) {
    const twin = findings.twins?.get(id)
    const shared = m.online && (names.get(nameKey(m.name)) ?? 0) > 1
    if (twin === undefined && !shared) continue
    out.set(id, { ...m, ...(twin !== undefined ? { twinAddresses: twin.addresses, twinProblem: twin.message } : {}), ...(shared ? { sharedName: true } : {}) })
  }
  return [...out.values()].sort((a, b) => Number(b.online) - Number(a.online) || a.name.localeCompare(b.name))
}
