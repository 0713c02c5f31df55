// BitTorrent v1 metadata: built from hashed files on the sending side, parsed and checked on every
// other side before anything uses it. Each file entry also carries its SHA-256 (an extra key that
// standard clients ignore), so the infohash commits to the whole-file hashes the receiver checks.
import { isUtf8 } from 'node:buffer'
import { createHash } from 'node:crypto'
import { fail, ok, type Result } from '../../../common/result.js'
import { bdecode, bencodeWithSpan, type BDict, type BValue, type EncodableDict } from './bencode.js'
import { isAscii } from './byte-order.js'
import { collisionKey, unsafePathReason } from './safe-path.js'
import { isLowerHex, readLayoutFast, type Layout, type LayoutEntry, type ReadLayout } from './torrent-layout.js'

export interface TorrentFileEntry {
  /** Path inside the distribution; for a single-file torrent, [name]. */
  readonly path: readonly string[]
  readonly length: number
  /** Byte offset of this file in the piece stream. */
  readonly offset: number
  readonly sha256?: string
}

export interface Metainfo {
  readonly infoHash: string
  readonly name: string
  readonly isFolder: boolean
  readonly pieceLength: number
  readonly pieceCount: number
  readonly pieceHashes: Buffer
  readonly totalLength: number
  readonly files: readonly TorrentFileEntry[]
  readonly torrentFile: Buffer
}

export const LIMITS = {
  maxTorrentBytes: 100 * 1024 * 1024,
  maxTotalLength: 2 ** 46, // 64 TiB
  minPieceLength: 16 * 1024,
  maxPieceLength: 64 * 1024 * 1024,
  maxFiles: 1_000_000
} as const

export interface NewTorrentFile { readonly path: readonly string[]; readonly length: number; readonly sha256: string }

export interface NewTorrent {
  readonly name: string
  readonly isFolder: boolean
  readonly files: readonly NewTorrentFile[]
  readonly pieceLength: number
  readonly pieceHashes: Buffer
  readonly createdBy: string
}

export function buildTorrent (t: NewTorrent): Result<Metainfo> {
  if (!t.isFolder && t.files.length !== 1) return fail('invalid', 'a single-file torrent needs exactly one file')
  // The same checks a recipient makes of the bytes (metainfoOf), made here on what they encode,
  // so the sender refuses what its recipients would. Names that are not well-formed UTF-16 are
  // taken as their UTF-8 encoding reads back (a lone surrogate becomes U+FFFD), as parsing would.
  const layout: Layout = {
    name: asWritten(t.name),
    isFolder: t.isFolder,
    pieceLength: t.pieceLength,
    pieceHashes: t.pieceHashes,
    entries: t.files.map(f => ({ path: t.isFolder ? f.path.map(asWritten) : [asWritten(t.name)], length: f.length, sha256: f.sha256 }))
  }
  for (const f of t.files) if (!SHA256_HEX.test(f.sha256)) return fail('invalid', 'a sha256 entry is not 64 hex digits')
  const info: EncodableDict = {
    name: layout.name,
    'piece length': t.pieceLength,
    pieces: t.pieceHashes
  }
  const only = t.files[0]
  if (t.isFolder) {
    info['files'] = layout.entries.map((e, i): EncodableDict => ({ length: e.length, path: e.path, sha256: t.files[i]?.sha256 ?? '' }))
  } else if (only !== undefined) {
    info['length'] = only.length
    info['sha256'] = only.sha256
  }
  const encoded = bencodeWithSpan({
    'created by': t.createdBy,
    'creation date': Math.floor(Date.now() / 1000),
    info
  })
  const span = encoded.infoSpan
  if (span === undefined) return fail('internal', 'the encoded torrent has no info dictionary')
  return metainfoOf(layout, encoded.bytes, span)
}

const SHA256_HEX = /^[0-9a-f]{64}$/
const LONE_SURROGATE = /[\uD800-\uDFFF]/
const asWritten = (text: string): string => LONE_SURROGATE.test(text) ? Buffer.from(text, 'utf8').toString('utf8') : text

