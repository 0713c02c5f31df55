// Impostors on the LAN, on real processes, sockets and namespaces. Host 2 runs a real agent with a
// key of its own but the SAME name as a real recipient (host 1), and publishes a forged mDNS advert
// claiming the real recipient's device id at its own address. (a) The sender, asked to send to
// that id, finds the address holding the key: the real recipient gets the file, the impostor gets
// nothing, and the sender warns about the key that did not match. (b) The impostor sends offers
// claiming to be a device that host 3 trusts (`--accept trusted`), while seeding the offered data
// itself: each is refused with a 403, and nothing is written on host 3's disk.
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { createDistribution } from '../../main/core/distributions/create.js'
import { loadOrCreateIdentity, signBytes, type Identity } from '../../main/core/identity/identity.js'
import { PROTOCOL } from '../../main/core/protocol/messages.js'
import { offerSigningBytes, signOffer, type UnsignedOffer } from '../../main/core/protocol/offer-signature.js'
import { killGroup, waitForExit, waitForOutput } from '../lab/run-command.js'
import type { LabAgent } from './lab-agent.js'
import { CLI, labFixture, lastJson } from './lab-fixture.js'
import { statusOn } from './status-json.js'
import { postOffer } from './peer-post.js'
import { parseSendSummary } from './send-summary.js'

const fx = labFixture(4, 'forged')
let sender: LabAgent
let victim: LabAgent
let impostor: LabAgent
let keeper: LabAgent
let senderId = ''
let victimId = ''
let keeperId = ''
let keeperPort = 0
let impostorId = ''
const spawned: ChildProcess[] = []

/** The "warning" messages an agent printed from line `from` on (parsed events keep no message). */
function warnings (agent: LabAgent, from = 0): string[] {
  return agent.lines.slice(from).flatMap(line => {
    if (!line.startsWith('[out] {')) return []
    try {
      const o = JSON.parse(line.slice(6)) as { event?: unknown; message?: unknown }
      return o.event === 'warning' && typeof o.message === 'string' ? [o.message] : []
    } catch {
      return []
    }
  })
}

async function waitForWarning (agent: LabAgent, from: number, text: string, limitMs: number): Promise<string> {
  const started = Date.now()
  while (Date.now() - started < limitMs) {
    const found = warnings(agent, from).find(m => m.includes(text))
    if (found !== undefined) return found
    await sleep(200)
  }
  throw new Error(`${agent.name}: no warning with "${text}" within ${limitMs} ms\n${agent.tail()}`)
}
const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))
const listing = (dir: string): string[] => existsSync(dir) ? readdirSync(dir) : []

/** A bonjour-service advert from host 2 that claims `txt.id` but points at the impostor's ports. */
async function forgeAdvert (txt: Record<string, string>, port: number): Promise<ChildProcess> {
  const script = `
    import { createRequire } from 'node:module'
    const { Bonjour } = createRequire(${JSON.stringify(resolve('package.json'))})('bonjour-service')
    const b = new Bonjour({}, () => {})
    b.publish({ name: 'swarmdrop-forged-${txt.id?.slice(0, 8) ?? ''}', type: 'swarmdrop', port: ${port}, host: 'swarmdrop-forged.local', txt: ${JSON.stringify(txt)}, disableIPv6: true })
    console.log('published')
    setInterval(() => {}, 1000)
    process.on('SIGTERM', () => b.unpublishAll(() => b.destroy(() => process.exit(0))))`
  const child = fx.lab.spawn(fx.host(2), process.execPath, ['--input-type=module', '-e', script])
  spawned.push(child)
  const up = await waitForOutput(child, /published/, 10_000)
  if (!up.ok) throw new Error(up.error.message)
  return child
}

async function stopSpawned (): Promise<void> {
  for (const c of spawned) {
    if (c.pid !== undefined && c.exitCode === null && c.signalCode === null) {
      killGroup(c.pid, 'SIGTERM')
      if (!(await waitForExit(c, 3_000))) killGroup(c.pid, 'SIGKILL')
    }
  }
}

