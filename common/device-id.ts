// How a device id looks: 32 lowercase hex digits (derived from the device's key in
// main/core/identity/device-id.ts). People see the short fingerprint ("9f3a·c21e") everywhere;
// programs match full ids or prefixes. Plain TypeScript, so the engine, the CLI and the UI
// write and check ids the same way.

export const DEVICE_ID_PATTERN = /^[0-9a-f]{32}$/

export function isDeviceId (value: unknown): value is string {
  return typeof value === 'string' && DEVICE_ID_PATTERN.test(value)
}

export function shortFingerprint (deviceId: string): string {
  return `${deviceId.slice(0, 4)}·${deviceId.slice(4, 8)}`
}
