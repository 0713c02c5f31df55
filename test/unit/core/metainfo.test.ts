import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { bdecode, bencode, bencodeWithSpan, bstr, type BDict } from '../../../main/core/torrent/bencode.js'
import { buildTorrent, parseTorrentFile } from '../../../main/core/torrent/metainfo.js'
import { resolveInside, unsafePathReason } from '../../../main/core/torrent/safe-path.js'

const sha = 'a'.repeat(64)
const pieces = (n: number): Buffer => Buffer.alloc(20 * n, 7)

function folderTorrent (paths: string[][], lengths: number[], pieceLength = 16384): Buffer {
  const total = lengths.reduce((a, b) => a + b, 0)
  const info: BDict = {
    name: bstr('folder'),
    'piece length': pieceLength,
    pieces: pieces(Math.ceil(total / pieceLength)),
    files: paths.map((p, i) => ({ length: lengths[i] ?? 0, path: p.map(bstr) }))
  }
  return bencode({ info })
}

describe('bencode', () => {
  it('round-trips and reports the info span whose SHA-1 is the infohash', () => {
    const info: BDict = { name: bstr('x'), 'piece length': 16384, pieces: pieces(1), length: 5 }
    const bytes = bencode({ announce: bstr('none'), info })
    const d = bdecode(bytes)
    expect(d.ok).toBe(true)
    if (!d.ok || !d.value.infoSpan) throw new Error('no span')
    expect(bytes.subarray(d.value.infoSpan.start, d.value.infoSpan.end).equals(bencode(info))).toBe(true)
  })

  it('refuses deep nesting, huge integers, truncation and trailing bytes without throwing', () => {
    expect(bdecode(Buffer.from('l'.repeat(200) + 'e'.repeat(200))).ok).toBe(false)
    expect(bdecode(Buffer.from('i123456789012345678901234567890e')).ok).toBe(false)
    expect(bdecode(Buffer.from('d4:name')).ok).toBe(false)
    expect(bdecode(Buffer.from('i1ee')).ok).toBe(false)
    expect(bdecode(Buffer.from('i-0e')).ok).toBe(false)
    expect(bdecode(Buffer.from('999999999:x')).ok).toBe(false)
    expect(bdecode(Buffer.from('li1ei2ee'), { maxDepth: 100, maxTokens: 2 }).ok).toBe(false)
  })

  it('takes only canonical numbers, read in place', () => {
    const n = (text: string): unknown => { const d = bdecode(Buffer.from(text)); return d.ok ? d.value.value : 'refused' }
    expect(n('i0e')).toBe(0)
    expect(n('i-5e')).toBe(-5)
    expect(n('i9007199254740991e')).toBe(Number.MAX_SAFE_INTEGER)
    expect(n('i-9007199254740991e')).toBe(-Number.MAX_SAFE_INTEGER)
    for (const bad of ['i9007199254740992e', 'i01e', 'i-0e', 'i-e', 'ie', 'i1-e', 'i+1e', 'i 1e', 'i1', '01:x', '-1:x', ':x', '1x:x', '12345678901234567:x']) {
      expect(n(bad), bad).toBe('refused')
    }
    const s = bdecode(Buffer.from('3:abc'))
    expect(s.ok && Buffer.isBuffer(s.value.value) && s.value.value.toString()).toBe('abc')
  })

  it('a torrent with a non-canonical number is refused, even in a key nobody reads', () => {
    const info = Buffer.concat([Buffer.from('d6:lengthi5e4:name1:x12:piece lengthi16384e6:pieces20:'), pieces(1), Buffer.from('e')])
    for (const extra of ['1:xi-0e', '1:xi01e', '1:xli-0ee', '1:xd1:ai-0ee']) {
      const bytes = Buffer.concat([Buffer.from('d4:info'), info, Buffer.from(extra), Buffer.from('e')])
      const r = parseTorrentFile(bytes)
      expect(r.ok, extra).toBe(false)
      if (!r.ok) expect(r.error.code).toBe('corrupt')
    }
    expect(parseTorrentFile(Buffer.concat([Buffer.from('d4:info'), info, Buffer.from('1:xi-7ee')])).ok).toBe(true)
  })

  it('encodes in byte order of the keys, and reports where the info dictionary lies', () => {
    const info: BDict = { name: bstr('x'), 'piece length': 16384, pieces: pieces(1), length: 5 }
    const root: BDict = { 'é': 1, z: 2, info, a: bstr('ü'), '\u{1F600}': 3, '\uFF21': 4 }
    const { bytes, infoSpan } = bencodeWithSpan(root)
    const keys: string[] = []
    const d = bdecode(bytes)
    if (!d.ok) throw new Error(d.error.message)
    for (const k of Object.keys(d.value.value as BDict)) keys.push(k)
    // UTF-8 byte order: a, info, z, é (C3 A9), U+FF21 (EF BC A1), U+1F600 (F0 9F 98 80).
    expect(bytes.toString('utf8').match(/\d+:(a|info|z|é|\uFF21|\u{1F600})(?=[ild0-9])/gu)?.map(m => m.split(':')[1])).toEqual(['a', 'info', 'z', 'é', '\uFF21', '\u{1F600}'])
    expect(infoSpan && bytes.subarray(infoSpan.start, infoSpan.end).equals(bencode(info))).toBe(true)
    expect(keys.sort()).toEqual(Object.keys(root).sort())
    // Text is encoded as its UTF-8 bytes, a lone surrogate as U+FFFD (as Buffer.from does).
    expect(bencode({ p: ['é', 'a\uD800', '\u{1F600}'] }).equals(bencode({ p: ['é', 'a\uD800', '\u{1F600}'].map(t => Buffer.from(t, 'utf8')) }))).toBe(true)
  })
})

