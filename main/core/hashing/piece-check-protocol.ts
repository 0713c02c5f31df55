// Messages between the engine and its piece-check thread (piece-checker.ts, piece-check-worker.ts).

export interface PieceCheckRequest {
  readonly ticket: number
  /** A view of a SharedArrayBuffer: the thread reads the piece where the engine assembled it. */
  readonly data: Uint8Array
}

export interface PieceCheckReply {
  readonly ticket: number
  /** SHA-1 of the piece, 40 lowercase hex digits. */
  readonly hex: string
}
