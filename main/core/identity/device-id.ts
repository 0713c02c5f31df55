// A device id is derived from the device's public key, so it cannot be claimed without the key:
// the first 128 bits of SHA-256(raw Ed25519 public key), as 32 lowercase hex digits. People see
// the short fingerprint (first 8 digits, "9f3a·c21e") everywhere; programs match full ids or prefixes.
import { createHash } from 'node:crypto'

export const DEVICE_ID_PATTERN = /^[0-9a-f]{32}$/

export function deviceIdFromPublicKey (rawPublicKey: Uint8Array): string {
  return createHash('sha256').update(rawPublicKey).digest('hex').slice(0, 32)
}

export function shortFingerprint (deviceId: string): string {
  return `${deviceId.slice(0, 4)}·${deviceId.slice(4, 8)}`
}

export function isDeviceId (value: unknown): value is string {
  return typeof value === 'string' && DEVICE_ID_PATTERN.test(value)
}
