// A device id is derived from the device's public key, so it cannot be claimed without the key:
// the first 128 bits of SHA-256(raw Ed25519 public key), as 32 lowercase hex digits. Its form
// and the short fingerprint people see are the contract's (common/device-id.ts).
import { createHash } from 'node:crypto'

export { DEVICE_ID_PATTERN, isDeviceId, shortFingerprint } from '../../../common/device-id.js'

export function deviceIdFromPublicKey (rawPublicKey: Uint8Array): string {
  return createHash('sha256').update(rawPublicKey).digest('hex').slice(0, 32)
}
