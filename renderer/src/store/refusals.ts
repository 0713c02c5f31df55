// News that must not scroll by unseen: a machine that just declined, failed or could not be
// reached, as a short sentence for the sender's notice bar. Only changes count: what was already
// refused when this window first saw the distribution is in the rows and the badges, not news.
import type { AppState, MemberState } from '../../../preload/api.js'

const WHAT: Partial<Record<MemberState, string>> = {
  declined: 'declined',
  failed: 'failed to get',
  timeout: 'did not answer the offer of',
  unreachable: 'could not be reached for',
  'no-space': 'ran out of disk space for'
}

/** "lab-02 declined health.iso." for each member that moved into a refused state since `prev`. */
export function newRefusals (prev: AppState | null, next: AppState): string[] {
  if (prev === null) return []
  const out: string[] = []
  for (const d of next.distributions) {
    const before = prev.distributions.find(p => p.infoHash === d.infoHash)
    if (before === undefined || d.role !== 'origin') continue
    for (const m of d.members) {
      const what = WHAT[m.state]
      if (what === undefined || m.self) continue
      // A member new since `prev` and already refused (a quick "no") is news too.
      if (before.members.find(b => b.id === m.id)?.state !== m.state) out.push(`${m.name} ${what} ${d.name}.`)
    }
  }
  return out
}
