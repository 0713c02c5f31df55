// Offers crafted by an attacker on the LAN, sent straight to an agent's control port: path
// traversal in the torrent, inconsistent fields, wrong types, an oversized body. Each is refused
// with a 4xx and a reason, nothing is written outside the download folder, and the agent keeps
// serving: a genuine offer afterwards still goes through. The attacker holds a device key of its
// own and signs what it sends (protocol 2), so these checks are reached past authentication.
import { randomBytes, createHash } from 'node:crypto'
import { existsSync, lstatSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadOrCreateIdentity, type Identity } from '../../main/core/identity/identity.js'
import { PROTOCOL } from '../../main/core/protocol/messages.js'
import { signOffer, type UnsignedOffer } from '../../main/core/protocol/offer-signature.js'
import { bencode, bstr } from '../../main/core/torrent/bencode.js'
import type { LabAgent } from './lab-agent.js'
import { labFixture } from './lab-fixture.js'
import { peersOn, statusOn } from './status-json.js'
import { postOffer, type PostOutcome } from './peer-post.js'

const fx = labFixture(2, 'hostile')
let victim: LabAgent
let controlPort = 0
let victimId = ''
let attacker: Identity

beforeAll(async () => {
  victim = fx.agent(1, 'victim')
  const listening = await victim.start()
  controlPort = listening.controlPort
  victimId = listening.id
  await fx.agent(0, 'sender').start()
  const made = await loadOrCreateIdentity(join(fx.work, 'attacker'))
  if (!made.ok) throw new Error(made.error.message)
  attacker = made.value
}, 60_000)

/** POSTs a body to the victim's /v1/offers from the sender's namespace, over TLS as the attacker. */
async function post (body: string): Promise<PostOutcome> {
  return postOffer(fx, 0, join(fx.work, 'attacker'), { id: victimId, address: fx.host(1).ip, controlPort }, body)
}

/** An offer signed by the attacker's own key (overrides are signed too, well-typed or not). */
function offerFor (torrent: Buffer, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const unsigned = {
    protocol: PROTOCOL,
    offerId: 'evil-1',
    sender: { id: attacker.id, name: 'sender', publicKey: attacker.publicKeyPem, controlPort: 47620, btPort: 47621 },
    infoHash: createHash('sha1').update(bencode((bdecodeInfo(torrent)))).digest('hex'),
    name: 'evil',
    totalLength: 32,
    sha256: 'a'.repeat(64),
    files: [{ path: '../../escape.txt', length: 32 }],
    torrent: torrent.toString('base64'),
    members: [{ id: attacker.id, name: 'sender', address: null, btPort: 47621 }, { id: victimId, name: 'victim', address: '10.213.0.11', btPort: 47621 }],
    createdAt: new Date().toISOString(),
    ...overrides
  }
  return { ...signOffer(attacker, unsigned as unknown as UnsignedOffer) }
}

// The info dictionary of the crafted torrents below (built by hand so the infohash matches).
const infos = new Map<string, Parameters<typeof bencode>[0]>()
function bdecodeInfo (torrent: Buffer): Parameters<typeof bencode>[0] {
  const info = infos.get(torrent.toString('base64'))
  if (!info) throw new Error('unknown crafted torrent')
  return info
}
function craft (paths: string[][]): Buffer {
  const info = { name: bstr('evil'), 'piece length': 16384, pieces: Buffer.alloc(20), files: paths.map(p => ({ length: 32 / paths.length, path: p.map(bstr), sha256: bstr('a'.repeat(64)) })) }
  const t = bencode({ info })
  infos.set(t.toString('base64'), info)
  return t
}

