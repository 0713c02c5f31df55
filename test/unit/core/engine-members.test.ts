// Engines on loopback with device keys: members prove their keys to each other on the BitTorrent
// wire (sd_member) before a piece moves; a peer at a member's address that does not (a plain
// BitTorrent client, or a device that is not the member listed there) is closed, gets nothing and
// is reported as an impostor once, and until it proves itself nothing but handshakes reaches it;
// an open swarm (seed/get) still serves anyone.
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { connect, createServer, type Socket } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createDistribution } from '../../../main/core/distributions/create.js'
import { targetsFor } from '../../../main/core/distributions/finish.js'
import { Engine, type EngineEvents } from '../../../main/core/engine/engine.js'
import type { MemberEndpoint } from '../../../main/core/engine/member-proof.js'
import { type Identity } from '../../../main/core/identity/identity.js'
import type { Metainfo } from '../../../main/core/torrent/metainfo.js'
import { engineFixture, identity } from './engine-fixture.js'

const { tmp, engine, defer } = engineFixture('sd-members-')

function impostors (e: Engine): Array<EngineEvents['impostor']> {
  const seen: Array<EngineEvents['impostor']> = []
  e.on('impostor', (...args) => seen.push(args))
  return seen
}

function waitDone (e: Engine, ih: string, ms = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('download did not finish in time')), ms)
    e.on('done', x => { if (x === ih) { clearTimeout(t); resolve() } })
  })
}

