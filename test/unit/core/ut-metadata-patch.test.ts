import bencode from 'bencode'
import { createHash } from 'node:crypto'
import { EventEmitter } from 'node:events'
import utMetadata from 'ut_metadata'
import { describe, expect, it } from 'vitest'

// patches/ut_metadata: the info dictionary is cut out of the torrent as it is (no decode and
// re-encode per wire), and must be exactly what the original code produced.

interface Ext extends EventEmitter { metadata: Uint8Array; onHandshake: (infoHash: string) => void; setMetadata: (m: Uint8Array) => Promise<boolean> }

const files = Array.from({ length: 2000 }, (_, i) => ({ length: 8192, path: [`d${i % 5}`, `seg${i}.ts`] }))
const torrent = Buffer.from(bencode.encode({ announce: 'x', 'created by': 'me', info: { name: 'seg', 'piece length': 262144, pieces: Buffer.alloc(20 * 63), files } }))
const canonical = Buffer.from(bencode.encode(bencode.decode(torrent).info))
const wrapped = Buffer.from(bencode.encode({ info: bencode.decode(canonical) }))
const infoHash = createHash('sha1').update(canonical).digest('hex')

async function set (input: Uint8Array, hash: string): Promise<{ ok: boolean, metadata?: Uint8Array, event?: Uint8Array }> {
  const Ctor = (utMetadata as unknown as () => new (wire: unknown) => Ext)()
  const ext = new Ctor(Object.assign(new EventEmitter(), { extendedHandshake: {}, extended () {} }))
  ext.onHandshake(hash)
  let event: Uint8Array | undefined
  ext.on('metadata', (m: Uint8Array) => { event = m })
  const ok = await ext.setMetadata(input)
  return { ok, ...(ok ? { metadata: ext.metadata } : {}), ...(event ? { event } : {}) }
}

describe('ut_metadata patch', () => {
  it('gives the same info dictionary and metadata event as decoding and encoding, for a torrent or an info dictionary', async () => {
    for (const input of [torrent, torrent, canonical]) {
      const r = await set(input, infoHash)
      expect(r.ok).toBe(true)
      expect(Buffer.from(r.metadata ?? []).equals(canonical)).toBe(true)
      expect(Buffer.from(r.event ?? []).equals(wrapped)).toBe(true)
    }
  })

  it('still refuses metadata of another infohash, and malformed bytes', async () => {
    expect((await set(torrent, 'f'.repeat(40))).ok).toBe(false)
    expect((await set(Buffer.from('d4:infod4:name'), infoHash)).ok).toBe(false)
  })
})
