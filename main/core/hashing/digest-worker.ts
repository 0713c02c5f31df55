// The digest thread: the SHA-256 state of each big file a receiver is writing, fed either the
// bytes of a piece in shared memory (as the engine writes it) or a range of the file to read back
// (pieces that arrived ahead of the digest's position), direct from the disk where the file system
// takes it: the receiver wrote them with O_DIRECT, so they are not in the page cache, and reading
// them through it would allocate its pages and pay the VM's charge for them (direct-io.ts).
// Messages are handled in the order they come, which is the order of each file's bytes.
import { createHash, type Hash } from 'node:crypto'
import { closeSync, constants, openSync } from 'node:fs'
import { parentPort } from 'node:worker_threads'
import { readDirectEach } from '../engine/direct-io.js'
import type { DigestReply, DigestRequest } from './digest-protocol.js'

const hashes = new Map<number, Hash>()
/** Digests whose read failed: every later message for them fails too, until dropped. */
const failed = new Map<number, string>()

function hashOf (digest: number): Hash {
  let h = hashes.get(digest)
  if (h === undefined) { h = createHash('sha256'); hashes.set(digest, h) }
  return h
}

/** Hashes the file's bytes [position, position + length) into `hash`; an error in one sentence. */
function readInto (hash: Hash, path: string, position: number, length: number): string | undefined {
  let fd: number
  try {
    fd = openSync(path, constants.O_RDONLY)
  } catch (err) {
    return `cannot open ${path}: ${(err as Error).message}`
  }
  let direct: number | undefined
  try {
    if (typeof constants.O_DIRECT === 'number') direct = openSync(path, constants.O_RDONLY | constants.O_DIRECT)
  } catch { /* a file system without O_DIRECT: aligned reads through the page cache */ }
  try {
    readDirectEach(fd, direct ?? fd, position, length, bytes => { hash.update(bytes) })
    return undefined
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    return e.code === 'ENOENT' ? `${path} is shorter than expected` : `cannot read ${path}: ${e.message}`
  } finally {
    closeSync(fd)
    if (direct !== undefined) closeSync(direct)
  }
}

function forget (digest: number): void {
  hashes.delete(digest)
  failed.delete(digest)
}

function run (req: DigestRequest): DigestReply | undefined {
  const earlier = failed.get(req.digest)
  if (req.op !== 'drop' && earlier !== undefined) return { ticket: req.ticket, error: earlier }
  switch (req.op) {
    case 'update':
      hashOf(req.digest).update(req.data)
      return { ticket: req.ticket }
    case 'read': {
      const error = readInto(hashOf(req.digest), req.path, req.position, req.length)
      if (error !== undefined) {
        hashes.delete(req.digest)
        failed.set(req.digest, error)
        return { ticket: req.ticket, error }
      }
      return { ticket: req.ticket }
    }
    case 'finish': {
      const hex = hashOf(req.digest).digest('hex')
      forget(req.digest)
      return { ticket: req.ticket, hex }
    }
    case 'drop':
      forget(req.digest)
      return undefined
  }
}

parentPort?.on('message', (req: DigestRequest) => {
  const reply = run(req)
  if (reply !== undefined) parentPort?.postMessage(reply)
})
