// What WebTorrent takes as an already parsed torrent (parse-torrent's object), built from the
// Metainfo the engine has already checked. Handing WebTorrent the .torrent bytes instead made it
// decode them, re-encode the info dictionary and then the whole torrent again: about 1.5 s of CPU
// (and as much again in garbage collection) for a folder of 50,000 files, on every add.
import { join } from 'node:path'
import type { Metainfo } from '../torrent/metainfo.js'

export interface ParsedTorrentFile {
  /** The file's path as WebTorrent names it: the torrent's name, then the path inside it. */
  readonly path: string
  readonly name: string
  readonly length: number
  readonly offset: number
}

/** The fields of parse-torrent's result that WebTorrent reads, plus the bytes it keeps (patched: no re-encoding). */
export interface ParsedTorrent {
  readonly infoHash: string
  readonly infoHashBuffer: Buffer
  readonly name: string
  /** WebTorrent asks only whether it is there (the metadata is known); the dictionary itself lives in `torrentFile`. */
  readonly info: { readonly name: string }
  readonly announce: string[]
  readonly urlList: string[]
  readonly files: ParsedTorrentFile[]
  readonly length: number
  readonly pieceLength: number
  readonly lastPieceLength: number
  /** Each piece's SHA-1, in hex. */
  readonly pieces: string[]
  /** The .torrent as received or made, which WebTorrent serves to peers asking for the metadata. */
  readonly torrentFile: Buffer
}

export function parsedTorrentOf (m: Metainfo): ParsedTorrent {
  const files = m.files.map((f): ParsedTorrentFile => {
    const parts = m.isFolder ? [m.name, ...f.path] : f.path
    return { path: join(...parts), name: parts[parts.length - 1] ?? m.name, length: f.length, offset: f.offset }
  })
  const pieces: string[] = new Array<string>(m.pieceCount)
  for (let i = 0; i < m.pieceCount; i++) pieces[i] = m.pieceHashes.toString('hex', i * 20, i * 20 + 20)
  return {
    infoHash: m.infoHash,
    infoHashBuffer: Buffer.from(m.infoHash, 'hex'),
    name: m.name,
    info: { name: m.name },
    announce: [],
    urlList: [],
    files,
    length: m.totalLength,
    pieceLength: m.pieceLength,
    lastPieceLength: m.totalLength - m.pieceLength * (m.pieceCount - 1),
    pieces,
    torrentFile: m.torrentFile
  }
}
