// PUT /ui/upload?name=FILE: the web UI's drop zone sends one file's bytes here, because a browser
// cannot hand the agent a path. The body is streamed to <dataDir>/uploads/<random>.partial/<name>
// (the name checked like a torrent path), refused up front when it is empty or the disk cannot
// hold it, and the folder renamed to <random> once every byte is in; the answer is the path, which
// the page then shares with a `create` command. An upload cut short is deleted at once, or, when
// the agent itself was killed, by the sweep at its next start (a `.partial` folder is never
// shared), which also deletes whole copies that no distribution shares. The web UI server (main/agent) routes the request here and sends the answer as it is given.
import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { readdir, rename, rm } from 'node:fs/promises'
import type { IncomingMessage } from 'node:http'
import { basename, dirname, join, resolve } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Transform } from 'node:stream'
import { errorMessage, fail, ok, type Result } from '../../../common/result.js'
import { formatBytes } from '../../../common/units.js'
import { statusForCode } from '../control/http-json.js'
import { mkdirPrivate, PRIVATE_FILE_MODE } from '../store/private-files.js'
import { unsafeComponentReason } from '../torrent/safe-path.js'
import { freeBytesAt } from './free-space.js'

/** Left free after an upload, so the agent's own files (journals, settings) still fit. */
export const RESERVE_BYTES = 64 * 1024 * 1024

/** Marks a folder whose upload has not finished: the sweep at start deletes it. */
const PARTIAL = '.partial'

/** The folder uploads are kept in. */
export function uploadsDir (dataDir: string): string {
  return join(dataDir, 'uploads')
}

export async function receiveUpload (req: IncomingMessage, url: URL, dataDir: string): Promise<Result<{ path: string }>> {
  const name = url.searchParams.get('name')
  if (name === null) return fail('bad-request', 'name is missing: PUT /ui/upload?name=FILE')
  const unsafe = unsafeComponentReason(name)
  if (unsafe !== undefined) return fail('unsafe-path', `the file name is refused: it has ${unsafe}`)
  const declared = req.headers['content-length']
  const length = declared !== undefined && /^[0-9]{1,16}$/.test(declared) ? Number(declared) : NaN
  if (!Number.isSafeInteger(length)) return fail('length-required', 'the upload needs a Content-Length')
  // Said here, before a copy exists: the `create` that would follow refuses it with the copy's path.
  if (length === 0) return fail('empty', `${name} is empty: there is nothing to send`)
  const root = uploadsDir(dataDir)
  await mkdirPrivate(root)
  const free = await freeBytesAt(root)
  if (free !== undefined && free < length + RESERVE_BYTES) {
    const usable = Math.max(0, free - RESERVE_BYTES)
    return fail('no-space', `not enough space for ${name} in the agent's data folder ${root}: it needs ${formatBytes(length)}, and ${formatBytes(usable)} of the ${formatBytes(free)} free there can be used (${formatBytes(RESERVE_BYTES)} stay free for the agent's own files)`)
  }
  const id = randomBytes(12).toString('hex')
  const dir = join(root, id + PARTIAL)
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
    return fail('upload-failed', `the upload of ${name} stopped after ${formatBytes(received)} of ${formatBytes(length)}`)
  }
  const done = join(root, id)
  await rename(dir, done)
  return ok({ path: join(done, name) })
}

/** What the sweep at start deleted. */
export interface UploadsSwept {
  /** Uploads the agent was killed in the middle of. */
  readonly unfinished: number
  /** Whole copies no distribution shares: the page went before its `create`, the create failed, the same file was dropped twice, or the distribution was removed. */
  readonly unshared: number
}

/**
 * Deletes what nobody can reach any more from the uploads folder: the unfinished uploads (their
 * `.partial` folders) and the copies that are not the source of a distribution of `sharedPaths`.
 * Run at start, before the UI server takes uploads, with the distributions already loaded.
 */
export async function sweepUploads (dataDir: string, sharedPaths: readonly string[]): Promise<UploadsSwept> {
  const root = uploadsDir(dataDir)
  let names: string[]
  try {
    names = await readdir(root)
  } catch {
    return { unfinished: 0, unshared: 0 }
  }
  // By the copy's folder name, not the whole path: a data folder reached by another spelling (a
  // link, a trailing slash) must not make every copy look unshared. Keeping one too many is harmless.
  const shared = new Set(sharedPaths.filter(p => basename(dirname(dirname(p))) === basename(root)).map(p => basename(dirname(p))))
  let unfinished = 0
  let unshared = 0
  for (const n of names) {
    if (n.endsWith(PARTIAL)) unfinished++
    else if (!shared.has(n)) unshared++
    else continue
    await rm(join(root, n), { recursive: true, force: true })
  }
  return { unfinished, unshared }
}

/**
 * The same file dropped twice is a second copy, and `create` answers it with the distribution of
 * the first (same content, same infohash): that copy is shared by nothing, so it is deleted at once
 * instead of taking its size on disk until the next start's sweep. Answers the distribution's own
 * path when `path` was such a copy and was deleted, undefined otherwise (not an upload, or the one shared).
 */
export async function dropUnsharedUpload (dataDir: string, path: string, sharedPaths: readonly string[]): Promise<string | undefined> {
  const copy = resolve(path)
  const folder = dirname(copy)
  if (dirname(folder) !== resolve(uploadsDir(dataDir)) || folder.endsWith(PARTIAL)) return undefined
  const shared = sharedPaths.map(p => resolve(p))
  if (shared.includes(copy)) return undefined
  await rm(folder, { recursive: true, force: true })
  return shared[0]
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
