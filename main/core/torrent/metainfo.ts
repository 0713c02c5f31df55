// BitTorrent v1 metadata: built from hashed files on the sending side, parsed and checked on every
// other side before anything uses it. Each file entry also carries its SHA-256 (an extra key that
// standard clients ignore), so the infohash commits to the whole-file hashes the receiver checks.
import { createHash } from 'node:crypto'
import { fail, ok, type Result } from '../../../common/result.js'
import { bdecode, bencode, bstr, type BDict, type BValue } from './bencode.js'
import { collisionKey, unsafePathReason } from './safe-path.js'

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
  const info: BDict = {
    name: bstr(t.name),
    'piece length': t.pieceLength,
    pieces: t.pieceHashes
  }
  if (t.isFolder) {
    info.files = t.files.map((f): BDict => ({ length: f.length, path: f.path.map(bstr), sha256: bstr(f.sha256) }))
  } else {
    const only = t.files[0]
    if (only === undefined || t.files.length !== 1) return fail('invalid', 'a single-file torrent needs exactly one file')
    info.length = only.length
    info.sha256 = bstr(only.sha256)
  }
  const torrentFile = bencode({
    'created by': bstr(t.createdBy),
    'creation date': Math.floor(Date.now() / 1000),
    info
  })
  return parseTorrentFile(torrentFile)
}

const asInt = (v: BValue | undefined): number | undefined => typeof v === 'number' ? v : undefined
const asBuf = (v: BValue | undefined): Buffer | undefined => Buffer.isBuffer(v) ? v : undefined
const asDict = (v: BValue | undefined): BDict | undefined =>
  v !== undefined && typeof v === 'object' && !Buffer.isBuffer(v) && !Array.isArray(v) ? v : undefined
const utf8 = (b: Buffer): string | undefined => {
  const s = b.toString('utf8')
  return Buffer.from(s, 'utf8').equals(b) ? s : undefined
}
const SHA256_HEX = /^[0-9a-f]{64}$/

function parseSha256 (v: BValue | undefined): Result<string | undefined> {
  if (v === undefined) return ok(undefined)
  const b = asBuf(v)
  const s = b && b.toString('latin1')
  if (s === undefined || !SHA256_HEX.test(s)) return fail('invalid', 'a sha256 entry is not 64 hex digits')
  return ok(s)
}

export function parseTorrentFile (bytes: Uint8Array): Result<Metainfo> {
  if (bytes.byteLength > LIMITS.maxTorrentBytes) return fail('too-large', 'torrent file is larger than 100 MiB')
  const decoded = bdecode(bytes)
  if (!decoded.ok) return fail('corrupt', `not a torrent file: ${decoded.error.message}`)
  const root = asDict(decoded.value.value)
  const info = asDict(root?.info)
  const span = decoded.value.infoSpan
  if (!root || !info || !span) return fail('corrupt', 'not a torrent file: no info dictionary')

  const nameBuf = asBuf(info['name.utf-8']) ?? asBuf(info.name)
  const name = nameBuf && utf8(nameBuf)
  if (name === undefined) return fail('invalid', 'torrent has no readable name')
  const nameProblem = unsafePathReason([name])
  if (nameProblem) return fail('unsafe-path', `torrent name "${name.slice(0, 80)}" is refused: it has ${nameProblem}`)

  const pieceLength = asInt(info['piece length'])
  if (pieceLength === undefined || pieceLength < LIMITS.minPieceLength || pieceLength > LIMITS.maxPieceLength ||
      (pieceLength & (pieceLength - 1)) !== 0) {
    return fail('invalid', `piece length ${String(pieceLength)} is not a power of two between 16 KiB and 64 MiB`)
  }
  const pieceHashes = asBuf(info.pieces)
  if (!pieceHashes || pieceHashes.length === 0 || pieceHashes.length % 20 !== 0) {
    return fail('invalid', 'torrent piece hashes are missing or not a multiple of 20 bytes')
  }

  const files: TorrentFileEntry[] = []
  let total = 0
  const rawFiles = info.files
  const isFolder = rawFiles !== undefined
  if (isFolder) {
    if (!Array.isArray(rawFiles) || rawFiles.length === 0) return fail('invalid', 'torrent file list is empty or malformed')
    if (rawFiles.length > LIMITS.maxFiles) return fail('too-large', `torrent lists more than ${LIMITS.maxFiles} files`)
    const seen = new Set<string>()
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
      const problem = unsafePathReason(path, name)
      if (problem) return fail('unsafe-path', `file "${path.join('/').slice(0, 120)}" is refused: it has ${problem}`)
      const key = collisionKey(path)
      if (seen.has(key)) return fail('unsafe-path', `file "${path.join('/').slice(0, 120)}" is listed twice`)
      seen.add(key)
      const sha = parseSha256(entry.sha256)
      if (!sha.ok) return sha
      files.push(sha.value === undefined ? { path, length, offset: total } : { path, length, offset: total, sha256: sha.value })
      total += length
      if (total > LIMITS.maxTotalLength) return fail('too-large', 'torrent total size is absurdly large')
    }
    // A folder's entries must not be prefixes of each other ("a" as a file and "a/b").
    const dirs = new Set<string>()
    for (const f of files) for (let i = 1; i < f.path.length; i++) dirs.add(collisionKey(f.path.slice(0, i)))
    for (const f of files) {
      if (dirs.has(collisionKey(f.path))) return fail('unsafe-path', `"${f.path.join('/')}" is both a file and a folder`)
    }
  } else {
    const length = asInt(info.length)
    if (length === undefined || length < 0) return fail('invalid', 'torrent has no valid length')
    if (length > LIMITS.maxTotalLength) return fail('too-large', 'torrent total size is absurdly large')
    const sha = parseSha256(info.sha256)
    if (!sha.ok) return sha
    files.push(sha.value === undefined ? { path: [name], length, offset: 0 } : { path: [name], length, offset: 0, sha256: sha.value })
    total = length
  }
  if (total === 0) return fail('invalid', 'torrent holds no data (total size 0)')

  const pieceCount = Math.ceil(total / pieceLength)
  if (pieceHashes.length / 20 !== pieceCount) {
    return fail('invalid', `torrent has ${pieceHashes.length / 20} piece hashes but its size needs ${pieceCount}`)
  }
  const infoBytes = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).subarray(span.start, span.end)
  return ok({
    infoHash: createHash('sha1').update(infoBytes).digest('hex'),
    name,
    isFolder,
    pieceLength,
    pieceCount,
    pieceHashes,
    totalLength: total,
    files,
    torrentFile: Buffer.from(bytes)
  })
}

/** Length of piece `index` (the last one may be short). */
export function pieceSize (m: Pick<Metainfo, 'pieceLength' | 'pieceCount' | 'totalLength'>, index: number): number {
  return index === m.pieceCount - 1 ? m.totalLength - m.pieceLength * (m.pieceCount - 1) : m.pieceLength
}
