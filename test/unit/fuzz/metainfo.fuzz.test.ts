// Property-based fuzzing of torrent metadata parsing: whatever bytes or torrent-like dictionaries
// arrive, parseTorrentFile answers with a Result, and every torrent it accepts maps only to safe,
// distinct paths inside the download folder, with a piece count that matches the total length.
import { createHash } from 'node:crypto'
import { resolve, sep } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { targetsFor } from '../../../main/core/distributions/finish.js'
import { bencode, type BDict, type BValue } from '../../../main/core/torrent/bencode.js'
import { buildTorrent, LIMITS, parseTorrentFile, readLayout, type Metainfo } from '../../../main/core/torrent/metainfo.js'
import { readLayoutFast } from '../../../main/core/torrent/torrent-layout.js'
import { collisionKey, resolveInside, unsafePathReason } from '../../../main/core/torrent/safe-path.js'
import { bencodeishBytes, mutateAll, mutationArb, timed } from './fuzz-helpers.js'

const D = resolve('/srv/swarmdrop-fuzz/downloads')

// Components that have broken other clients, or would on some platform we ship on.
const NASTY = [
  '..', '.', '', '/', '\\', 'C:', 'c:\\', 'CON', 'con', 'nul.txt', 'NUL', 'aux.tar.gz', 'COM1', 'lpt¹', 'CONIN$', 'PRN.',
  'a\0b', '\0', '\x01', '\x1f', '\x7f', '\n', '\r', '\t', 'name.', 'name ', ' ', '...', '. ', 'a:b', 'file::$DATA',
  '<', '>', '"', '|', '?', '*', '../etc/passwd', '..\\..\\win.ini', '/abs', 'x/y', '~', '$MFT', '.git', '.ssh',
  'x'.repeat(255), 'y'.repeat(256), 'é'.repeat(128), 'é'.repeat(127), '\u00e9', 'e\u0301', 'A', 'a', 'README', 'readme',
  'ſ', 's', 'ς', 'σ', 'K', 'k', 'İ', 'i', 'ß', 'ss', '\u202e', '\u200b', '\ufeff', '😀', '日本語', 'Ω', 'Ω',
  '\u009b', '\u0085', '\u2066', '\u200f', 'z'.repeat(250), 'z'.repeat(251), 'é'.repeat(125), 'w'.repeat(200)
]
const SAFE = ['a', 'b', 'B', 'data', 'x.txt', 'X.TXT', 'sub', 'Sub', 'file.bin', 'part-1', '日本', 'e', 'con1', 'nulx', '.hidden', 'a.b.c']

/** A path component: mostly safe words, often joined with nasty atoms. */
const component: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...SAFE), weight: 6 },
  { arbitrary: fc.constantFrom(...NASTY), weight: 2 },
  { arbitrary: fc.array(fc.constantFrom(...SAFE, ...NASTY), { minLength: 2, maxLength: 3 }).map(a => a.join('')), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), weight: 1 }
)

/** A path component as raw bytes: UTF-8 text, or occasionally invalid UTF-8 or not a string at all. */
const componentValue: fc.Arbitrary<BValue> = fc.oneof(
  { arbitrary: component.map(s => Buffer.from(s, 'utf8')), weight: 20 },
  { arbitrary: fc.constantFrom(Buffer.from([0xff]), Buffer.from([0x61, 0xc3]), Buffer.from([0xed, 0xa0, 0x80])), weight: 1 },
  { arbitrary: fc.constantFrom<BValue>(7, [], Object.create(null) as BDict), weight: 1 }
)

