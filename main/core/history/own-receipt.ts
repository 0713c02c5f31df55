// This device's receipt for a copy it verified. Ed25519 signatures are deterministic, so the
// receipt signed again for every verified report (and for the device's own history) is the same one.
import type { RecipientRecord } from '../distributions/records.js'
import type { Identity } from '../identity/identity.js'
import { signReceipt, type Receipt } from '../protocol/receipt.js'

export function ownReceipt (identity: Identity, record: RecipientRecord): Receipt {
  return signReceipt(identity, {
    infoHash: record.infoHash,
    sha256: record.sha256,
    // A copy verified before receipts existed has no completedAt: its record's start stands in.
    verifiedAt: record.completedAt ?? record.createdAt,
    deviceId: identity.id,
    bytes: record.totalLength
  })
}
