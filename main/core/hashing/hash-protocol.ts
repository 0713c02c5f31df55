// What the threads of a hashing job are given and what they tell the main thread. Only modules of
// this folder send these, so the receiving side casts instead of validating.

export interface JobFile { readonly path: string; readonly length: number }

/** One stream: files read in order into a ring of chunk buffers, one SHA-256 per file. */
export interface StreamLayout {
  readonly files: readonly JobFile[]
  /** null: SHA-256 only (the receiver's check). */
  readonly pieceLength: number | null
  /** A multiple of pieceLength, so no piece straddles two chunks. */
  readonly chunkLength: number
  /** Chunk buffers in the ring: the bound on memory in flight. */
  readonly slots: number
}

/** workerData of every thread of a stream: the layout and the memory they share (see chunk-ring). */
export interface StreamStart extends StreamLayout {
  readonly control: SharedArrayBuffer
  readonly data: SharedArrayBuffer
  /** 20 bytes per piece, written by whichever thread hashed the piece. */
  readonly pieces: SharedArrayBuffer
}

/** From a stream's reading thread (failures only) or its SHA-256 thread. */
export type StreamMessage =
  | { readonly type: 'progress'; readonly bytesDone: number }
  | { readonly type: 'done'; readonly fileSha256: readonly string[] }
  | { readonly type: 'failed'; readonly code: string; readonly message: string }