const validPieceLength = fc.integer({ min: 14, max: 26 }).map(e => 2 ** e)
const pieceLengthValue: fc.Arbitrary<BValue | undefined> = fc.oneof(
  { arbitrary: validPieceLength, weight: 8 },
  { arbitrary: fc.constantFrom<BValue | undefined>(0, -16384, 1, 16383, 16385, 3 * 16384, 2 ** 27, 2 ** 13, Number.MAX_SAFE_INTEGER, Buffer.from('16384'), undefined), weight: 2 }
)
const lengthValue: fc.Arbitrary<BValue | undefined> = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 300_000 }), weight: 10 },
  { arbitrary: fc.constantFrom<BValue | undefined>(0, -1, 2 ** 46, 2 ** 46 + 1, Number.MAX_SAFE_INTEGER, Buffer.from('10'), undefined), weight: 1 }
)
const sha256Value: fc.Arbitrary<BValue | undefined> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 3 },
  { arbitrary: fc.uint8Array({ minLength: 32, maxLength: 32 }).map(b => Buffer.from(Buffer.from(b).toString('hex'))), weight: 3 },
  { arbitrary: fc.constantFrom<BValue>(Buffer.from('A'.repeat(64)), Buffer.from('a'.repeat(63)), Buffer.from('g'.repeat(64)), Buffer.alloc(32), 5), weight: 1 }
)

interface Spec {
  readonly name: BValue | undefined
  readonly nameUtf8: BValue | undefined
  readonly pieceLength: BValue | undefined
  readonly folder: boolean
  readonly files: ReadonlyArray<{ readonly length: BValue | undefined; readonly path: BValue; readonly pathUtf8: BValue | undefined; readonly sha256: BValue | undefined }>
  readonly single: { readonly length: BValue | undefined; readonly sha256: BValue | undefined }
  readonly pieces: 'right' | 'oneShort' | 'oneExtra' | 'ragged' | 'empty' | 'missing'
  readonly extra: BDict
}

const fileEntry = fc.record({
  length: lengthValue,
  path: fc.oneof(
    { arbitrary: fc.array(componentValue, { minLength: 1, maxLength: 4 }), weight: 20 },
    { arbitrary: fc.constantFrom<BValue>([], Buffer.from('a/b'), 3), weight: 1 },
    { arbitrary: fc.array(fc.constantFrom(...SAFE).map(s => Buffer.from(s)), { minLength: 65, maxLength: 70 }), weight: 1 }
  ),
  pathUtf8: fc.option(fc.array(componentValue, { minLength: 1, maxLength: 3 }), { freq: 8, nil: undefined }),
  sha256: sha256Value
})

const specArb: fc.Arbitrary<Spec> = fc.record({
  name: fc.oneof({ arbitrary: componentValue, weight: 10 }, { arbitrary: fc.constant(undefined), weight: 1 }),
  nameUtf8: fc.option(componentValue, { freq: 8, nil: undefined }),
  pieceLength: pieceLengthValue,
  folder: fc.boolean(),
  files: fc.oneof(
    { arbitrary: fc.array(fileEntry, { minLength: 1, maxLength: 8 }), weight: 10 },
    // Entries that differ only in case, normalization or one being the other's folder.
    { arbitrary: fc.constantFrom(['A', 'a'], ['x.txt', 'X.TXT'], ['\u00e9', 'e\u0301'], ['K', 'k'], ['ſ', 's'], ['ς', 'σ'], ['dir', 'DIR/f'], ['d/e', 'd'])
        .map(names => names.map(n => ({ length: 1000, path: n.split('/').map(c => Buffer.from(c)) as BValue, pathUtf8: undefined, sha256: undefined }))), weight: 2 },
    { arbitrary: fc.constant([]), weight: 1 }
  ),
  single: fc.record({ length: lengthValue, sha256: sha256Value }),
  pieces: fc.constantFrom('right', 'right', 'right', 'right', 'oneShort', 'oneExtra', 'ragged', 'empty', 'missing'),
  extra: fc.dictionary(fc.constantFrom('announce', 'comment', 'private', 'source', 'meta version'), fc.oneof(fc.integer(), fc.uint8Array({ maxLength: 8 }).map(b => Buffer.from(b))), { maxKeys: 2 })
    .map(d => Object.assign(Object.create(null) as BDict, d))
})

function put (d: BDict, key: string, v: BValue | undefined): void { if (v !== undefined) d[key] = v }