async function until (what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

/** WebTorrent's block: the least piece data one message carries. */
const BLOCK = 16 * 1024

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/** An origin engine seeding 3 MiB of random data, with the given key and members (none = open swarm). */
async function origin (me: Identity | undefined, members?: readonly MemberEndpoint[], shape: { bytes: number; pieceLength?: number } = { bytes: 3 * 1024 * 1024 }): Promise<{ e: Engine; m: Metainfo }> {
  const src = join(tmp(), 'data.bin')
  writeFileSync(src, randomBytes(shape.bytes))
  const created = await createDistribution(src, { createdBy: 'test', ...(shape.pieceLength ? { pieceLength: shape.pieceLength } : {}) })
  if (!created.ok) throw new Error(created.error.message)
  const e = await engine({ identity: me })
  const m = created.value.metainfo
  const seeded = e.seed({ metainfo: m, targets: created.value.source.entries.map((s, i) => ({ path: s.absolutePath, length: s.length, offset: m.files[i]?.offset ?? 0 })), ...(members ? { members, schedule: { role: 'origin' } } : {}) })
  if (!seeded.ok) throw new Error(seeded.error.message)
  return { e, m }
}

function download (e: Engine, m: Metainfo, members?: readonly MemberEndpoint[]): void {
  const started = e.download({ metainfo: m, targets: targetsFor(m, { downloadsDir: tmp(), finalName: 'data.bin' }, true), ...(members ? { members } : {}) })
  if (!started.ok) throw new Error(started.error.message)
}

/**
 * A TCP relay on loopback to `port` that keeps every byte the dialling side sends: the messages a
 * recipient puts on the wire, to read its requests from. The relay's address is 127.0.0.1 like
 * the origin's, so both sides still see a member's address.
 */
async function tap (port: number): Promise<{ port: number; sent: () => Buffer }> {
  const chunks: Buffer[] = []
  const sockets: Socket[] = []
  const server = createServer(inbound => {
    const outbound = connect(port, '127.0.0.1')
    sockets.push(inbound, outbound)
    inbound.on('data', (d: Buffer) => chunks.push(d))
    inbound.pipe(outbound).pipe(inbound)
    inbound.on('error', () => outbound.destroy())
    outbound.on('error', () => inbound.destroy())
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  defer(() => { for (const s of sockets) s.destroy(); server.close() })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no relay port')
  return { port: address.port, sent: () => Buffer.concat(chunks) }
}

/** The block lengths of the request messages (id 6) in what one side sent after its handshake. */
function requestLengths (sent: Buffer): number[] {
  const lengths: number[] = []
  for (let pos = 68; pos + 4 <= sent.length;) {
    const length = sent.readUInt32BE(pos)
    if (length === 13 && sent[pos + 4] === 6) lengths.push(sent.readUInt32BE(pos + 4 + 9))
    pos += 4 + length
  }
  return lengths
}

/** A recipient with `memberBlockBytes` downloads from a member origin through a tap: its requests. */
async function requestsOfMember (memberBlockBytes?: number, shape?: { bytes: number; pieceLength: number }): Promise<{ lengths: number[]; m: Metainfo }> {
  const a = identity()
  const b = identity()
  const members = [{ id: a.id, address: '127.0.0.1' }, { id: b.id, address: '127.0.0.1' }]
  const o = await origin(a, members, shape)
  const relay = await tap(o.e.port)
  const r = await engine({ identity: b, ...(memberBlockBytes !== undefined ? { memberBlockBytes } : {}) })
  download(r, o.m, members)
  const done = waitDone(r, o.m.infoHash)
  r.connect(o.m.infoHash, [`127.0.0.1:${relay.port}`])
  await done
  expect(r.stats(o.m.infoHash)?.verifiedPieces).toBe(o.m.pieceCount)
  return { lengths: requestLengths(relay.sent()), m: o.m }
}

describe('request size between members (sd_member bs)', () => {
  it('asks for a whole piece in one request when both members offer larger requests', async () => {
    const { lengths, m } = await requestsOfMember()
    expect(m.pieceLength).toBeGreaterThan(BLOCK)
    expect(lengths.length).toBeGreaterThanOrEqual(m.pieceCount)
    expect(new Set(lengths)).toEqual(new Set([m.pieceLength]))
  })

  it('asks for 1 MiB at most: a 2 MiB piece is two requests and the short last piece one', async () => {
    const MiB = 1024 * 1024
    const { lengths, m } = await requestsOfMember(undefined, { bytes: 12 * MiB + 5 * BLOCK + 100, pieceLength: 2 * MiB })
    // The last piece (5 blocks and 100 bytes) is one request of its own length.
    expect(lengths.length).toBeGreaterThanOrEqual(13)
    expect(new Set(lengths)).toEqual(new Set([MiB, 5 * BLOCK + 100]))
    expect(m.pieceCount).toBe(7)
  }, 30_000)

  it('keeps the standard 16 KiB requests when one member offers no more', async () => {
    const { lengths, m } = await requestsOfMember(BLOCK)
    expect(lengths.length).toBeGreaterThanOrEqual(m.pieceCount * (m.pieceLength / BLOCK))
    expect(new Set(lengths)).toEqual(new Set([BLOCK]))
  })
})

describe('members proven by key on the wire', () => {
  it('lets two members exchange pieces once each proved its key to the other', async () => {
    const a = identity()
    const b = identity()
    const members = [{ id: a.id, address: '127.0.0.1' }, { id: b.id, address: '127.0.0.1' }]
    const o = await origin(a, members)
    const seenAtOrigin = impostors(o.e)
    const r = await engine({ identity: b })
    const seenAtRecipient = impostors(r)
    download(r, o.m, members)
    const done = waitDone(r, o.m.infoHash)
    r.connect(o.m.infoHash, [`127.0.0.1:${o.e.port}`])
    await done
    expect(r.stats(o.m.infoHash)?.peers.map(p => p.member)).toEqual([a.id])
    expect(o.e.stats(o.m.infoHash)?.peers.map(p => p.member)).toEqual([b.id])
    expect(seenAtOrigin).toEqual([])
    expect(seenAtRecipient).toEqual([])
  })

  it('closes a plain BitTorrent client at a member\'s address, gives it nothing and reports it once', async () => {
    const a = identity()
    const b = identity()
    const o = await origin(a, [{ id: b.id, address: '127.0.0.1' }])
    const seen = impostors(o.e)
    const plain = await engine() // no key, no members: what `swarmdrop get` or any client is
    download(plain, o.m)
    plain.connect(o.m.infoHash, [`127.0.0.1:${o.e.port}`])
    await until('the impostor report', () => seen.length > 0)
    expect(seen[0]).toEqual([o.m.infoHash, '127.0.0.1', null, 'the peer does not offer the Swarmdrop member proof (sd_member)'])
    // It redials, and is closed again each time, without a further report.
    plain.connect(o.m.infoHash, [`127.0.0.1:${o.e.port}`])
    await sleep(1_500)
    plain.connect(o.m.infoHash, [`127.0.0.1:${o.e.port}`])
    await sleep(1_500)
    expect(seen).toHaveLength(1)
    expect(plain.stats(o.m.infoHash)?.verifiedPieces).toBe(0)
    // The byte counts include the handshakes: less than one block means no piece data moved.
    expect(plain.stats(o.m.infoHash)?.receivedBytes).toBeLessThan(BLOCK)
    expect(o.e.stats(o.m.infoHash)?.uploadedBytes).toBeLessThan(BLOCK)
    expect(o.e.stats(o.m.infoHash)?.peers).toEqual([])
  })

  it('sends nothing but handshakes to a peer that never proves itself, and closes it after the time limit', async () => {
    const a = identity()
    const o = await origin(a, [{ id: identity().id, address: '127.0.0.1' }])
    const seen = impostors(o.e)
    // A raw BitTorrent peer: handshake (BEP 10 and BEP 6 bits set), then interested and a request,
    // and never an extended handshake.
    const socket = connect(o.e.port, '127.0.0.1')
    const received: Buffer[] = []
    socket.on('data', (d: Buffer) => received.push(d))
    const closed = new Promise<number>(resolve => socket.on('close', () => resolve(Date.now())))
    socket.on('error', () => {})
    const reserved = Buffer.alloc(8)
    reserved[5] = 0x10
    reserved[7] = 0x04
    const opened = Date.now()
    socket.write(Buffer.concat([Buffer.from('\x13BitTorrent protocol', 'latin1'), reserved, Buffer.from(o.m.infoHash, 'hex'), randomBytes(20)]))
    const request = Buffer.alloc(17)
    request.writeUInt32BE(13, 0); request[4] = 6; request.writeUInt32BE(0, 5); request.writeUInt32BE(0, 9); request.writeUInt32BE(16 * 1024, 13)
    socket.write(Buffer.concat([Buffer.from([0, 0, 0, 1, 2]), request]))
    const at = await closed
    expect(at - opened).toBeGreaterThanOrEqual(4_500)
    expect(at - opened).toBeLessThan(8_000)
    expect(seen.map(x => x.slice(2))).toEqual([[null, 'no member proof within 5 s']])
    // What came back: the handshake, the extended handshake (sd_member's hello), a BEP 6 reject of
    // the request, and nothing else (no bitfield, have, unchoke or piece).
    const bytes = Buffer.concat(received)
    const ids: number[] = []
    for (let pos = 68; pos + 4 <= bytes.length;) {
      const length = bytes.readUInt32BE(pos)
      if (length > 0) ids.push(bytes[pos + 4] ?? -1)
      pos += 4 + length
    }
    expect(ids.filter(id => id !== 20 && id !== 16)).toEqual([])
    expect(ids).toContain(20)
  }, 15_000)

  it('closes a device that proves its own key but is not the member listed at its address', async () => {
    const a = identity()
    const b = identity()
    const mallory = identity()
    const o = await origin(a, [{ id: b.id, address: '127.0.0.1' }])
    const seen = impostors(o.e)
    const m = await engine({ identity: mallory })
    // Mallory lists itself and the origin, as a self-made offer would.
    download(m, o.m, [{ id: a.id, address: '127.0.0.1' }, { id: mallory.id, address: '127.0.0.1' }])
    m.connect(o.m.infoHash, [`127.0.0.1:${o.e.port}`])
    await until('the impostor report', () => seen.length > 0)
    expect(seen[0]?.[2]).toBe(mallory.id)
    expect(seen[0]?.[3]).toBe(`device ${mallory.id} is not a member of this swarm`)
    await sleep(1_000)
    expect(m.stats(o.m.infoHash)?.verifiedPieces).toBe(0)
    expect(m.stats(o.m.infoHash)?.receivedBytes).toBeLessThan(BLOCK)
    expect(o.e.stats(o.m.infoHash)?.uploadedBytes).toBeLessThan(BLOCK)
  })

  it('still serves anyone in an open swarm (seed/get), with or without a device key', async () => {
    const o = await origin(identity())
    const plain = await engine()
    download(plain, o.m)
    const done = waitDone(plain, o.m.infoHash)
    plain.connect(o.m.infoHash, [`127.0.0.1:${o.e.port}`])
    await done
    expect(plain.stats(o.m.infoHash)?.verifiedPieces).toBe(o.m.pieceCount)
  })

  it('refuses a swarm with members on an engine without a device key', async () => {
    const o = await origin(identity())
    const keyless = await engine()
    const added = keyless.download({ metainfo: o.m, targets: targetsFor(o.m, { downloadsDir: tmp(), finalName: 'data.bin' }, true), members: [{ id: 'ab'.repeat(16), address: '127.0.0.1' }] })
    expect(added).toMatchObject({ ok: false, error: { code: 'no-identity' } })
  })
})
