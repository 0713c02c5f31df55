// Trust on first use: a device whose key a handshake proved is remembered (id, key, name, first
// seen) across restarts; a familiar name under another id is flagged; a hand-edited entry whose key
// is not its id's is refused; a key mismatch on the channel becomes a warning and is not remembered.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ControlServer } from '../../../main/core/control/control-server.js'
import { PeerChannel } from '../../../main/core/control/peer-channel.js'
import { loadOrCreateIdentity, rawPublicKey, type Identity } from '../../../main/core/identity/identity.js'
import { KNOWN_DEVICES_FILE, KnownDevices, nameClashWarning } from '../../../main/core/identity/known-devices.js'
import { deviceCredentials } from '../../../main/core/tls/device-certificate.js'

const dirs: string[] = []
const tmp = (): string => { const d = mkdtempSync(join(tmpdir(), 'sd-known-')); dirs.push(d); return d }
async function identity (): Promise<Identity> {
  const r = await loadOrCreateIdentity(tmp())
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}
async function load (dir: string): Promise<KnownDevices> {
  const r = await KnownDevices.load(dir)
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

let lab07: Identity
let other: Identity
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }) })
beforeAll(async () => { lab07 = await identity(); other = await identity() })

describe('known devices', () => {
  it('remembers a proven device across a reload and flags its name under another id', async () => {
    const dir = tmp()
    const known = await load(dir)
    const r = await known.remember(rawPublicKey(lab07.publicKey), 'lab-07')
    expect(r.ok && r.value.id).toBe(lab07.id)
    expect((await known.flush()).ok).toBe(true)
    const again = await load(dir)
    expect(again.get(lab07.id)?.name).toBe('lab-07')
    expect(again.get(lab07.id)?.publicKey).toBe(rawPublicKey(lab07.publicKey).toString('base64'))
    expect(again.nameClash(lab07.id, 'lab-07')).toBeUndefined()
    const clash = again.nameClash(other.id, 'LAB-07')
    expect(clash?.id).toBe(lab07.id)
    if (clash) expect(nameClashWarning(clash, other.id)).toMatch(/known as .* it may be an impostor/)
  })

  it('refuses a file whose key is not the id it is listed under', async () => {
    const dir = tmp()
    const known = await load(dir)
    await known.remember(rawPublicKey(lab07.publicKey), 'lab-07')
    await known.flush()
    const path = join(dir, KNOWN_DEVICES_FILE)
    const list = JSON.parse(readFileSync(path, 'utf8')) as Array<Record<string, string>>
    list[0]!.publicKey = rawPublicKey(other.publicKey).toString('base64')
    writeFileSync(path, JSON.stringify(list))
    const r = await KnownDevices.load(dir)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.code).toBe('corrupt')
  })
})

describe('the peer channel', () => {
  let server: ControlServer
  beforeAll(async () => {
    const s = await ControlServer.listen({ port: 0, host: '127.0.0.1', tls: deviceCredentials(lab07) })
    if (!s.ok) throw new Error(s.error.message)
    server = s.value
  })
  afterAll(async () => { await server.close() })

  it('remembers the key a handshake proved, and warns (remembering nothing) on a mismatch', async () => {
    const dir = tmp()
    const known = await load(dir)
    const warnings: string[] = []
    const channel = new PeerChannel(deviceCredentials(other), known, m => warnings.push(m))
    const good = await channel.verify({ id: lab07.id, name: 'lab-07', address: '127.0.0.1', controlPort: server.port })
    expect(good.ok).toBe(true)
    expect(known.get(lab07.id)?.name).toBe('lab-07')
    const stranger = await identity()
    const bad = await channel.verify({ id: stranger.id, name: 'lab-08', address: '127.0.0.1', controlPort: server.port })
    expect(!bad.ok && bad.error.code).toBe('key-mismatch')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('device lab-08')
    expect(known.get(stranger.id)).toBeUndefined()
  })
})
