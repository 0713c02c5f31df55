// The slice of WebTorrent 3's runtime API that the engine uses, typed. WebTorrent ships no types;
// keeping them here (checked against node_modules/webtorrent/lib/torrent.js) gives every other
// module explicit types and one place to look when WebTorrent changes.
import type { EventEmitter } from 'node:events'
import type { ParsedTorrent } from './parsed-torrent.js'

export interface BitFieldLike {
  readonly buffer: Uint8Array
  get (index: number): boolean
  set (index: number, value?: boolean): void
}

export interface WireLike extends EventEmitter {
  readonly remoteAddress?: string
  readonly remotePort?: number
  readonly peerId?: string
  readonly type: string
  readonly peerPieces: BitFieldLike
  readonly amChoking: boolean
  readonly peerChoking: boolean
  readonly peerInterested: boolean
  readonly destroyed: boolean
  readonly uploaded: number
  readonly downloaded: number
  downloadSpeed (): number
  uploadSpeed (): number
  unchoke (): void
  choke (): void
  destroy (): void
}

export interface PieceLike {
  readonly length: number
  readonly missing: number
  readonly sources: readonly WireLike[] | null
}

export interface ChunkStoreFile { readonly path: string; readonly length: number; readonly offset: number }

export interface ChunkStoreOptions {
  readonly path: string
  readonly files: readonly ChunkStoreFile[]
  readonly length: number
  readonly name: string
  readonly [key: string]: unknown
}

export type Callback<T = void> = (err: Error | null, value?: T) => void

/** The abstract-chunk-store interface WebTorrent drives. */
export interface ChunkStore {
  readonly chunkLength: number
  put (index: number, buf: Uint8Array, cb?: Callback): void
  get (index: number, opts: { offset?: number; length?: number } | null | undefined | Callback<Uint8Array>, cb?: Callback<Uint8Array>): void
  close (cb?: Callback): void
  destroy (cb?: Callback): void
}

export type ChunkStoreConstructor = new (chunkLength: number, opts: ChunkStoreOptions) => ChunkStore

export interface AddOptions {
  path: string
  store?: ChunkStoreConstructor
  storeOpts?: Record<string, unknown>
  storeCacheSlots?: number
  skipVerify?: boolean
  bitfield?: Uint8Array
  strategy?: 'rarest' | 'sequential'
  uploads?: number | false
  alwaysChokeSeeders?: boolean
  paused?: boolean
  private?: boolean
  deselect?: boolean
}

export interface TorrentLike extends EventEmitter {
  /** Undefined until WebTorrent has parsed the torrent (asynchronously, after add()). */
  readonly infoHash: string | undefined
  readonly name: string
  readonly length: number
  readonly pieceLength: number
  readonly ready: boolean
  readonly done: boolean
  readonly paused: boolean
  readonly destroyed: boolean
  readonly bitfield: BitFieldLike | undefined
  readonly pieces: ReadonlyArray<PieceLike | null>
  readonly wires: readonly WireLike[]
  readonly uploaded: number
  readonly received: number
  readonly downloaded: number
  readonly downloadSpeed: number
  readonly uploadSpeed: number
  readonly progress: number
  readonly numPeers: number
  /** WebTorrent's own request scheduling pass (internal, stable through 3.x). */
  _update (): void
  /** From now on ask only for pieces already begun (our patch: a graceful stop). */
  drainPieces (): void
  /** Pieces asked for, partly received or being checked and written (our patch). */
  readonly begunPieces: number
  /**
   * Every peer, connected or being dialled, by id, with its socket (internal, stable through 3.x);
   * null once the torrent is destroyed.
   */
  readonly _peers: ReadonlyMap<string, { readonly conn?: { readonly localAddress?: string; destroy (): void } | null }> | null
  addPeer (addr: string): boolean
  removePeer (id: string): void
  pause (): void
  resume (): void
  destroy (opts?: { destroyStore?: boolean }, cb?: (err?: Error | null) => void): void
}

export interface ClientOptions {
  torrentPort: number
  dht: false
  tracker: false
  lsd: boolean
  natUpnp: boolean
  natPmp: boolean
  utPex: boolean
  utp: boolean
  maxConns: number
  secure: number
  webSeeds: boolean
  downloadLimit?: number
  uploadLimit?: number
}

export interface ClientLike extends EventEmitter {
  readonly torrents: readonly TorrentLike[]
  readonly listening: boolean
  readonly destroyed: boolean
  readonly torrentPort: number
  readonly downloadSpeed: number
  readonly uploadSpeed: number
  /** A .torrent's bytes, a magnet link, or a torrent already parsed (parsed-torrent.ts). */
  add (torrent: Uint8Array | string | ParsedTorrent, opts: AddOptions, onTorrent?: (t: TorrentLike) => void): TorrentLike
  address (): { address: string; port: number } | null
  throttleDownload (rate: number): void
  throttleUpload (rate: number): void
  destroy (cb?: (err?: Error | null) => void): void
}

export type ClientConstructor = new (opts: ClientOptions) => ClientLike
