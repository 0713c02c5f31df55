// The thread that checks received pieces: SHA-1 of each piece the engine posts (in memory it
// shares with the engine, so nothing is copied), answered with its hex digest.
import { createHash } from 'node:crypto'
import { parentPort } from 'node:worker_threads'
import type { PieceCheckReply, PieceCheckRequest } from './piece-check-protocol.js'

parentPort?.on('message', (req: PieceCheckRequest) => {
  const reply: PieceCheckReply = { ticket: req.ticket, hex: createHash('sha1').update(req.data).digest('hex') }
  parentPort?.postMessage(reply)
})
