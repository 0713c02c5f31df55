// Small JSON files in the data directory are written whole and atomically (write a temp file,
// then rename) so a crash or SIGKILL never leaves a half-written settings or state file behind.
// They are owner-only from the moment they exist (private-files.ts): the temp file is created with
// the mode, and the rename keeps it.
import { randomBytes } from 'node:crypto'
import { readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { errnoCode, errorMessage, fail, ok, type Result } from '../../../common/result.js'
import { mkdirPrivate, PRIVATE_FILE_MODE } from './private-files.js'

export async function writeFileAtomic (path: string, data: string | Uint8Array, mode = PRIVATE_FILE_MODE): Promise<void> {
  await mkdirPrivate(dirname(path))
  // Unique per call: two writes of one file may overlap, and each must rename its own temp file.
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`
  await writeFile(tmp, data, { mode })
  await rename(tmp, path)
}

export async function writeJson (path: string, value: unknown, mode = PRIVATE_FILE_MODE): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n', mode)
}

/** Reads a JSON file; a missing file is `ok(undefined)`, a damaged one a failure naming it. */
export async function readJson (path: string): Promise<Result<unknown>> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return ok(undefined)
    return fail('unreadable', `cannot read ${path}: ${errorMessage(err)}`)
  }
  try {
    return ok(JSON.parse(text) as unknown)
  } catch (err) {
    return fail('corrupt', `${path} is not valid JSON: ${errorMessage(err)}`)
  }
}

export function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