describe('hostile offers', () => {
  it.each([
    ['a path that climbs out of the download folder', [['..', '..', 'escape.txt']]],
    ['an absolute path', [['/etc', 'cron.d', 'x']]],
    ['a Windows device name', [['sub', 'CON']]],
    ['a drive letter', [['C:', 'x']]],
    ['a NUL byte', [['a\u0000b']]]
  ])('refuses a torrent with %s (400 unsafe-path)', async (_what, paths) => {
    const r = await post(JSON.stringify(offerFor(craft(paths))))
    expect(r.status).toBe(400)
    expect(r.body.error?.code).toBe('unsafe-path')
    expect(r.body.error?.message).toMatch(/refused/)
  })

  it('refuses inconsistent, mistyped and oversized offers with a reason', async () => {
    const t = craft([['ok.txt']])
    const mismatch = await post(JSON.stringify(offerFor(t, { infoHash: 'f'.repeat(40) })))
    expect(mismatch.status).toBe(400)
    expect(mismatch.body.error?.message).toMatch(/infoHash/)
    const typed = await post(JSON.stringify(offerFor(t, { totalLength: 'a lot' })))
    expect(typed.status).toBe(400)
    expect(typed.body.error?.message).toContain('offer.totalLength')
    const junk = await post('{"protocol": 1, "offerId": ')
    expect(junk.status).toBe(400)
    const huge = await post(JSON.stringify(offerFor(t, { name: 'x'.repeat(160 * 1024 * 1024) })))
    expect([400, 0]).toContain(huge.status) // 400 too-large, or the connection closed mid-body
  }, 60_000)

  it('refuses terminal escapes and shell text in names and ids (issue 11, finding 3)', async () => {
    const t = craft([['ok.txt']])
    const ansi = await post(JSON.stringify(offerFor(t, { sender: { id: attacker.id, name: '\u001b[2K\r\u001b[32mverified', publicKey: attacker.publicKeyPem, controlPort: 47620, btPort: 47621 } })))
    expect(ansi.status).toBe(400)
    expect(ansi.body.error?.message).toContain('offer.sender.name')
    const shell = await post(JSON.stringify(offerFor(t, { offerId: '$(touch x)' })))
    expect(shell.status).toBe(400)
    expect(shell.body.error?.message).toContain('offer.offerId')
    const bidi = await post(JSON.stringify(offerFor(t, { members: [{ id: attacker.id, name: 'sender', address: null, btPort: 47621 }, { id: victimId, name: 'vic\u202emit', address: '10.213.0.11', btPort: 47621 }] })))
    expect(bidi.status).toBe(400)
    expect(bidi.body.error?.message).toContain('offer.members[1].name')
  })

  it('remembers no sender whose offer it refused, and keeps its data directory owner-only (findings 5, 6)', async () => {
    const dataDir = victim.spec.dataDir
    const path = join(dataDir, 'known-devices.json')
    const known = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) as Array<{ id: string }> : []
    expect(known.map(d => d.id)).not.toContain(attacker.id)
    const loose: string[] = []
    const walk = (p: string): void => {
      const st = lstatSync(p)
      if ((st.mode & 0o777) !== (st.isDirectory() ? 0o700 : 0o600)) loose.push(`${p} ${(st.mode & 0o777).toString(8)}`)
      if (st.isDirectory()) for (const n of readdirSync(p)) walk(join(p, n))
    }
    walk(dataDir)
    expect(loose).toEqual([])
  })

  it('wrote nothing anywhere, and still accepts a genuine offer', async () => {
    expect(existsSync(join(fx.work, 'escape.txt'))).toBe(false)
    expect(existsSync(join(fx.work, 'dl1')) ? readdirSync(join(fx.work, 'dl1')) : []).toEqual([])
    const file = join(fx.work, 'real.bin')
    const data = randomBytes(1_000_000)
    writeFileSync(file, data)
    const sent = await fx.cli(0, ['send', file, '--to', 'victim', '--json'])
    expect(sent.code, sent.stderr).toBe(0)
    await victim.waitFor(e => e.event === 'verified', 30_000, 'the genuine offer to verify')
    expect(readFileSync(join(fx.work, 'dl1', 'real.bin')).equals(data)).toBe(true)
  }, 60_000)

  it('refuses a report about the victim sent by another device, and the sender keeps the truth', async () => {
    const real = (await statusOn(fx, 0)).distributions.find(d => d.name === 'real.bin')
    if (!real) throw new Error('no real.bin in the sender\'s status')
    const peers = await peersOn(fx, 1)
    const senderPeer = peers.find(p => p.name === 'sender')
    if (!senderPeer?.controlPort) throw new Error(`victim does not see the sender: ${JSON.stringify(peers)}`)
    const forged = {
      protocol: PROTOCOL, infoHash: real.infoHash, from: victimId, state: 'failed', verifiedPieces: 0, pieceCount: 1,
      verifiedBytes: 0, downloadSpeed: 0, uploadSpeed: 0, uploadedBytes: 0, hashFailures: 0, reason: 'forged'
    }
    // From the victim's own address, so only the TLS identity tells the attacker apart.
    const r = await postOffer(fx, 1, join(fx.work, 'attacker'), { id: senderPeer.id, address: fx.host(0).ip, controlPort: senderPeer.controlPort }, JSON.stringify(forged), '/v1/reports')
    expect(r.status).toBe(403)
    expect(r.body.error?.code).toBe('wrong-sender')
    const after = (await statusOn(fx, 0)).distributions.find(d => d.name === 'real.bin')
    expect(after?.members.find(x => x.id === victimId)?.state).toBe('verified')
  }, 60_000)
})
