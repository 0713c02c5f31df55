// A piece-hash thread: SHA-1s the pieces of each chunk the reader sends and hands the chunk's
// buffer back with the hashes, so buffers circulate instead of being allocated per chunk.
import { workerData, type MessagePort } from 'node:worker_threads'
import type { PieceJob, PieceResult } from './hash-protocol.js'
import { hashPieces, pieceCount, SHA1_LENGTH } from './piece-sha1.js'

const port = (workerData as { readonly port: MessagePort }).port

port.on('message', (job: PieceJob) => {
  const hashes = new Uint8Array(pieceCount(job.length, job.pieceLength) * SHA1_LENGTH)
  hashPieces(new Uint8Array(job.buffer, 0, job.length), job.pieceLength, hashes, 0)
  const result: PieceResult = { id: job.id, buffer: job.buffer, hashes: hashes.buffer }
  port.postMessage(result, [job.buffer, hashes.buffer])
})
