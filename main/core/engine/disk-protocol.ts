// What the file store's disk thread is asked and answers (see disk-thread.ts, disk-worker.ts).

export interface DiskSegment {
  readonly path: string
  readonly fileOffset: number
  /** Where the segment's bytes are in the batch's buffer. */
  readonly bufOffset: number
  readonly length: number
  /** Writes only: grow the file to this length (sparse) before writing, when it is shorter; 0 = no. */
  readonly presizeTo: number
  /** Writes only: also answer the SHA-256 of the bytes written (the segment is a whole file). */
  readonly digest?: boolean
}

export type DiskRequest =
  | { readonly ticket: number; readonly op: 'write'; readonly segments: readonly DiskSegment[]; readonly data: ArrayBuffer | SharedArrayBuffer; readonly dataOffset?: number }
  /**
   * Bytes [bufOffset, bufOffset + length) of `data` at `position` of `fd`, a descriptor the main
   * thread keeps open until the answer (threads share the process's descriptors). `data` is shared
   * memory (the piece's own buffer, which the caller keeps unchanged until then) or a copy
   * transferred to the thread and transferred back. `directFd`, where given, is the same file opened
   * with O_DIRECT (direct-io.ts): the aligned part of the range is written through it, straight
   * from `data` when `pageAligned` says its memory starts on a page (aligned-memory.ts).
   */
  | { readonly ticket: number; readonly op: 'write-at'; readonly fd: number; readonly directFd?: number; readonly pageAligned?: boolean; readonly position: number; readonly data: ArrayBuffer | SharedArrayBuffer; readonly bufOffset: number; readonly length: number }
  /**
   * `length` bytes at `position` of `fd` (kept open by the main thread until the answer), read
   * through `directFd` (O_DIRECT, direct-io.ts) where the file system takes it; into `into` when it
   * has that length, as for 'read'.
   */
  | { readonly ticket: number; readonly op: 'read-at'; readonly fd: number; readonly directFd: number; readonly position: number; readonly length: number; readonly into?: ArrayBuffer }
  | { readonly ticket: number; readonly op: 'read'; readonly segments: readonly DiskSegment[]; readonly length: number; readonly sha1?: boolean; readonly into?: ArrayBuffer }
  | { readonly ticket: number; readonly op: 'stat'; readonly paths: readonly string[] }

/** A file's size and modification time; null where it cannot be stat'ed (gone, unreadable). */
export type DiskStamp = { readonly size: number; readonly mtimeMs: number } | null

export interface DiskError {
  readonly message: string
  readonly code?: string
  readonly errno?: number
  readonly syscall?: string
  readonly path?: string
}

export interface DiskReply {
  readonly ticket: number
  readonly error?: DiskError
  /** Reads: the bytes, transferred (in the request's `into` when it had one of the right length). */
  readonly data?: ArrayBuffer
  /** Writes: the request's buffer, transferred back for the next write. */
  readonly returned?: ArrayBuffer
  /** Reads asked for it: the SHA-1 of all the bytes read. */
  readonly sha1?: ArrayBuffer
  /** Writes: per segment, the SHA-256 (hex) of its bytes where asked, else null. */
  readonly digests?: ReadonlyArray<string | null>
  /** Stats: one per path, in order. */
  readonly stamps?: readonly DiskStamp[]
}
