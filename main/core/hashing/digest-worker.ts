// The digest thread: the SHA-256 state of each big file a receiver is writing, fed either the
// bytes of a piece in shared memory (as the engine writes it) or a range of the file to read back
// from the page cache (pieces that arrived ahead of the digest's position). Messages are handled
// in the order they come, which is the order of each file's bytes.
import { createHash, type Hash } from 'node:crypto'
import { closeSync, constants, openSync, readSync } from 'node:fs'
import { parentPort } from 'node:worker_threads'
import type { DigestReply, DigestRequest } from './digest-protocol.js'

const hashes = new Map<number, Hash>()
/** Digests whose read failed: every later message for them fails too, until dropped. */
const failed = new Map<number, string>()
/** Read-backs reuse one buffer; grown to the largest range asked (8 MiB from running-digest.ts). */
let scratch = Buffer.allocUnsafe(0)

function hashOf (digest: number): Hash {
  let h = hashes.get(digest)
  if (h === undefined) { h = createHash('sha256'); hashes.set(digest, h) }
  return h
}

function readInto (path: string, position: number, length: number): string | undefined {
  if (scratch.length < length) scratch = Buffer.allocUnsafe(length)
  let fd: number
  try {
    fd = openSync(path, constants.O_RDONLY)
  } catch (err) {
    return `cannot open ${path}: ${(err as Error).message}`
  }
  try {
    let done = 0
    while (done < length) {
      const got = readSync(fd, scratch, done, length - done, position + done)
      if (got === 0) return `${path} is shorter than expected`
      done += got
    }
    return undefined
  } catch (err) {
    return `cannot read ${path}: ${(err as Error).message}`
  } finally {
    closeSync(fd)
  }
}

function forget (digest: number): void {
  hashes.delete(digest)
  failed.delete(digest)
  // No file being written: the read-back buffer goes too.
  if (hashes.size === 0) scratch = Buffer.allocUnsafe(0)
}

function run (req: DigestRequest): DigestReply | undefined {
  const earlier = failed.get(req.digest)
  if (req.op !== 'drop' && earlier !== undefined) return { ticket: req.ticket, error: earlier }
  switch (req.op) {
    case 'update':
      hashOf(req.digest).update(req.data)
      return { ticket: req.ticket }
    case 'read': {
      const error = readInto(req.path, req.position, req.length)
      if (error !== undefined) {
        hashes.delete(req.digest)
        failed.set(req.digest, error)
        return { ticket: req.ticket, error }
      }
      hashOf(req.digest).update(scratch.subarray(0, req.length))
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
