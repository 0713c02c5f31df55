// While a connection's socket is backed up, piece data waits in the wire and the messages that
// steer a swarm (a HAVE, a request, a cancel) go out ahead of it (bittorrent-protocol's patched
// piece/_pumpBulk, webtorrent's leanPipes setting the gate). Queued in the socket instead, a HAVE
// waited behind megabytes of data, and a relay's next piece started that much later. Real TCP
// sockets on loopback: the far end reads nothing until the queue has built up.
import { once } from 'node:events'
import { createServer, connect, type Server, type Socket } from 'node:net'
import Peer from 'webtorrent/lib/peer.js'
import { afterEach, describe, expect, it } from 'vitest'

const MiB = 1024 * 1024
const PIECES = 32

type Lent = Uint8Array & { release?: () => void }

interface TestWire {
  piece (index: number, offset: number, block: Uint8Array): void
  have (index: number): void
}
interface TestPeer {
  conn: Socket | null
  wire: TestWire | null
  throttleGroups: unknown
  onConnect (): void
  destroy (): void
}

const cleanups: Array<() => void> = []
afterEach(() => { for (const c of cleanups.splice(0).reverse()) c() })

/** A peer on one end of a loopback connection whose far end does not read until asked. */
async function backedUpPair (): Promise<{ peer: TestPeer, wire: TestWire, far: Socket }> {
  const server: Server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  cleanups.push(() => { server.close() })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  const accepted = once(server, 'connection') as Promise<[Socket]>
  const conn = connect(address.port, '127.0.0.1')
  await once(conn, 'connect')
  const [far] = await accepted
  far.pause()
  cleanups.push(() => { far.destroy(); conn.destroy() })
  const idle = { getEnabled: () => false }
  const peer = new (Peer as unknown as new (id: string, type: string) => TestPeer)('bulk-gate', 'tcpOutgoing')
  peer.conn = conn
  peer.throttleGroups = { down: idle, up: idle }
  peer.onConnect()
  cleanups.push(() => { peer.destroy() })
  if (peer.wire === null) throw new Error('no wire')
  return { peer, wire: peer.wire, far }
}

/** Reads the far end until `count` messages have arrived; their ids and lengths in order. */
async function readMessages (far: Socket, count: number, timeoutMs = 20_000): Promise<Array<{ id: number, index: number, body: Uint8Array }>> {
  const messages: Array<{ id: number, index: number, body: Uint8Array }> = []
  let pending = Buffer.alloc(0)
  const deadline = Date.now() + timeoutMs
  far.resume()
  for await (const chunk of far as AsyncIterable<Buffer>) {
    pending = Buffer.concat([pending, chunk])
    for (;;) {
      if (pending.length < 4) break
      const length = pending.readUInt32BE(0)
      if (pending.length < 4 + length) break
      const id = pending[4] ?? -1
      messages.push({ id, index: length >= 5 ? pending.readUInt32BE(5) : -1, body: pending.subarray(4, 4 + length) })
      pending = pending.subarray(4 + length)
    }
    if (messages.length >= count || Date.now() > deadline) break
  }
  return messages
}

function block (fill: number): { data: Lent, released: () => boolean } {
  const data: Lent = new Uint8Array(MiB).fill(fill)
  let done = false
  data.release = () => { done = true }
  return { data, released: () => done }
}

const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

/** PIECES lent blocks handed to the wire, then a moment for the socket to fill. */
async function queueLent (wire: TestWire): Promise<Array<ReturnType<typeof block>>> {
  const lent = Array.from({ length: PIECES }, (_, i) => block(i))
  for (const [i, l] of lent.entries()) wire.piece(i, 0, l.data)
  await sleep(50)
  return lent
}

describe('piece data waits while the socket is backed up', () => {
  it('a HAVE sent after 32 MiB of queued pieces overtakes most of them, and every piece still arrives intact and in order', async () => {
    const { wire, far } = await backedUpPair()
    for (let i = 0; i < PIECES; i++) wire.piece(i, 0, new Uint8Array(MiB).fill(i))
    await sleep(50) // the socket fills; the far end reads nothing yet
    wire.have(4242)
    const messages = await readMessages(far, PIECES + 1)
    const haveAt = messages.findIndex(m => m.id === 4)
    expect(haveAt).toBeGreaterThanOrEqual(0)
    expect(messages[haveAt]?.index).toBe(4242)
    // What the kernel and one write in progress hold goes first; the rest waited in the wire.
    expect(haveAt).toBeLessThan(PIECES / 2)
    const pieces = messages.filter(m => m.id === 7)
    expect(pieces.map(m => m.index)).toEqual(Array.from({ length: PIECES }, (_, i) => i))
    for (const m of pieces) {
      expect(m.body.length).toBe(9 + MiB)
      expect(m.body.subarray(9).every(b => b === m.index)).toBe(true)
    }
  }, 30_000)

  it('a cancelled block still waiting is never sent, and its lent buffer is released', async () => {
    const { wire, far } = await backedUpPair()
    const lent = await queueLent(wire)
    // The far end introduces itself, then cancels the last block: <len=13><id=8><index><begin><length>.
    far.write(Buffer.concat([Buffer.from([19]), Buffer.from('BitTorrent protocol'), Buffer.alloc(8), Buffer.alloc(20, 0xaa), Buffer.alloc(20, 0xbb)]))
    const cancel = Buffer.alloc(17)
    cancel.writeUInt32BE(13, 0); cancel.writeUInt8(8, 4); cancel.writeUInt32BE(PIECES - 1, 5); cancel.writeUInt32BE(0, 9); cancel.writeUInt32BE(MiB, 13)
    far.write(cancel)
    await sleep(50)
    expect(lent[PIECES - 1]?.released()).toBe(true)
    expect(lent[PIECES - 2]?.released()).toBe(false) // still waiting, to be sent
    const messages = await readMessages(far, PIECES - 1)
    await sleep(100)
    expect(messages.filter(m => m.id === 7).map(m => m.index)).toEqual(Array.from({ length: PIECES - 1 }, (_, i) => i))
    expect(far.readableLength).toBe(0)
  }, 30_000)

  it('blocks still waiting when the connection ends are released', async () => {
    const { peer, wire } = await backedUpPair()
    const lent = await queueLent(wire)
    const waiting = lent.filter(l => !l.released()).length
    expect(waiting).toBeGreaterThan(0)
    peer.destroy()
    await sleep(50)
    // Blocks handed to the socket are released by its write callbacks (or left to the collector
    // when the socket is destroyed); the ones still in the wire are released by the wire.
    const wireHeld = lent.slice(PIECES / 2)
    expect(wireHeld.every(l => l.released())).toBe(true)
  }, 30_000)
})
