// tc command lines for a host's link caps. Only HTB is used: this kernel has no netem, so delay
// and loss cannot be emulated and are reported as unsupported instead of being attempted.
//
// A cap shapes the EGRESS of one veth end: the end inside the namespace carries what the host
// uploads, the bridge-side peer carries what the host downloads. Shaping egress (not ingress
// policing) queues instead of dropping, which is what a slow link does to TCP.

import { fail, ok, type Result } from '../../common/result.js'

export interface LinkCaps {
  /** Upload cap in Mbit/s (10^6 bit/s); undefined = uncapped. */
  readonly upMbit?: number
  /** Download cap in Mbit/s; undefined = uncapped. */
  readonly downMbit?: number
  /** Added one-way delay. Needs netem, which this kernel lacks: asking for it fails 'unsupported'. */
  readonly delayMs?: number
}

export type TcArgs = readonly string[]

const MIN_MBIT = 0.01
const MAX_MBIT = 100_000

export function checkCaps (caps: LinkCaps): Result<void, 'bad-options' | 'unsupported'> {
  for (const [key, v] of [['upMbit', caps.upMbit], ['downMbit', caps.downMbit]] as const) {
    if (v === undefined) continue
    if (!Number.isFinite(v) || v < MIN_MBIT || v > MAX_MBIT) {
      return fail('bad-options', `${key} must be a number of Mbit/s between ${MIN_MBIT} and ${MAX_MBIT}, got ${String(v)}`)
    }
  }
  if (caps.delayMs !== undefined && caps.delayMs !== 0) {
    return fail('unsupported', `delayMs=${caps.delayMs}: added delay needs the netem qdisc, which this kernel does not have`)
  }
  return ok(undefined)
}

/**
 * tc arguments that cap egress of `dev` at `mbit`. One HTB class catches all traffic; its leaf
 * is HTB's default FIFO. `htbInstalled` says whether the lab's HTB root is already there: HTB
 * refuses `qdisc replace` of itself ("Change operation not supported"), so a cap change only
 * replaces the class.
 */
export function capCommands (dev: string, mbit: number, htbInstalled: boolean): readonly TcArgs[] {
  const kbit = Math.max(1, Math.round(mbit * 1000))
  const bytesPerSec = kbit * 125
  // HTB warns when quantum = rate/r2q falls outside [MTU, 200000]: set it explicitly.
  const quantum = Math.min(200_000, Math.max(1514, Math.round(bytesPerSec / 10)))
  const cls: TcArgs = ['class', 'replace', 'dev', dev, 'parent', '1:', 'classid', '1:10', 'htb',
    'rate', `${kbit}kbit`, 'ceil', `${kbit}kbit`, 'quantum', String(quantum)]
  if (htbInstalled) return [cls]
  return [['qdisc', 'replace', 'dev', dev, 'root', 'handle', '1:', 'htb', 'default', '10'], cls]
}

/** tc arguments listing `dev`'s qdiscs as JSON, for `hasLabHtbRoot`. */
export function showQdiscCommand (dev: string): TcArgs {
  return ['-j', 'qdisc', 'show', 'dev', dev]
}

/** Whether `tc -j qdisc show` output contains the root HTB that `capCommands` installs. */
export function hasLabHtbRoot (json: string): boolean {
  if (json.trim() === '') return false
  let parsed: unknown
  try { parsed = JSON.parse(json) } catch { return false }
  if (!Array.isArray(parsed)) return false
  return parsed.some((q: unknown) => typeof q === 'object' && q !== null &&
    'kind' in q && q.kind === 'htb' && 'handle' in q && q.handle === '1:' && 'root' in q && q.root === true)
}

/** tc arguments that remove a cap set by `capCommands`. */
export function uncapCommands (dev: string): readonly TcArgs[] {
  return [['qdisc', 'del', 'dev', dev, 'root']]
}
