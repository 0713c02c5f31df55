// Cuts the concatenation of a job's files into fixed-size chunks, each a list of file segments, so
// one buffer can be filled from several files and a chunk of whole pieces never depends on how the
// files are laid out. Zero-length files get a zero-length segment, so they are still opened and
// checked and get their (empty) SHA-256 in stream order.

export interface Segment {
  readonly file: number // index into the job's files
  readonly fileOffset: number
  readonly length: number
  readonly bufferOffset: number
}

export interface Chunk {
  readonly index: number
  readonly streamOffset: number
  readonly length: number
  readonly segments: readonly Segment[]
}

/** Chunks of `chunkLength` bytes (the last may be shorter) over files of `lengths`, lazily. */
export function * planChunks (lengths: readonly number[], chunkLength: number): Generator<Chunk, void, undefined> {
  let index = 0
  let streamOffset = 0
  let used = 0
  let segments: Segment[] = []
  for (let file = 0; file < lengths.length; file++) {
    const length = lengths[file] ?? 0
    if (length === 0) segments.push({ file, fileOffset: 0, length: 0, bufferOffset: used })
    let fileOffset = 0
    while (fileOffset < length) {
      // A full chunk is emitted only once more bytes need room, so zero-length files at a chunk
      // boundary ride along with the chunk before them and trailing ones with the last chunk.
      if (used === chunkLength) {
        yield { index, streamOffset, length: used, segments }
        index++
        streamOffset += used
        used = 0
        segments = []
      }
      const n = Math.min(length - fileOffset, chunkLength - used)
      segments.push({ file, fileOffset, length: n, bufferOffset: used })
      fileOffset += n
      used += n
    }
  }
  if (segments.length > 0) yield { index, streamOffset, length: used, segments }
}
