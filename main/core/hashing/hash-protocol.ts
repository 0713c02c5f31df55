// The messages between the threads of a hashing job. Only modules of this folder send them, so the
// receiving side casts instead of validating.
import type { MessagePort } from 'node:worker_threads'

export interface JobFile { readonly path: string; readonly length: number }

/** workerData of read-hash-worker. */
export interface ReaderStart {
  readonly files: readonly JobFile[]
  /** null: SHA-256 only (the receiver's check). */
  readonly pieceLength: number | null
  /** A multiple of pieceLength, so no piece straddles two chunks. */
  readonly chunkLength: number
  /** Buffers of chunkLength the reader may allocate: the bound on memory in flight. */
  readonly bufferCount: number
  /** How many chunk reads run ahead of the one being hashed. */
  readonly readAhead: number
  /** One port per piece-hash thread; empty means the reader hashes pieces itself. */
  readonly piecePorts: readonly MessagePort[]
}

export type ReaderMessage =
  | { readonly type: 'progress'; readonly bytesDone: number }
  | { readonly type: 'done'; readonly pieces: ArrayBuffer | null; readonly fileSha256: readonly string[] }
  | { readonly type: 'failed'; readonly code: string; readonly message: string }

/** Reader → piece-hash thread; `buffer` is transferred and comes back in PieceResult. */
export interface PieceJob {
  readonly id: number
  readonly buffer: ArrayBuffer
  readonly length: number
  readonly pieceLength: number
}

export interface PieceResult {
  readonly id: number
  readonly buffer: ArrayBuffer
  /** 20 bytes per piece of the job, in order. */
  readonly hashes: ArrayBuffer
}
