// An auditor's check of an exported report (`swarmdrop report --verify FILE`), offline and without
// trusting the device that wrote it: every machine's receipt must be signed by the key it carries,
// that key must be the machine's (it hashes to the id in the row), and what it signs must be what
// the report claims (the distribution's info-hash, SHA-256 and size, the row's verified time).
import { fail, ok, type Result } from '../../../common/result.js'
import { parseReceipt, receiptMatches, verifyReceipt } from '../protocol/receipt.js'

/** ok: the receipt holds; bad: it does not, or a verified row has none; none: no receipt and none claimed. */
export type Verdict = 'ok' | 'bad' | 'none'

export interface MachineVerdict {
  readonly infoHash: string
  readonly distribution: string
  readonly machineId: string
  readonly machineName: string
  readonly verdict: Verdict
  /** One sentence. */
  readonly reason: string
}

type Fields = Record<string, unknown>
const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v)
const textOf = (v: unknown): string => typeof v === 'string' ? v : typeof v === 'number' ? String(v) : ''

function judge (d: Fields, m: Fields): Pick<MachineVerdict, 'verdict' | 'reason'> {
  const state = textOf(m.state)
  if (m.receipt === null || m.receipt === undefined) {
    return state === 'verified'
      ? { verdict: 'bad', reason: 'the row says verified but carries no receipt' }
      : { verdict: 'none', reason: `no receipt (state ${state || 'unknown'}): nothing is claimed` }
  }
  const receipt = parseReceipt(m.receipt)
  if (!receipt.ok) return { verdict: 'bad', reason: receipt.error.message }
  const signed = verifyReceipt(receipt.value)
  if (!signed.ok) return { verdict: 'bad', reason: signed.error.message }
  const about = receiptMatches(receipt.value, { infoHash: textOf(d.infoHash), sha256: textOf(d.sha256), deviceId: textOf(m.id), bytes: typeof d.totalLength === 'number' ? d.totalLength : -1 })
  if (!about.ok) return { verdict: 'bad', reason: `${about.error.message} (the report says otherwise than the signed receipt)` }
  if (m.verifiedAt !== receipt.value.verifiedAt) return { verdict: 'bad', reason: `the row's verifiedAt ${textOf(m.verifiedAt) || 'null'} is not the signed ${receipt.value.verifiedAt}` }
  return { verdict: 'ok', reason: `signed by ${receipt.value.deviceId}: verified ${receipt.value.bytes} bytes with SHA-256 ${receipt.value.sha256.slice(0, 16)}… at ${receipt.value.verifiedAt}` }
}

/** A verdict for every machine of every distribution of a report (JSON as exported); fails only when it is not a report at all. */
export function verifyReport (raw: unknown): Result<MachineVerdict[]> {
  if (!isObject(raw) || raw.format !== 'swarmdrop-report' || !Array.isArray(raw.distributions)) {
    return fail('bad-input', 'this is not a Swarmdrop report (swarmdrop report --json writes one)')
  }
  const verdicts: MachineVerdict[] = []
  for (const [i, d] of raw.distributions.entries()) {
    if (!isObject(d) || !Array.isArray(d.machines)) return fail('bad-input', `distributions[${i}] is not a distribution with machines`)
    for (const [k, m] of d.machines.entries()) {
      if (!isObject(m)) return fail('bad-input', `distributions[${i}].machines[${k}] is not a machine`)
      verdicts.push({ infoHash: textOf(d.infoHash), distribution: textOf(d.name), machineId: textOf(m.id), machineName: textOf(m.name), ...judge(d, m) })
    }
  }
  return ok(verdicts)
}
