// The web UI's token and port, kept in <dataDir>/ui.json (owner-only, like the device key) so an
// agent restart keeps the address the browser has open: its page reconnects instead of needing a
// new link. A damaged file is replaced by a fresh token.
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { isRecord, readJson, writeJson } from '../store/json-file.js'

export interface UiIdentity { readonly token: string; readonly port: number }

const FILE = 'ui.json'

/** 256 bits, URL-safe. */
export function newUiToken (): string {
  return randomBytes(32).toString('base64url')
}
const TOKEN = /^[A-Za-z0-9_-]{43}$/

export async function loadUiIdentity (dataDir: string): Promise<UiIdentity> {
  const stored = await readJson(join(dataDir, FILE))
  const v = stored.ok ? stored.value : undefined
  if (isRecord(v) && typeof v.token === 'string' && TOKEN.test(v.token) && typeof v.port === 'number' && Number.isInteger(v.port) && v.port >= 0 && v.port < 65536) {
    return { token: v.token, port: v.port }
  }
  return { token: newUiToken(), port: 0 }
}

export async function saveUiIdentity (dataDir: string, id: UiIdentity): Promise<void> {
  await writeJson(join(dataDir, FILE), id, 0o600)
}
