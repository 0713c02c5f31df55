// Readers for fields of JSON that came over the network: each returns the typed value or a
// message that names the field, so a malformed message is refused with a 400 and a reason.
import { isIPv4 } from 'node:net'
import { isOfferId, unsafeTextReason } from '../../../common/network-text.js'
import { isDeviceId } from '../identity/device-id.js'

export class FieldError extends Error {}

export type Json = Record<string, unknown>

export function obj (v: unknown, field: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new FieldError(`${field} must be an object`)
  return v as Json
}

export function str (o: Json, key: string, field: string, max = 1024): string {
  const v = o[key]
  if (typeof v !== 'string' || v.length === 0 || v.length > max) throw new FieldError(`${field}.${key} must be text of 1 to ${max} characters`)
  return v
}

export function optStr (o: Json, key: string, field: string, max = 1024): string | undefined {
  return o[key] === undefined || o[key] === null ? undefined : str(o, key, field, max)
}

/** Text a person will read (a name, a reason): bounded, and free of control, format and bidi characters. */
export function text (o: Json, key: string, field: string, max: number): string {
  const v = o[key]
  const reason = unsafeTextReason(v, max)
  if (reason !== undefined) throw new FieldError(`${field}.${key} ${reason}`)
  return v as string
}

export function optText (o: Json, key: string, field: string, max: number): string | undefined {
  return o[key] === undefined || o[key] === null ? undefined : text(o, key, field, max)
}

/** An offer id, to the same pattern the local API accepts (so every offer shown can be accepted). */
export function offerId (o: Json, key: string, field: string): string {
  const v = o[key]
  if (!isOfferId(v)) throw new FieldError(`${field}.${key} must be 1 to 64 letters, digits or dashes`)
  return v
}

export function int (o: Json, key: string, field: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const v = o[key]
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) throw new FieldError(`${field}.${key} must be a whole number from ${min} to ${max}`)
  return v
}

export function num (o: Json, key: string, field: string): number {
  const v = o[key]
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new FieldError(`${field}.${key} must be a non-negative number`)
  return v
}

export function deviceId (o: Json, key: string, field: string): string {
  const v = o[key]
  if (!isDeviceId(v)) throw new FieldError(`${field}.${key} must be a device id (32 hex digits)`)
  return v
}

export function port (o: Json, key: string, field: string): number {
  return int(o, key, field, 1, 65535)
}

export function hex (o: Json, key: string, field: string, length: number): string {
  const v = o[key]
  if (typeof v !== 'string' || v.length !== length || !/^[0-9a-f]+$/.test(v)) throw new FieldError(`${field}.${key} must be ${length} lowercase hex digits`)
  return v
}

export function list (o: Json, key: string, field: string, max: number): unknown[] {
  const v = o[key]
  if (!Array.isArray(v) || v.length > max) throw new FieldError(`${field}.${key} must be a list of at most ${max} items`)
  return v
}

export function oneOf<T extends string> (o: Json, key: string, field: string, values: readonly T[]): T {
  const v = o[key]
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) throw new FieldError(`${field}.${key} must be one of ${values.join(', ')}`)
  return v as T
}

export function ipv4 (o: Json, key: string, field: string): string {
  const v = str(o, key, field, 15)
  // net.isIPv4 refuses leading zeros ("010.0.0.2"), which some parsers would read as octal.
  if (!isIPv4(v)) throw new FieldError(`${field}.${key} must be an IPv4 address`)
  return v
}

/** Canonical base64 (with padding) of exactly `bytes` bytes: a signature, a key. */
export function base64Of (o: Json, key: string, field: string, bytes: number): string {
  const v = o[key]
  const length = 4 * Math.ceil(bytes / 3)
  // The decoded length too: unpadded text of the right length ("…=" changed to "…9") decodes to more bytes.
  const decoded = typeof v === 'string' && v.length === length ? Buffer.from(v, 'base64') : undefined
  if (typeof v !== 'string' || decoded === undefined || decoded.length !== bytes || decoded.toString('base64') !== v) throw new FieldError(`${field}.${key} must be base64 of ${bytes} bytes`)
  return v
}
