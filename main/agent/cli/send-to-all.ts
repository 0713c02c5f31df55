// `send --all`: offer a path to every machine on the LAN. The file goes out as soon as a machine is
// found (once hashed: the caller started hashing already), and to each one found later while the
// listening window lasts. A device that just started needs that window to hear everyone, but the
// first machines should not wait for it. A machine whose id two machines answer for (a cloned
// identity) is left out and said so: a file sent to it could reach either.
import type { ApiResult, CommandReplies, Machine } from '../../../common/api.js'
import { fail } from '../../../common/result.js'
import type { DeviceClient } from '../../core/app/device-client.js'

/** How long `--all` listens for machines in all, and how long the list must stay the same. */
export interface AllWindow {
  /** Listen at least this long (from the start of send) before the list is taken as complete. */
  readonly settleMs: number
  /** With nobody found after this long, give up. */
  readonly discoveryMs: number
  /** At most this long between two looks at the device's state (a change answers sooner). */
  readonly waitMs: number
}

export interface SentToAll {
  /** The first send's answer (hashing and the first offers), or why nothing was sent. */
  readonly sent: ApiResult<CommandReplies['send']>
  /** Every machine offered the file, in the order found. */
  readonly ids: readonly string[]
  /** performance.now() when the first offer went out. */
  readonly startedAt: number
  /** Machines left out because two machines answer for their id, each with why (Machine.twinProblem). */
  readonly twins: readonly Machine[]
}

/** The first send: hash (or join the hashing of) the path and offer it to `to`. */
export type FirstSend = (to: readonly string[]) => Promise<ApiResult<CommandReplies['send']>>

/**
 * Offers the file to every machine online, as each is found: the first ones through `send`, later
 * ones by `offer`, until `window.settleMs` has passed since the start and the list has not changed
 * for half of it.
 */
export async function sendToAll (client: DeviceClient, send: FirstSend, window: AllWindow): Promise<SentToAll> {
  const started = Date.now()
  let lastChange = started
  let online: readonly string[] = []
  const offered: string[] = []
  let first: ApiResult<CommandReplies['send']> | undefined
  let infoHash = ''
  let startedAt = 0
  const twins = new Map<string, Machine>()
  let retried = false
  let r = await client.state()
  for (;;) {
    if (!r.ok) return { sent: r, ids: offered, startedAt, twins: [...twins.values()] }
    for (const m of r.value.machines) if (m.online && m.twinProblem !== undefined) twins.set(m.id, m)
    const now = r.value.machines.filter(m => m.online && !twins.has(m.id)).map(m => m.id)
    if (now.length !== online.length || now.some(id => !online.includes(id))) lastChange = Date.now()
    online = now
    const fresh = online.filter(id => !offered.includes(id))
    if (fresh.length > 0) {
      if (first === undefined) {
        startedAt = performance.now()
        first = await send(fresh)
        // A twin not yet known as one when the list was read: refused (proving it); the next list marks it.
        if (!first.ok && first.error.code === 'duplicate' && !retried) {
          retried = true
          first = undefined
          r = await client.state()
          continue
        }
        offered.push(...fresh)
        // Hashing failed, or no machine took it: the reasons are in the answer.
        if (!first.ok) return { sent: first, ids: offered, startedAt, twins: [...twins.values()] }
        infoHash = first.value.infoHash
      } else {
        // A machine found later gets its own offer; one that cannot be reached shows as such in
        // its row, as for the first ones.
        await client.run({ type: 'offer', infoHash, to: fresh })
        offered.push(...fresh)
      }
      // The send may have taken minutes (hashing a big file): look again before deciding that
      // the list is complete, so a machine that came meanwhile is not left out.
      r = await client.state()
      continue
    }
    const elapsed = Date.now() - started
    const settled = elapsed >= window.settleMs && Date.now() - lastChange >= window.settleMs / 2
    if (first !== undefined && settled) return { sent: first, ids: offered, startedAt, twins: [...twins.values()] }
    if (first === undefined && online.length === 0 && elapsed >= window.discoveryMs) {
      return { sent: fail('not-found', 'no machines found on the network (is `swarmdrop agent` running on them?)'), ids: offered, startedAt, twins: [...twins.values()] }
    }
    // Until the next decision is due: the list settled, or discovery given up.
    const due = first === undefined ? started + window.discoveryMs : Math.max(started + window.settleMs, lastChange + window.settleMs / 2)
    r = await client.nextState(Math.max(0, Math.min(window.waitMs, due - Date.now())))
  }
}
