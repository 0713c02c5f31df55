// What one machine tells the LAN about itself in its mDNS TXT record, and the checks on what
// others tell us: a TXT record is unauthenticated input from anyone on the network.
import { isDisplayText, MAX_DEVICE_NAME } from '../../../common/network-text.js'
import { isDeviceId } from '../identity/device-id.js'

export const SERVICE_TYPE = 'swarmdrop'
export const PROTOCOL_VERSION = 1

export interface Advert {
  readonly id: string
  readonly name: string
  readonly platform: string
  readonly version: string
  readonly controlPort: number
  readonly btPort: number
}

export interface Peer extends Advert {
  readonly address: string
  readonly lastSeen: number
  /** Set for a machine added by address (pairing), not found by mDNS: the HOST:PORT it is dialled at. */
  readonly pairedAddress?: string
}

export function advertToTxt (a: Advert): Record<string, string> {
  return {
    v: String(PROTOCOL_VERSION),
    id: a.id,
    name: a.name,
    platform: a.platform,
    app: a.version,
    cport: String(a.controlPort),
    bport: String(a.btPort)
  }
}

const port = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && /^[0-9]{1,5}$/.test(v) ? Number(v) : NaN
  return n > 0 && n < 65536 ? n : undefined
}
// The same rule as names and reasons in control messages (common/network-text.ts).
const text = (v: unknown, max: number): string | undefined => isDisplayText(v, max) ? v : undefined

export function advertFromTxt (txt: unknown): Advert | undefined {
  if (typeof txt !== 'object' || txt === null) return undefined
  const t = txt as Record<string, unknown>
  const id = t.id
  const name = text(t.name, MAX_DEVICE_NAME)
  const controlPort = port(t.cport)
  const btPort = port(t.bport)
  if (!isDeviceId(id) || name === undefined || controlPort === undefined || btPort === undefined) return undefined
  return { id, name, platform: text(t.platform, 32) ?? 'unknown', version: text(t.app, 32) ?? 'unknown', controlPort, btPort }
}
