// Messages between a receiver's file stores and the digest thread (digest-thread.ts,
// digest-worker.ts), which keeps the SHA-256 of each big file being written (running-digest.ts).

export type DigestRequest =
  /** Hash bytes the engine assembled in shared memory (a view of a SharedArrayBuffer: no copy). */
  | { readonly op: 'update', readonly ticket: number, readonly digest: number, readonly data: Uint8Array }
  /** Read `length` bytes of the file at `position` (written moments ago; direct where it can) and hash them. */
  | { readonly op: 'read', readonly ticket: number, readonly digest: number, readonly path: string, readonly position: number, readonly length: number }
  /** The hex SHA-256 of all the digest's bytes; the digest is gone after it. */
  | { readonly op: 'finish', readonly ticket: number, readonly digest: number }
  /** Forget a digest (no reply). */
  | { readonly op: 'drop', readonly digest: number }

export interface DigestReply {
  readonly ticket: number
  /** A read failed: why, in one sentence. */
  readonly error?: string
  /** finish: 64 lowercase hex digits. */
  readonly hex?: string
}