const asInt = (v: BValue | undefined): number | undefined => typeof v === 'number' ? v : undefined
const asBuf = (v: BValue | undefined): Buffer | undefined => Buffer.isBuffer(v) ? v : undefined
const asDict = (v: BValue | undefined): BDict | undefined =>
  v !== undefined && typeof v === 'object' && !Buffer.isBuffer(v) && !Array.isArray(v) ? v : undefined
const utf8 = (b: Buffer): string | undefined => isUtf8(b) ? b.toString('utf8') : undefined

function parseSha256 (v: BValue | undefined): Result<string | undefined> {
  if (v === undefined) return ok(undefined)
  const b = asBuf(v)
  if (b === undefined || b.length !== 64 || !isLowerHex(b)) return fail('invalid', 'a sha256 entry is not 64 hex digits')
  return ok(b.toString('latin1'))
}

export function parseTorrentFile (bytes: Uint8Array): Result<Metainfo> {
  if (bytes.byteLength > LIMITS.maxTorrentBytes) return fail('too-large', 'torrent file is larger than 100 MiB')
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const fast = readLayoutFast(buf, LIMITS.maxFiles)
  const read = fast !== undefined ? ok(fast) : readLayout(buf)
  if (!read.ok) return read
  return metainfoOf(read.value.layout, Buffer.from(bytes), read.value.span)
}

/**
 * The layout through the generic decoder: any torrent, and a reason for what is wrong with one.
 * (parseTorrentFile tries readLayoutFast first; both must read a plain torrent alike.)
 */
export function readLayout (bytes: Uint8Array): Result<ReadLayout> {
  const decoded = bdecode(bytes)
  if (!decoded.ok) return fail('corrupt', `not a torrent file: ${decoded.error.message}`)
  const root = asDict(decoded.value.value)
  const info = asDict(root?.info)
  const span = decoded.value.infoSpan
  if (!root || !info || !span) return fail('corrupt', 'not a torrent file: no info dictionary')

  const nameBuf = asBuf(info['name.utf-8']) ?? asBuf(info.name)
  const name = nameBuf && utf8(nameBuf)
  if (name === undefined) return fail('invalid', 'torrent has no readable name')

  const entries: LayoutEntry[] = []
  const rawFiles = info.files
  const isFolder = rawFiles !== undefined
  if (isFolder) {
    if (!Array.isArray(rawFiles) || rawFiles.length === 0) return fail('invalid', 'torrent file list is empty or malformed')
    if (rawFiles.length > LIMITS.maxFiles) return fail('too-large', `torrent lists more than ${LIMITS.maxFiles} files`)
    for (const raw of rawFiles) {
      const entry = asDict(raw)
      const length = asInt(entry?.length)
      const rawPath = entry?.['path.utf-8'] ?? entry?.path
      if (!entry || length === undefined || length < 0 || !Array.isArray(rawPath)) {
        return fail('invalid', 'a torrent file entry has no valid length or path')
      }
      const path: string[] = []
      for (const part of rawPath) {
        const s = asBuf(part) && utf8(part as Buffer)
        if (s === undefined) return fail('invalid', 'a torrent file path is not UTF-8 text')
        path.push(s)
      }
      const sha = parseSha256(entry.sha256)
      if (!sha.ok) return sha
      entries.push({ path, length, sha256: sha.value })
    }
  } else {
    const length = asInt(info.length)
    if (length === undefined || length < 0) return fail('invalid', 'torrent has no valid length')
    const sha = parseSha256(info.sha256)
    if (!sha.ok) return sha
    entries.push({ path: [name], length, sha256: sha.value })
  }
  return ok({ layout: { name, isFolder, pieceLength: asInt(info['piece length']), pieceHashes: asBuf(info.pieces), entries }, span })
}

/**
 * Every rule a torrent's layout must meet, for bytes from anywhere (parse) and for what this
 * device is about to send (build); then the Metainfo, whose infohash is the SHA-1 of `span`.
 */
