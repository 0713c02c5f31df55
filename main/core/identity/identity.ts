// The device's Ed25519 key pair, made on first start and kept in the data directory
// (owner-only permissions). Everything that names this device derives from it.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto'
import { join } from 'node:path'
import { fail, ok, type Result } from '../../../common/result.js'
import { isRecord, readJson, writeJson } from '../store/json-file.js'
import { deviceIdFromPublicKey } from './device-id.js'

export interface Identity {
  readonly id: string
  readonly publicKeyPem: string
  readonly privateKey: KeyObject
  readonly publicKey: KeyObject
}

const FILE = 'identity.json'

export function rawPublicKey (publicKey: KeyObject): Buffer {
  // The last 32 bytes of the SPKI DER encoding are the raw Ed25519 key.
  const der = publicKey.export({ type: 'spki', format: 'der' })
  return der.subarray(der.length - 32)
}

function fromKeys (privateKey: KeyObject): Identity {
  const publicKey = createPublicKey(privateKey)
  return {
    id: deviceIdFromPublicKey(rawPublicKey(publicKey)),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKey,
    publicKey
  }
}

export async function loadOrCreateIdentity (dataDir: string): Promise<Result<Identity>> {
  const path = join(dataDir, FILE)
  const stored = await readJson(path)
  if (!stored.ok) return stored
  if (stored.value !== undefined) {
    const value = stored.value
    if (!isRecord(value) || typeof value.privateKeyPem !== 'string') {
      return fail('corrupt', `${path} does not hold a device key; move it aside to make a new identity`)
    }
    try {
      return ok(fromKeys(createPrivateKey(value.privateKeyPem)))
    } catch {
      return fail('corrupt', `${path} holds an unreadable key; move it aside to make a new identity`)
    }
  }
  const { privateKey } = generateKeyPairSync('ed25519')
  const identity = fromKeys(privateKey)
  await writeJson(path, {
    id: identity.id,
    publicKeyPem: identity.publicKeyPem,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  }, 0o600)
  return ok(identity)
}

export function signBytes (identity: Identity, data: Uint8Array): string {
  return sign(null, data, identity.privateKey).toString('base64')
}

export function verifyBytes (publicKeyPem: string, data: Uint8Array, signatureB64: string): boolean {
  try {
    return verify(null, data, createPublicKey(publicKeyPem), Buffer.from(signatureB64, 'base64'))
  } catch {
    return false
  }
}
