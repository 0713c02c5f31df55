// A block the store lends (a view of a piece buffer it reuses, with `release`) must be released by
// the wire only once its bytes are no longer read: after they were copied into a batch, or after
// the socket wrote them (bittorrent-protocol's patched _message / _pushNow, webtorrent's _sink).
// Released earlier, the store could read the next piece into bytes still queued on a socket.
import Wire from 'bittorrent-protocol'
import { describe, expect, it } from 'vitest'

type Release = () => void
type Lent = Uint8Array & { release?: Release }

interface TestWire {
  _sink: ((chunk: Uint8Array, written?: Release) => void) | null
  piece (index: number, offset: number, block: Uint8Array): void
  destroy (): void
}

function lent (length: number, fill: number): { block: Lent, released: () => number } {
  const block: Lent = new Uint8Array(length).fill(fill)
  let count = 0
  block.release = () => { count++ }
  return { block, released: () => count }
}

async function tick (): Promise<void> { await new Promise(resolve => setTimeout(resolve, 0)) }

describe('blocks lent to a wire', () => {
  it('a large block is sent as it is and released only when the socket has written it', async () => {
    const wire = new (Wire as unknown as new () => TestWire)()
    const sent: Array<{ chunk: Uint8Array, written?: Release }> = []
    wire._sink = (chunk, written) => { sent.push(written === undefined ? { chunk } : { chunk, written }) }
    const { block, released } = lent(1024 * 1024, 7)
    wire.piece(3, 0, block)
    await tick()
    const own = sent.find(s => s.chunk === block)
    expect(own).toBeDefined()
    expect(released()).toBe(0)
    own?.written?.()
    expect(released()).toBe(1)
    wire.destroy()
  })

  it('a small block is copied into the batch and released then; later changes to it are not sent', async () => {
    const wire = new (Wire as unknown as new () => TestWire)()
    const sent: Uint8Array[] = []
    wire._sink = chunk => { sent.push(chunk) }
    const { block, released } = lent(16 * 1024, 9)
    wire.piece(1, 0, block)
    expect(released()).toBe(0)
    await tick()
    expect(released()).toBe(1)
    block.fill(0) // the store reads the next piece into it
    const bytes = sent.reduce((n, c) => n + c.length, 0)
    expect(bytes).toBe(13 + 16 * 1024)
    const last = sent[sent.length - 1]
    expect(last?.subarray(last.length - 16 * 1024).every(b => b === 9)).toBe(true)
    wire.destroy()
  })

  it('without a direct socket (the stream path), a lent block is copied and released at once', async () => {
    const wire = new (Wire as unknown as new () => TestWire)()
    const { block, released } = lent(256 * 1024, 5)
    const out: Uint8Array[] = []
    ;(wire as unknown as { on (e: string, f: (c: Uint8Array) => void): void }).on('data', c => { out.push(c) })
    wire.piece(2, 0, block)
    expect(released()).toBe(1)
    block.fill(0)
    await tick()
    const data = out.find(c => c.length === 256 * 1024)
    expect(data?.every(b => b === 5)).toBe(true)
    wire.destroy()
  })
})
