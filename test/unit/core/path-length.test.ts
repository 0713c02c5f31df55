// Finding 4 of issue 11: a name of 251–255 bytes passed the 255-byte check but NAME.part could not
// be created (ENAMETOOLONG after accepting), and a path of 40 × 250-byte components (beyond
// PATH_MAX) was accepted. Both are now refused when the torrent is parsed, with the reason.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { bencode, bstr, type BDict } from '../../../main/core/torrent/bencode.js'
import { parseTorrentFile } from '../../../main/core/torrent/metainfo.js'
import { MAX_COMPONENT_BYTES, MAX_PATH_BYTES } from '../../../main/core/torrent/safe-path.js'

const dir = mkdtempSync(join(tmpdir(), 'sd-pathlen-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function single (name: string): Buffer {
  return bencode({ info: { name: bstr(name), 'piece length': 16384, pieces: Buffer.alloc(20), length: 10 } })
}
function folder (name: string, path: string[]): Buffer {
  const info: BDict = { name: bstr(name), 'piece length': 16384, pieces: Buffer.alloc(20), files: [{ length: 10, path: path.map(bstr) }] }
  return bencode({ info })
}

describe('path lengths in torrents', () => {
  it.each([251, 252, 253, 254, 255])('refuses a name of %i bytes, whose NAME.part the disk cannot hold', bytes => {
    const r = parseTorrentFile(single('n'.repeat(bytes)))
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.code).toBe('unsafe-path')
      expect(r.error.message).toMatch(/longer than 250 bytes \(no room for "\.part"\)/)
    }
  })

  it('counts bytes, not characters: 126 × "é" (252 bytes) is refused, 125 (250) taken', () => {
    expect(parseTorrentFile(single('é'.repeat(126))).ok).toBe(false)
    expect(parseTorrentFile(single('é'.repeat(125))).ok).toBe(true)
  })

  it('takes a name of 250 bytes, and NAME.part of it really can be created', () => {
    const name = 'n'.repeat(MAX_COMPONENT_BYTES)
    expect(parseTorrentFile(single(name)).ok).toBe(true)
    expect(() => writeFileSync(join(dir, `${name}.part`), '')).not.toThrow()
    // The bound is tight: a byte more is what the file system refuses.
    expect(() => writeFileSync(join(dir, `${name}x.part`), '')).toThrow(/ENAMETOOLONG/)
  })

  it('refuses a component of 251 bytes deep inside a folder', () => {
    const r = parseTorrentFile(folder('f', ['a', 'b'.repeat(251)]))
    expect(r.ok).toBe(false)
  })

  it('refuses a path of 40 × 250-byte components (longer than PATH_MAX), naming its length', () => {
    const r = parseTorrentFile(folder('f', Array.from({ length: 40 }, (_, i) => String(i % 10).repeat(250))))
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.code).toBe('unsafe-path')
      expect(r.error.message).toMatch(/a path of \d+ bytes, longer than 1024/)
    }
  })

  it('counts the folder name and its ".part" in the whole path: exactly 1,024 bytes is taken, 1,025 refused', () => {
    const name = 'top' // "top.part/" is 9 bytes
    // "top.part/" (9 bytes), four 200-byte folders with their slashes (804), then a name of n bytes.
    const fill = (n: number): string[] => [...Array.from({ length: 4 }, () => 'a'.repeat(200)), 'b'.repeat(n)]
    const last = MAX_PATH_BYTES - 9 - 4 * 201
    expect(parseTorrentFile(folder(name, fill(last))).ok).toBe(true)
    const r = parseTorrentFile(folder(name, fill(last + 1)))
    expect(r.ok).toBe(false)
  })
})

describe('characters in torrent names', () => {
  it.each([
    ['a C1 CSI', 'a\u009b2Kb'],
    ['a right-to-left override ("gpj.exe" shown as "exe.jpg")', 'photo\u202egpj.exe'],
    ['a bidi isolate', 'a\u2067b']
  ])('refuses %s', (_what, name) => {
    const r = parseTorrentFile(single(name))
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.code).toBe('unsafe-path')
  })

  it('keeps real names in any script, ZWNJ and emoji sequences included', () => {
    for (const name of ['می‌خواهم.txt', 'שלום.txt', '👨‍👩‍👧.png', 'café.iso']) expect(parseTorrentFile(single(name)).ok).toBe(true)
  })
})
