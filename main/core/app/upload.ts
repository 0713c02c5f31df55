// PUT /ui/upload?name=FILE: the web UI's drop zone sends one file's bytes here, because a browser
// cannot hand the agent a path. The body is streamed to <dataDir>/uploads/<random>/<name> (the
// name checked like a torrent path), refused up front when the disk cannot hold it; the answer
// is the path, which the page then shares with a `create` command. The web UI server (main/agent)
// routes the request here and sends the answer as it is given.
import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import type { IncomingMessage } from 'node:http'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Transform } from 'node:stream'
import { errorMessage, fail, ok, type Result } from '../../../common/result.js'
import { statusForCode } from '../control/http-json.js'
import { mkdirPrivate, PRIVATE_FILE_MODE } from '../store/private-files.js'
import { unsafeComponentReason } from '../torrent/safe-path.js'
import { freeBytesAt } from './free-space.js'

/** Left free after an upload, so the agent's own files (journals, settings) still fit. */
const RESERVE_BYTES = 64 * 1024 * 1024

export async function receiveUpload (req: IncomingMessage, url: URL, dataDir: string): Promise<Result<{ path: string }>> {
  const name = url.searchParams.get('name')
  if (name === null) return fail('bad-request', 'name is missing: PUT /ui/upload?name=FILE')
  const unsafe = unsafeComponentReason(name)
  if (unsafe !== undefined) return fail('unsafe-path', `the file name is refused: it has ${unsafe}`)
  const declared = req.headers['content-length']
  const length = declared !== undefined && /^[0-9]{1,16}$/.test(declared) ? Number(declared) : NaN
  if (!Number.isSafeInteger(length)) return fail('length-required', 'the upload needs a Content-Length')
  const root = join(dataDir, 'uploads')
  await mkdirPrivate(root)
  const free = await freeBytesAt(root)
  if (free !== undefined && free < length + RESERVE_BYTES) return fail('no-space', `not enough space for ${name}: ${length} bytes, ${free} free in ${root}`)
  const dir = join(root, randomBytes(12).toString('hex'))
  await mkdirPrivate(dir)
  const path = join(dir, name)
  let received = 0
  const count = new Transform({
    transform (chunk: Buffer, _enc, done) {
      received += chunk.length
      done(received > length ? new Error('the body is longer than its Content-Length') : null, chunk)
    }
  })
  try {
    await pipeline(req, count, createWriteStream(path, { flags: 'wx', mode: PRIVATE_FILE_MODE }))
  } catch (err) {
    await rm(dir, { recursive: true, force: true })
    return fail('upload-failed', `the upload of ${name} did not complete: ${errorMessage(err)}`)
  }
  if (received !== length) {
    await rm(dir, { recursive: true, force: true })
    return fail('upload-failed', `the upload of ${name} stopped after ${received} of ${length} bytes`)
  }
  return ok({ path })
}

/** An upload's HTTP answer: the stored path, or the failure with the status docs/protocol.md gives its code. */
export interface UploadAnswer {
  readonly status: number
  readonly body: { readonly path: string } | { readonly error: { readonly code: string; readonly message: string } }
}

export async function answerUpload (req: IncomingMessage, url: URL, dataDir: string): Promise<UploadAnswer> {
  const saved = await receiveUpload(req, url, dataDir)
  if (saved.ok) return { status: 200, body: saved.value }
  return { status: statusForCode(saved.error.code), body: { error: saved.error } }
}