/** The info dictionary a spec describes, with a pieces string of the right (or deliberately wrong) size. */
function infoOf (s: Spec): BDict {
  const info = Object.assign(Object.create(null) as BDict, s.extra)
  put(info, 'name', s.name)
  put(info, 'name.utf-8', s.nameUtf8)
  put(info, 'piece length', s.pieceLength)
  let total = 0
  if (s.folder) {
    info.files = s.files.map(f => {
      const e = Object.create(null) as BDict
      put(e, 'length', f.length)
      put(e, 'path', f.path)
      put(e, 'path.utf-8', f.pathUtf8)
      put(e, 'sha256', f.sha256)
      if (typeof f.length === 'number' && f.length > 0) total += f.length
      return e
    })
  } else {
    put(info, 'length', s.single.length)
    put(info, 'sha256', s.single.sha256)
    if (typeof s.single.length === 'number' && s.single.length > 0) total = s.single.length
  }
  const pl = typeof s.pieceLength === 'number' && s.pieceLength > 0 ? s.pieceLength : 16384
  const right = Math.ceil(total / pl)
  const count = { right, oneShort: right - 1, oneExtra: right + 1, ragged: right, empty: 0, missing: -1 }[s.pieces]
  // Never build a huge pieces string: a count beyond ~5000 is simply wrong on purpose then.
  if (count >= 0) info.pieces = Buffer.alloc(Math.min(count, 5000) * 20 + (s.pieces === 'ragged' ? 7 : 0), 0xab)
  return info
}

