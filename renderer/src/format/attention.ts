// What a person watching the swarm must not miss, counted from the member rows: machines that
// declined, that will not get the file for another reason, whose disk is full (they wait for
// space and go on by themselves: not failed, but someone must free space), and those this device
// lost contact with. The sidebar's badges and the summary's figures both read these.
import type { Distribution, MemberState } from '../../../preload/api.js'
import { formatCount, plural } from './format.js'

const NOT_GETTING_IT: readonly MemberState[] = ['failed', 'timeout', 'unreachable']

export interface Attention {
  readonly declined: number
  /** Failed, timed out or unreachable. */
  readonly failed: number
  /** Out of disk space, waiting for some to be freed. */
  readonly noSpace: number
  readonly lost: number
}

export function attentionOf (dist: Distribution): Attention {
  let declined = 0
  let failed = 0
  let noSpace = 0
  let lost = 0
  for (const m of dist.members) {
    if (m.self) continue
    if (m.state === 'declined') declined++
    else if (NOT_GETTING_IT.includes(m.state)) failed++
    else if (m.state === 'no-space') noSpace++
    else if (m.state === 'lost') lost++
  }
  return { declined, failed, noSpace, lost }
}

export interface AttentionBadge { readonly key: keyof Attention; readonly icon: string; readonly text: string; readonly tone: 'warn' | 'danger' }

/** "2 failed", "1 out of space", "1 declined", "1 lost contact": one badge per kind present, most serious first. */
export function attentionBadges (a: Attention): AttentionBadge[] {
  const out: AttentionBadge[] = []
  if (a.failed > 0) out.push({ key: 'failed', icon: '✕', text: `${formatCount(a.failed)} failed`, tone: 'danger' })
  if (a.noSpace > 0) out.push({ key: 'noSpace', icon: '!', text: `${formatCount(a.noSpace)} out of space`, tone: 'danger' })
  if (a.declined > 0) out.push({ key: 'declined', icon: '⊘', text: `${formatCount(a.declined)} declined`, tone: 'warn' })
  if (a.lost > 0) out.push({ key: 'lost', icon: '⚠', text: `${formatCount(a.lost)} lost contact`, tone: 'warn' })
  return out
}

/** "1 of 2 recipients verified"; "not sent to any machine yet" with no recipients. */
export function verifiedOfRecipients (verified: number, recipients: number): string {
  if (recipients === 0) return 'not sent to any machine yet'
  return `${formatCount(verified)} of ${plural(recipients, 'recipient')} verified`
}