describe('torrent metadata', () => {
  it('builds a single-file torrent that standard parsing agrees with', () => {
    const built = buildTorrent({ name: 'a.iso', isFolder: false, files: [{ path: ['a.iso'], length: 40000, sha256: sha }], pieceLength: 16384, pieceHashes: pieces(3), createdBy: 'test' })
    expect(built.ok).toBe(true)
    if (!built.ok) return
    const m = built.value
    expect(m.pieceCount).toBe(3)
    expect(m.files[0]?.sha256).toBe(sha)
    const d = bdecode(m.torrentFile)
    if (!d.ok || !d.value.infoSpan) throw new Error('bad')
    expect(m.infoHash).toBe(createHash('sha1').update(m.torrentFile.subarray(d.value.infoSpan.start, d.value.infoSpan.end)).digest('hex'))
  })

  it('computes file offsets in a folder', () => {
    const m = parseTorrentFile(folderTorrent([['a'], ['b', 'c'], ['d']], [10, 0, 20000]))
    expect(m.ok && m.value.files.map(f => f.offset)).toEqual([0, 10, 10])
  })

  it.each([
    [['..', 'evil']], [['/etc', 'passwd']], [['a\\..\\b']], [['C:', 'x']], [['CON']], [['nul.txt']], [['a\u0000b']],
    [['trailing.']], [['space ']], [['a:stream']], [['']], [['.']]
  ])('refuses the unsafe path %j', (path) => {
    const r = parseTorrentFile(folderTorrent([path, ['ok']], [10, 10]))
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.code).toBe('unsafe-path')
  })

  it('refuses duplicate paths (also case-insensitively) and a file that is also a folder', () => {
    expect(parseTorrentFile(folderTorrent([['a'], ['A']], [1, 1])).ok).toBe(false)
    expect(parseTorrentFile(folderTorrent([['a'], ['a', 'b']], [1, 1])).ok).toBe(false)
    // Found by fuzzing: pairs that only full case folding puts in one file on Windows and macOS.
    for (const [x, y] of [['ſ', 's'], ['ς.txt', 'σ.txt'], ['ß', 'SS'], ['ﬀ', 'ff']]) {
      expect(parseTorrentFile(folderTorrent([[x ?? ''], [y ?? '']], [1, 1])).ok).toBe(false)
    }
  })

  it('refuses piece counts that do not match the length, odd piece lengths and empty data', () => {
    const wrongCount = bencode({ info: { name: bstr('x'), 'piece length': 16384, pieces: pieces(5), length: 100 } })
    expect(parseTorrentFile(wrongCount).ok).toBe(false)
    const oddLength = bencode({ info: { name: bstr('x'), 'piece length': 10000, pieces: pieces(1), length: 100 } })
    expect(parseTorrentFile(oddLength).ok).toBe(false)
    const empty = bencode({ info: { name: bstr('x'), 'piece length': 16384, pieces: pieces(1), length: 0 } })
    expect(parseTorrentFile(empty).ok).toBe(false)
    expect(parseTorrentFile(Buffer.from('not a torrent')).ok).toBe(false)
  })

  it('checks resolved paths stay inside the download folder', () => {
    expect(resolveInside('/dl', ['a', 'b'])).toBe('/dl/a/b')
    expect(resolveInside('/dl', ['..', 'x'])).toBeUndefined()
    expect(unsafePathReason(['ok', 'fine.txt'])).toBeUndefined()
  })
})