/** Independent re-statement of "safe component", not relying on safe-path.ts. */
function looksSafe (c: string): boolean {
  return c.length > 0 && c !== '.' && c !== '..' && !/[\u0000-\u001f\u007f/\\:<>"|?*]/.test(c) && !/[. ]$/.test(c) &&
    !/^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i.test(c) && Buffer.byteLength(c) <= 250 &&
    ![...c].some(ch => { const p = ch.codePointAt(0) ?? 0; return (p >= 0x80 && p <= 0x9f) || p === 0x61c || p === 0x200e || p === 0x200f || (p >= 0x202a && p <= 0x202e) || (p >= 0x2066 && p <= 0x2069) })
}

/** Everything promised about a torrent that parsed. */
function checkAccepted (m: Metainfo, infoBytes?: Buffer): void {
  expect(unsafePathReason([m.name])).toBeUndefined()
  expect(looksSafe(m.name)).toBe(true)
  expect(m.files.length).toBeGreaterThan(0)
  let offset = 0
  for (const f of m.files) {
    expect(unsafePathReason(f.path)).toBeUndefined()
    expect(f.path.length).toBeGreaterThan(0)
    expect(f.path.length).toBeLessThanOrEqual(64)
    for (const c of f.path) expect(looksSafe(c)).toBe(true)
    expect(Number.isSafeInteger(f.length) && f.length >= 0).toBe(true)
    expect(f.offset).toBe(offset)
    if (f.sha256 !== undefined) expect(f.sha256).toMatch(/^[0-9a-f]{64}$/)
    offset += f.length
  }
  if (!m.isFolder) expect(m.files.map(f => f.path)).toEqual([[m.name]])
  // Every path as written (NAME.part/…) fits the documented bound.
  for (const f of m.files) expect(Buffer.byteLength(`${m.name}.part/${m.isFolder ? f.path.join('/') : ''}`)).toBeLessThanOrEqual(1024 + 1)
  // Pieces agree with the total length.
  expect(m.totalLength).toBe(offset)
  expect(m.totalLength).toBeGreaterThan(0)
  expect(m.totalLength).toBeLessThanOrEqual(LIMITS.maxTotalLength)
  expect(m.pieceLength).toBeGreaterThanOrEqual(LIMITS.minPieceLength)
  expect(m.pieceLength).toBeLessThanOrEqual(LIMITS.maxPieceLength)
  expect(Number.isInteger(Math.log2(m.pieceLength))).toBe(true)
  expect(m.pieceCount).toBe(Math.ceil(m.totalLength / m.pieceLength))
  expect(m.pieceHashes.length).toBe(m.pieceCount * 20)
  expect((m.pieceCount - 1) * m.pieceLength).toBeLessThan(m.totalLength)
  expect(m.infoHash).toMatch(/^[0-9a-f]{40}$/)
  if (infoBytes) expect(m.infoHash).toBe(createHash('sha1').update(infoBytes).digest('hex'))

  // Every target lies inside the download folder, and no two land on the same file.
  for (const part of [true, false]) {
    const top = part ? `${m.name}.part` : m.name
    const targets = targetsFor(m, { downloadsDir: D, finalName: m.name }, part)
    expect(targets.length).toBe(m.files.length)
    const keys = new Set<string>()
    targets.forEach((t, i) => {
      const f = m.files[i]
      if (f === undefined) throw new Error('targets and files differ in length')
      const abs = resolve(t.path)
      expect(abs.startsWith(D + sep)).toBe(true)
      expect(abs.startsWith(resolve(D, top))).toBe(true)
      const components = m.isFolder ? [top, ...f.path] : [top]
      expect(resolveInside(D, components)).toBe(abs)
      expect(t.length).toBe(f.length)
      expect(t.offset).toBe(f.offset)
      keys.add(collisionKey([abs]))
      keys.add(`lower:${abs.toLowerCase()}`)
    })
    expect(keys.size).toBe(2 * targets.length)
    // No target is also a folder of another target ("a" and "a/b").
    const folders = new Set(targets.flatMap(t => {
      const rel = resolve(t.path).slice(D.length + 1).split(sep)
      return rel.slice(1, -1).map((_, i) => rel.slice(0, i + 2).join(sep).normalize('NFC').toLowerCase())
    }))
    for (const t of targets) expect(folders.has(resolve(t.path).slice(D.length + 1).normalize('NFC').toLowerCase())).toBe(false)
  }
}

function checkedParse (bytes: Uint8Array): ReturnType<typeof parseTorrentFile> {
  const { result, ms } = timed(() => parseTorrentFile(bytes), 50)
  expect(ms).toBeLessThan(50)
  expect(typeof result.ok).toBe('boolean')
  if (!result.ok) {
    expect(['corrupt', 'invalid', 'unsafe-path', 'too-large']).toContain(result.error.code)
    expect(typeof result.error.message).toBe('string')
  }
  return result
}

describe('parseTorrentFile fuzz', () => {
  it('answers arbitrary bytes with a Result (uniform, bencode-shaped, and behind a valid prefix)', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 512 }),
      bencodeishBytes(512),
      bencodeishBytes(256).map(b => Buffer.concat([Buffer.from('d4:infod4:name1:a12:piece lengthi16384e6:pieces'), b]))
    )
    fc.assert(fc.property(bytes, b => {
      const r = checkedParse(b)
      if (r.ok) checkAccepted(r.value)
    }), { numRuns: 3000 })
  })

  it('accepts only safe, distinct, in-folder paths from generated torrent dictionaries (nasty names, bad piece data)', () => {
    let accepted = 0
    fc.assert(fc.property(specArb, fc.boolean(), (spec, withRoot) => {
      const info = infoOf(spec)
      const root = Object.assign(Object.create(null) as BDict, withRoot ? spec.extra : {}, { info })
      const r = checkedParse(bencode(root))
      if (r.ok) {
        accepted++
        checkAccepted(r.value, bencode(info))
      }
    }), { numRuns: 4000 })
    // The generator must reach the accepting paths often, or the property proves little.
    expect(accepted).toBeGreaterThan(200)
  })

  it('never throws on mutated generated torrents, and still only accepts safe ones', () => {
    fc.assert(fc.property(specArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (spec, ms) => {
      const bytes = mutateAll(bencode({ info: infoOf(spec) }), ms)
      const r = checkedParse(bytes)
      if (r.ok) checkAccepted(r.value)
    }), { numRuns: 2000 })
  })

  it('buildTorrent of safe generated files round-trips through parseTorrentFile', () => {
    const safeName = fc.constantFrom(...SAFE)
    const files = fc.uniqueArray(fc.array(safeName, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6, selector: p => collisionKey(p) })
      .filter(list => {
        const dirs = new Set(list.flatMap(p => p.slice(0, -1).map((_, i) => collisionKey(p.slice(0, i + 1)))))
        return list.every(p => !dirs.has(collisionKey(p)))
      })
    fc.assert(fc.property(safeName, fc.boolean(), files, fc.array(fc.integer({ min: 0, max: 200_000 }), { minLength: 6, maxLength: 6 }), validPieceLength,
      (name, isFolder, paths, lengths, pieceLength) => {
        const list = (isFolder ? paths : [[name]]).map((path, i) => ({ path, length: lengths[i] ?? 1, sha256: 'f'.repeat(64) }))
        const total = list.reduce((n, f) => n + f.length, 0)
        fc.pre(total > 0)
        const pieceHashes = Buffer.alloc(Math.ceil(total / pieceLength) * 20, 1)
        const r = buildTorrent({ name, isFolder, files: list, pieceLength, pieceHashes, createdBy: 'fuzz' })
        expect(r.ok).toBe(true)
        if (!r.ok) return
        checkAccepted(r.value)
        expect(r.value.files.map(f => f.path)).toEqual(list.map(f => f.path))
        expect(r.value.totalLength).toBe(total)
      }), { numRuns: 1000 })
  })

  it('the fast layout reader reads what the generic decoder reads, or leaves the bytes to it', () => {
    let fastRead = 0
    const same = (bytes: Uint8Array): void => {
      const buf = Buffer.from(bytes)
      const fast = readLayoutFast(buf, LIMITS.maxFiles)
      if (fast === undefined) return
      fastRead++
      const generic = readLayout(buf)
      expect(generic.ok).toBe(true)
      if (generic.ok) expect(fast).toEqual(generic.value)
    }
    fc.assert(fc.property(specArb, fc.array(fc.constantFrom('announce', 'x', 'info2'), { maxLength: 2 }), (spec, outer) => {
      const root = Object.create(null) as BDict
      for (const k of outer) root[k] = Buffer.from('v')
      root['info'] = infoOf(spec)
      same(bencode(root))
    }), { numRuns: 2000 })
    fc.assert(fc.property(specArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (spec, ms) => {
      same(mutateAll(bencode({ info: infoOf(spec) }), ms))
    }), { numRuns: 3000 })
    fc.assert(fc.property(bencodeishBytes(300), bytes => { same(bytes) }), { numRuns: 2000 })
    // The generated torrents are mostly plain: the fast reader must take those, not leave everything to the decoder.
    expect(fastRead).toBeGreaterThan(500)
  })

  it('buildTorrent checks what it encodes as parseTorrentFile would: the same Metainfo, or the same refusal', () => {
    // buildTorrent makes its Metainfo without decoding its own bytes; any difference from what a
    // recipient parses out of them (a path, a key, a check) would show here.
    // Names read from a disk may hold lone surrogates (not UTF-8 once encoded).
    const name = fc.oneof({ arbitrary: component, weight: 8 }, { arbitrary: fc.constantFrom('a\uD800', '\uDC00z', 'x\uD83D'), weight: 1 })
    const paths = fc.array(fc.array(name, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 5 })
    fc.assert(fc.property(name, fc.boolean(), paths, fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 5, maxLength: 5 }), validPieceLength,
      (name, isFolder, generated, lengths, pieceLength) => {
        const list = (isFolder ? generated : [[name]]).map((path, i) => ({ path, length: lengths[i] ?? 1, sha256: 'a'.repeat(64) }))
        const total = list.reduce((n, f) => n + f.length, 0)
        const pieceHashes = Buffer.alloc(Math.max(1, Math.ceil(total / pieceLength)) * 20, 3)
        const built = buildTorrent({ name, isFolder, files: list, pieceLength, pieceHashes, createdBy: 'fuzz' })
        if (built.ok) {
          const parsed = parseTorrentFile(built.value.torrentFile)
          expect(parsed.ok).toBe(true)
          if (parsed.ok) expect(built.value).toEqual(parsed.value)
          return
        }
        const info: BDict = { name: Buffer.from(name), 'piece length': pieceLength, pieces: pieceHashes }
        if (isFolder) info['files'] = list.map(f => ({ length: f.length, path: f.path.map(c => Buffer.from(c)), sha256: Buffer.from(f.sha256) }))
        else { info['length'] = list[0]?.length ?? 0; info['sha256'] = Buffer.from('a'.repeat(64)) }
        const parsed = parseTorrentFile(bencode({ info }))
        expect(parsed.ok).toBe(false)
        if (!parsed.ok) expect(parsed.error.message).toBe(built.error.message)
      }), { numRuns: 3000 })
  })
})