beforeAll(async () => {
  sender = fx.agent(0, 'sender', 'all')
  victim = fx.agent(1, 'victim', 'all')
  impostor = fx.agent(2, 'victim', 'all')
  keeper = fx.agent(3, 'keeper', 'trusted')
  senderId = (await sender.start()).id
  victimId = (await victim.start()).id
  const k = await keeper.start()
  keeperId = k.id
  keeperPort = k.controlPort
}, 90_000)

describe('a forged device', () => {
  it('(a) same name, forged advert for the real id: the real recipient gets the file, the impostor nothing, the sender warns', async () => {
    try {
      // A first file, before the impostor exists: the sender meets the real "victim" and remembers it.
      const first = join(fx.work, 'first.bin')
      writeFileSync(first, randomBytes(300_000))
      const once = await fx.cli(0, ['send', first, '--to', victimId, '--wait', '--json', '--timeout', '40'], 60_000)
      expect(once.code, once.stderr).toBe(0)

      const at = sender.lines.length
      const listening = await impostor.start()
      impostorId = listening.id
      expect(impostorId).not.toBe(victimId)
      await forgeAdvert({ v: '1', id: victimId, name: 'victim', platform: 'linux', app: '0.1.0', cport: String(listening.controlPort), bport: String(listening.btPort) }, listening.controlPort)
      // The impostor's own advert: a known name under a new id is flagged.
      const clash = await waitForWarning(sender, at, 'a device named "victim"', 20_000)
      expect(clash).toContain('may be an impostor')
      // Let the sender's browser hear the forged advert too (announced at publish, re-queried every 5 s).
      await sleep(6_000)

      // By name it is now ambiguous, and send refuses to guess.
      const byName = await fx.cli(0, ['send', first, '--to', 'victim', '--json'])
      expect(byName.code).toBe(2)
      expect(byName.stderr).toMatch(/matches/)

      const payload = randomBytes(2 * 1024 * 1024 + 5)
      const file = join(fx.work, 'payload.bin')
      writeFileSync(file, payload)
      const beforeSend = sender.lines.length
      const sent = await fx.cli(0, ['send', file, '--to', victimId, '--wait', '--json', '--timeout', '60'], 90_000)
      expect(sent.code, sent.stderr).toBe(0)
      const summary = parseSendSummary(sent.stdout)
      if (summary instanceof Error) throw summary
      expect(summary.recipients.map(r => [r.id, r.status])).toEqual([[victimId, 'verified']])
      // The real recipient holds the very bytes.
      expect(readFileSync(join(fx.work, 'dl1', 'payload.bin')).equals(payload)).toBe(true)
      // The sender checked the forged address, found another key and sent nothing there.
      const warned = warnings(sender, beforeSend).filter(m => m.includes('presented a different key'))
      expect(warned.length, sender.tail()).toBeGreaterThan(0)
      expect(warned[0]).toContain(`device victim (${victimId.slice(0, 4)}·${victimId.slice(4, 8)}) presented a different key — it may be an impostor; not sending`)
      expect(warned[0]).toContain(fx.host(2).ip)
      // The impostor: no offer, no file, and its address is not a member of the swarm.
      expect(impostor.events.filter(e => e.event.startsWith('offer-'))).toEqual([])
      expect(listing(join(fx.work, 'dl2'))).toEqual([])
      const status = await statusOn(fx, 0)
      const members = status.distributions.find(d => d.name === 'payload.bin')?.members ?? []
      expect(members.map(m => m.address)).toContain(fx.host(1).ip)
      expect(members.map(m => m.address)).not.toContain(fx.host(2).ip)
      // The forged advert, heard after the first file went out, did not move the victim in that
      // record either (device-moves.ts: a new place is taken only once its key is proven there).
      const earlier = status.distributions.find(d => d.name === 'first.bin')?.members ?? []
      expect(earlier.filter(m => m.id === victimId).map(m => m.address)).toEqual([fx.host(1).ip])
    } finally {
      await stopSpawned()
    }
  }, 180_000)

  it('(b) offers claiming to come from a trusted device are refused and nothing is written', async () => {
    expect((await fx.cli(3, ['trust', senderId])).code).toBe(0)
    // The impostor really serves the data it offers: were an offer believed, the keeper would
    // download it (trusted sender, policy "trusted") and the file would land in dl3.
    const bait = join(fx.work, 'bait.bin')
    writeFileSync(bait, randomBytes(1_000_000))
    const seeder = fx.lab.spawn(fx.host(2), process.execPath, [CLI, 'seed', bait, '--bt-port', '47699', '--json'])
    spawned.push(seeder)
    try {
      const seeding = await waitForOutput(seeder, /"event":"seeding".*\n/, 30_000)
      if (!seeding.ok) throw new Error(seeding.error.message)
      const created = await createDistribution(bait, { createdBy: 'test' })
      if (!created.ok) throw new Error(created.error.message)
      const m = created.value.metainfo
      expect(seeding.value[0]).toContain(m.infoHash)
      const senderIdentity = await identityIn(join(fx.work, 'd0'))
      const impostorIdentity = await identityIn(join(fx.work, 'd2'))
      const base = (publicKey: string): UnsignedOffer => ({
        protocol: PROTOCOL,
        offerId: `forged-${randomBytes(4).toString('hex')}`,
        sender: { id: senderId, name: 'sender', publicKey, controlPort: 47620, btPort: 47699 },
        infoHash: m.infoHash,
        name: m.name,
        totalLength: m.totalLength,
        sha256: created.value.sha256,
        files: m.files.map(f => ({ path: f.path.join('/'), length: f.length })),
        torrent: m.torrentFile.toString('base64'),
        members: [{ id: senderId, name: 'sender', address: null, btPort: 47699 }, { id: keeperId, name: 'keeper', address: fx.host(3).ip, btPort: 47621 }],
        createdAt: new Date().toISOString()
      })
      const cases: Array<[string, Record<string, unknown>, string]> = [
        // The impostor's own key under the trusted id.
        ['its own key', { ...signOffer(impostorIdentity, base(impostorIdentity.publicKeyPem)) }, 'key-mismatch'],
        // The trusted device's (public) key, signed by the impostor.
        ['the trusted key, its own signature', (() => { const o = base(senderIdentity.publicKeyPem); return { ...o, signature: signBytes(impostorIdentity, offerSigningBytes(o)) } })(), 'bad-signature'],
        // A genuine offer by the trusted device (as if captured), replayed over the impostor's connection.
        ['a replayed genuine offer', { ...signOffer(senderIdentity, base(senderIdentity.publicKeyPem)) }, 'wrong-sender']
      ]
      for (const [what, offer, code] of cases) {
        const r = await postOffer(fx, 2, join(fx.work, 'd2'), { id: keeperId, address: fx.host(3).ip, controlPort: keeperPort }, JSON.stringify(offer))
        expect([what, r.status, r.body.error?.code]).toEqual([what, 403, code])
      }
      // Give a wrongly accepted offer time to show: the keeper would have started the download.
      await sleep(3_000)
      expect(keeper.events.filter(e => e.event.startsWith('offer-'))).toEqual([])
      expect(listing(join(fx.work, 'dl3'))).toEqual([])

      // The trust itself works: the real sender's file is accepted at once and lands.
      const real = join(fx.work, 'real.bin')
      const data = randomBytes(400_000)
      writeFileSync(real, data)
      const sent = await fx.cli(0, ['send', real, '--to', keeperId, '--json'])
      expect(sent.code, sent.stderr).toBe(0)
      expect(lastJson<{ recipients: Array<{ status: string }> }>(sent.stdout).recipients[0]?.status).toBe('accepted')
      await keeper.waitFor(e => e.event === 'verified', 30_000, 'the real file to verify')
      expect(readFileSync(join(fx.work, 'dl3', 'real.bin')).equals(data)).toBe(true)
      expect(listing(join(fx.work, 'dl3'))).toEqual(['real.bin'])
    } finally {
      await stopSpawned()
    }
  }, 120_000)
})

async function identityIn (dataDir: string): Promise<Identity> {
  const r = await loadOrCreateIdentity(dataDir)
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}