function metainfoOf (l: Layout, torrentFile: Buffer, span: { readonly start: number; readonly end: number }): Result<Metainfo> {
  const { name, isFolder, pieceLength, pieceHashes } = l
  const nameProblem = unsafePathReason([name])
  if (nameProblem) return fail('unsafe-path', `torrent name "${name.slice(0, 80)}" is refused: it has ${nameProblem}`)
  if (pieceLength === undefined || pieceLength < LIMITS.minPieceLength || pieceLength > LIMITS.maxPieceLength ||
      (pieceLength & (pieceLength - 1)) !== 0) {
    return fail('invalid', `piece length ${String(pieceLength)} is not a power of two between 16 KiB and 64 MiB`)
  }
  if (!pieceHashes || pieceHashes.length === 0 || pieceHashes.length % 20 !== 0) {
    return fail('invalid', 'torrent piece hashes are missing or not a multiple of 20 bytes')
  }

  const files: TorrentFileEntry[] = []
  let total = 0
  if (isFolder) {
    const seen = new Set<string>()
    const keys: string[] = []
    for (const { path, length, sha256 } of l.entries) {
      const problem = unsafePathReason(path, name)
      if (problem) return fail('unsafe-path', `file "${path.join('/').slice(0, 120)}" is refused: it has ${problem}`)
      const key = collisionKey(path)
      if (seen.has(key)) return fail('unsafe-path', `file "${path.join('/').slice(0, 120)}" is listed twice`)
      seen.add(key)
      keys.push(key)
      files.push(sha256 === undefined ? { path, length, offset: total } : { path, length, offset: total, sha256 })
      total += length
      if (total > LIMITS.maxTotalLength) return fail('too-large', 'torrent total size is absurdly large')
    }
    // A folder's entries must not be prefixes of each other ("a" as a file and "a/b"). For an
    // ASCII path the key is lower-cased character by character, so its folders' keys are its own
    // prefixes up to each "/"; other paths (NFKC may turn a character into "/") are keyed anew.
    const dirs = new Set<string>()
    for (const [i, key] of keys.entries()) {
      const path = files[i]?.path ?? []
      if (isAscii(key)) {
        for (let at = key.indexOf('/'); at !== -1; at = key.indexOf('/', at + 1)) dirs.add(key.slice(0, at))
      } else {
        for (let depth = 1; depth < path.length; depth++) dirs.add(collisionKey(path.slice(0, depth)))
      }
    }
    for (const [i, key] of keys.entries()) {
      if (dirs.has(key)) return fail('unsafe-path', `"${files[i]?.path.join('/') ?? key}" is both a file and a folder`)
    }
  } else {
    const only = l.entries[0]
    if (only === undefined) return fail('invalid', 'torrent has no valid length')
    if (only.length > LIMITS.maxTotalLength) return fail('too-large', 'torrent total size is absurdly large')
    files.push(only.sha256 === undefined ? { path: [name], length: only.length, offset: 0 } : { path: [name], length: only.length, offset: 0, sha256: only.sha256 })
    total = only.length
  }
  if (total === 0) return fail('invalid', 'torrent holds no data (total size 0)')

  const pieceCount = Math.ceil(total / pieceLength)
  if (pieceHashes.length / 20 !== pieceCount) {
    return fail('invalid', `torrent has ${pieceHashes.length / 20} piece hashes but its size needs ${pieceCount}`)
  }
  return ok({
    infoHash: createHash('sha1').update(torrentFile.subarray(span.start, span.end)).digest('hex'),
    name,
    isFolder,
    pieceLength,
    pieceCount,
    pieceHashes,
    totalLength: total,
    files,
    torrentFile
  })
}

/** Length of piece `index` (the last one may be short). */
export function pieceSize (m: Pick<Metainfo, 'pieceLength' | 'pieceCount' | 'totalLength'>, index: number): number {
  return index === m.pieceCount - 1 ? m.totalLength - m.pieceLength * (m.pieceCount - 1) : m.pieceLength
}
