// What the engine tests share: temporary folders, device identities and engines on free ports,
// each undone after its test (in reverse order), so every test starts from nothing.
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { Engine, type EngineOptions } from '../../../main/core/engine/engine.js'
import { deviceIdFromPublicKey } from '../../../main/core/identity/device-id.js'
import { rawPublicKey, type Identity } from '../../../main/core/identity/identity.js'

export interface EngineFixture {
  /** A fresh temporary folder, removed after the test. */
  tmp: () => string
  /** An engine on a free BitTorrent port (and `opts`), stopped after the test. */
  engine: (opts?: Partial<EngineOptions>) => Promise<Engine>
  /** Something else to undo after the test. */
  defer: (undo: () => Promise<void> | void) => void
}

/** Call at a test file's top level: registers the afterEach that undoes what each test made. */
export function engineFixture (folderPrefix: string): EngineFixture {
  const undo: Array<() => Promise<void> | void> = []
  afterEach(async () => { for (const u of undo.splice(0).reverse()) await u() })
  return {
    tmp: () => {
      const d = mkdtempSync(join(tmpdir(), folderPrefix))
      undo.push(() => rmSync(d, { recursive: true, force: true }))
      return d
    },
    engine: async (opts = {}) => {
      const e = await Engine.start({ btPort: 0, ...opts })
      if (!e.ok) throw new Error(e.error.message)
      undo.push(() => e.value.stop())
      return e.value
    },
    defer: u => { undo.push(u) }
  }
}

/** A new device identity (an Ed25519 key and the id derived from it). */
export function identity (): Identity {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  return { id: deviceIdFromPublicKey(rawPublicKey(publicKey)), publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKey, publicKey }
}
