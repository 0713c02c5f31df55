// What the engine tests share: temporary folders, device identities and engines on free ports,
// each undone after its test (in reverse order), so every test starts from nothing.
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { createDistribution } from '../../../main/core/distributions/create.js'
import { Engine, type EngineOptions } from '../../../main/core/engine/engine.js'
import type { MemberEndpoint } from '../../../main/core/engine/member-proof.js'
import { deviceIdFromPublicKey } from '../../../main/core/identity/device-id.js'
import { rawPublicKey, type Identity } from '../../../main/core/identity/identity.js'
import type { Metainfo } from '../../../main/core/torrent/metainfo.js'

/** An origin engine seeding a random file to two members on loopback (it and `recipient`). */
export interface MemberOrigin {
  readonly origin: Engine
  /** The other member's identity, for the recipient engine the test starts. */
  readonly recipient: Identity
  readonly members: readonly MemberEndpoint[]
  readonly metainfo: Metainfo
  /** The file's bytes. */
  readonly data: Buffer
}

export interface EngineFixture {
  /** A fresh temporary folder, removed after the test. */
  tmp: () => string
  /** An engine on a free BitTorrent port (and `opts`), stopped after the test. */
  engine: (opts?: Partial<EngineOptions>) => Promise<Engine>
  /** Something else to undo after the test. */
  defer: (undo: () => Promise<void> | void) => void
  /** A file of `size` random bytes in pieces of `pieceLength`, seeded by an origin with members. */
  memberOrigin: (size: number, pieceLength: number, opts?: Partial<EngineOptions>) => Promise<MemberOrigin>
  /** The same seeded in an open swarm (no members, as `seed` does): anyone may download it. */
  openOrigin: (size: number, pieceLength: number) => Promise<{ readonly origin: Engine, readonly metainfo: Metainfo }>
}

/** Call at a test file's top level: registers the afterEach that undoes what each test made. */
export function engineFixture (folderPrefix: string): EngineFixture {
  const undo: Array<() => Promise<void> | void> = []
  afterEach(async () => { for (const u of undo.splice(0).reverse()) await u() })
  const tmp = (): string => {
    const d = mkdtempSync(join(tmpdir(), folderPrefix))
    undo.push(() => rmSync(d, { recursive: true, force: true }))
    return d
  }
  const engine = async (opts: Partial<EngineOptions> = {}): Promise<Engine> => {
    const e = await Engine.start({ btPort: 0, ...opts })
    if (!e.ok) throw new Error(e.error.message)
    undo.push(() => e.value.stop())
    return e.value
  }
  /** A file of `size` random bytes in a temporary folder, and its distribution. */
  const randomFile = async (size: number, pieceLength: number): Promise<{ src: string, data: Buffer, metainfo: Metainfo }> => {
    const data = randomBytes(size)
    const src = join(tmp(), 'data.bin')
    writeFileSync(src, data)
    const created = await createDistribution(src, { createdBy: 'test', pieceLength })
    if (!created.ok) throw new Error(created.error.message)
    return { src, data, metainfo: created.value.metainfo }
  }
  const memberOrigin = async (size: number, pieceLength: number, opts: Partial<EngineOptions> = {}): Promise<MemberOrigin> => {
    const a = identity()
    const recipient = identity()
    const members = [{ id: a.id, address: '127.0.0.1' }, { id: recipient.id, address: '127.0.0.1' }]
    const { src, data, metainfo } = await randomFile(size, pieceLength)
    const origin = await engine({ ...opts, identity: a })
    const seeded = origin.seed({ metainfo, targets: [{ path: src, length: metainfo.totalLength, offset: 0 }], members, schedule: { role: 'origin' } })
    if (!seeded.ok) throw new Error(seeded.error.message)
    return { origin, recipient, members, metainfo, data }
  }
  const openOrigin = async (size: number, pieceLength: number): Promise<{ origin: Engine, metainfo: Metainfo }> => {
    const { src, metainfo } = await randomFile(size, pieceLength)
    const origin = await engine()
    const seeded = origin.seed({ metainfo, targets: [{ path: src, length: metainfo.totalLength, offset: 0 }] })
    if (!seeded.ok) throw new Error(seeded.error.message)
    return { origin, metainfo }
  }
  return { tmp, engine, defer: u => { undo.push(u) }, memberOrigin, openOrigin }
}

/** Waits for `cond`, checking every 20 ms, for at most `ms`; fails naming `what`. */
export async function until (cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

/** The engine's WebTorrent torrent of `infoHash`, typed as the test needs it (internal access). */
export function torrentOf<T> (e: Engine, infoHash: string): T {
  const entry = (e as unknown as { entries: Map<string, { torrent: T }> }).entries.get(infoHash)
  if (entry === undefined) throw new Error('no torrent in the engine')
  return entry.torrent
}

/** A new device identity (an Ed25519 key and the id derived from it). */
export function identity (): Identity {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  return { id: deviceIdFromPublicKey(rawPublicKey(publicKey)), publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKey, publicKey }
}
