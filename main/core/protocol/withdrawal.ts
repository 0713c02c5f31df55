// POST /v1/withdraw: a distribution's sender takes it back (docs/protocol.md, "Withdrawal"). The
// recipient drops a pending offer of it, stops a download not finished and deletes what it
// received; a verified copy is kept. Only the sender, proven by TLS, may say so.
import { fail, ok, type Result } from '../../../common/result.js'
import { FieldError, hex, int, obj } from './fields.js'
import { PROTOCOL } from './messages.js'

/**
 * How a machine's row reads when a download it had not finished was withdrawn: in the sender's
 * history, and in that machine's own (state `failed`).
 */
export const WITHDRAWN_REASON = 'withdrawn by its sender before it finished'

export interface Withdrawal {
  readonly protocol: number
  readonly infoHash: string
}

/**
 * What the recipient did: `stopped` a download (its partial data deleted), `offer-withdrawn` (only
 * a pending offer was there), `kept` a verified copy. `deletedBytes`: what it deleted from its disk.
 */
export interface WithdrawalAnswer {
  readonly outcome: 'stopped' | 'offer-withdrawn' | 'kept'
  readonly deletedBytes: number
}

export function parseWithdrawal (body: unknown): Result<Withdrawal> {
  try {
    const o = obj(body, 'withdrawal')
    return ok({ protocol: int(o, 'protocol', 'withdrawal', 1, PROTOCOL), infoHash: hex(o, 'infoHash', 'withdrawal', 40) })
  } catch (err) {
    if (err instanceof FieldError) return fail('bad-request', err.message)
    throw err
  }
}
