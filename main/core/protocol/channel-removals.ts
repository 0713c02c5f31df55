// POST /v1/channel-removals: a watched folder's sender tells a member which files were removed
// from the folder (only for a channel watched with --mirror-deletes). Each removal names the file
// by its path in the channel folder and the SHA-256 of the version that was sent: a member removes
// its copy only while it still is that version (docs/protocol.md, "Channel removals").
import { fail, ok, type Result } from '../../../common/result.js'
import { FieldError, hex, int, list, obj, str } from './fields.js'
import { PROTOCOL } from './messages.js'

export const MAX_REMOVALS = 10_000

export interface Removal { readonly path: string; readonly sha256: string }

export interface ChannelRemovals {
  readonly protocol: number
  /** The channel id of the offers its batches came with. */
  readonly channel: string
  readonly removals: readonly Removal[]
}

const CHANNEL_ID = /^[0-9a-f]{16}$/

export function parseChannelRemovals (body: unknown): Result<ChannelRemovals> {
  try {
    const o = obj(body, 'removals')
    const channel = str(o, 'channel', 'removals', 16)
    if (!CHANNEL_ID.test(channel)) throw new FieldError('removals.channel must be 16 lowercase hex digits')
    const removals = list(o, 'removals', 'removals', MAX_REMOVALS).map((r, i): Removal => {
      const f = `removals.removals[${i}]`
      const ro = obj(r, f)
      return { path: str(ro, 'path', f, 1024), sha256: hex(ro, 'sha256', f, 64) }
    })
    return ok({ protocol: int(o, 'protocol', 'removals', 1, PROTOCOL), channel, removals })
  } catch (err) {
    if (err instanceof FieldError) return fail('bad-request', err.message)
    throw err
  }
}
