// What the sender answers to each report: its view of every member of the distribution, so that
// every machine shows every member's real state (a recipient hears the others only through the
// sender; its own BitTorrent connections tell it what a member holds, not what it is doing).
// Carried in the reply to POST /v1/reports, so it costs no connection of its own.
import { fail, ok, type Result } from '../../../common/result.js'
import { MAX_DEVICE_NAME } from '../../../common/network-text.js'
import { deviceId, FieldError, hex, int, ipv4, list, num, obj, oneOf, optStr, optText, port, text, type Json } from './fields.js'
import { PROTOCOL } from './messages.js'

export const RELAYED_STATES = [
  'offering', 'pending', 'accepted', 'declined', 'downloading', 'verifying', 'verified', 'failed',
  'paused', 'no-space', 'unreachable', 'timeout', 'lost'
] as const
export type RelayedState = typeof RELAYED_STATES[number]

export interface RelayedMember {
  readonly id: string
  readonly name: string
  readonly state: RelayedState
  readonly verifiedPieces: number
  readonly verifiedBytes: number
  readonly downloadSpeed: number
  readonly hashFailures: number
  /** The member's own report order, as the sender last heard it (0 when it never reported). */
  readonly seq: number
  readonly lostSince?: string
  /** State `verified` only: since when its device has been away (its copy is verified, it seeds no more). */
  readonly offlineSince?: string
  readonly alreadyHad?: boolean
  readonly reason?: string
  /**
   * Where the member takes part (the sender's member list): a machine that joined after this
   * recipient was offered the file (it was away) is admitted by its address from here on.
   */
  readonly address?: string
  readonly btPort?: number
}

export interface SwarmView {
  readonly protocol: number
  readonly infoHash: string
  readonly members: readonly RelayedMember[]
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/

/** As many members as an offer may list. */
const MAX_RELAYED = 1000

export function parseSwarmView (body: unknown): Result<SwarmView> {
  try {
    const o: Json = obj(body, 'swarm')
    const members = list(o, 'members', 'swarm', MAX_RELAYED).map((m, i): RelayedMember => {
      const f = `swarm.members[${i}]`
      const mo = obj(m, f)
      const lostSince = optStr(mo, 'lostSince', f, 32)
      if (lostSince !== undefined && !ISO_TIME.test(lostSince)) throw new FieldError(`${f}.lostSince must be an ISO time in UTC`)
      const offlineSince = optStr(mo, 'offlineSince', f, 32)
      if (offlineSince !== undefined && !ISO_TIME.test(offlineSince)) throw new FieldError(`${f}.offlineSince must be an ISO time in UTC`)
      const reason = optText(mo, 'reason', f, 500)
      // Both or neither: an address without its port cannot be dialled.
      const at = mo.address === undefined ? undefined : { address: ipv4(mo, 'address', f), btPort: port(mo, 'btPort', f) }
      return {
        id: deviceId(mo, 'id', f),
        name: text(mo, 'name', f, MAX_DEVICE_NAME),
        state: oneOf(mo, 'state', f, RELAYED_STATES),
        verifiedPieces: int(mo, 'verifiedPieces', f),
        verifiedBytes: int(mo, 'verifiedBytes', f),
        downloadSpeed: num(mo, 'downloadSpeed', f),
        hashFailures: int(mo, 'hashFailures', f),
        seq: int(mo, 'seq', f),
        ...(lostSince === undefined ? {} : { lostSince }),
        ...(offlineSince === undefined ? {} : { offlineSince }),
        ...(mo.alreadyHad === true ? { alreadyHad: true } : {}),
        ...(reason === undefined ? {} : { reason }),
        ...(at === undefined ? {} : at)
      }
    })
    return ok({ protocol: int(o, 'protocol', 'swarm', 1, PROTOCOL), infoHash: hex(o, 'infoHash', 'swarm', 40), members })
  } catch (err) {
    if (err instanceof FieldError) return fail('bad-request', err.message)
    throw err
  }
}
